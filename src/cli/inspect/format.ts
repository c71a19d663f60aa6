// Printing an inspect report: a readable tree for people, or one JSON object per line.
import type { EventCreate, TaskCreate } from '../../kakao/types.js';
import type { InstanceOperation } from '../../model/desired.js';
import type { InspectReport, ItemReport } from './report.js';

function eventLine(event: EventCreate): string {
  const t = event.time;
  const parts = [`"${event.title}"`, `${t.start_at} → ${t.end_at}`];
  if (t.all_day) parts.push('all-day');
  if (t.lunar) parts.push('lunar');
  if (t.time_zone) parts.push(`zone ${t.time_zone}`);
  if (event.rrule) parts.push(`rrule ${event.rrule}`);
  if (event.reminders) parts.push(`reminders [${event.reminders.join(', ')}]`);
  if (event.color) parts.push(`color ${event.color}`);
  if (event.location) parts.push(`at "${event.location.name}"`);
  if (event.description) parts.push(`description ${event.description.length} chars`);
  return parts.join('  ');
}

function instanceLine(op: InstanceOperation): string {
  const change = op.update ? ` ${JSON.stringify(op.update)}` : '';
  return `${op.action} instance ${op.instanceStart} (${op.scope})${change}`;
}

function taskLine(task: TaskCreate, completed: boolean, bookmark: boolean): string {
  const parts = [`"${task.content}"`];
  const due = task.due_info;
  if (due) {
    parts.push(`due ${due.due_date}${due.time_zone ? ` (${due.time_zone})` : ''}`);
    if (due.alarm_time) parts.push(`alarm ${due.alarm_time}`);
    if (due.recur?.rrule) parts.push(`recur ${due.recur.rrule}`);
  } else {
    parts.push('no due date');
  }
  if (completed) parts.push('completed');
  if (bookmark) parts.push('bookmarked');
  return parts.join('  ');
}

function itemLines(item: ItemReport): string[] {
  const out = [`● ${item.uid} (${item.kind})`];
  if (item.error) out.push(`  ✗ not translated: ${item.error}`);
  for (const r of item.requests) {
    if (r.kind === 'task') {
      out.push(`  → create task: ${taskLine(r.task, r.completed, r.bookmark)}`);
      continue;
    }
    out.push(`  → create event [${r.unitKey}]: ${eventLine(r.event)}`);
    for (const op of r.instances) out.push(`      ${instanceLine(op)}`);
  }
  for (const w of item.warnings) out.push(`  ! ${w.code}: ${w.message}`);
  if (item.occurrences) {
    out.push(`  occurrences (${item.occurrences.length}):`);
    for (const o of item.occurrences) {
      out.push(`      ${o.start} → ${o.end}${o.allDay ? '  all-day' : ''}  ${o.title}`);
    }
  }
  return out;
}

export function formatHuman(report: InspectReport): string {
  const lines = report.items.flatMap(itemLines);
  const requests = report.items.reduce((n, i) => n + i.requests.length, 0);
  const warned = report.items.filter((i) => i.warnings.length > 0).length;
  const failed = report.items.filter((i) => i.error).length;
  for (const n of report.notices) lines.push(`! ${n}`);
  for (const p of report.problems) lines.push(`? skipped ${p}`);
  if (report.truncated)
    lines.push(
      '? the calendar text ends inside a VCALENDAR: it looks cut off, and a sync refuses it (the link keeps its Kakao state)',
    );
  lines.push(
    `${report.items.length} items → ${requests} Kakao requests; ${warned} with warnings, ${failed} not translated`,
  );
  return `${lines.join('\n')}\n`;
}

/** One JSON object per line: each item, then one summary line. */
export function formatJsonLines(report: InspectReport): string {
  const lines = report.items.map((item) => JSON.stringify(item));
  lines.push(
    JSON.stringify({
      summary: true,
      items: report.items.length,
      problems: report.problems,
      ...(report.notices.length > 0 ? { notices: report.notices } : {}),
      truncated: report.truncated,
    }),
  );
  return `${lines.join('\n')}\n`;
}
