import { DateTime } from 'luxon';
import type { Task, TaskCreate } from '../kakao/types.js';
import { escapeText, foldLine, formatContentLine } from '../translate/ics-lines.js';
import { formatUtc } from '../translate/ics-values.js';
import { taskToVtodo } from '../translate/task-to-ical.js';

// The tasks feed: the Talk Calendar tasks the daemon wrote (from the mapping store; tasks made
// in Kakao itself are not known without calling Kakao) as VTODOs. Pure and deterministic.

export interface KnownTask {
  kakaoId: string;
  task: TaskCreate;
  completed: boolean;
  /** Recurring tasks: the days (yyyyMMdd) Talk Calendar's history records as completed. */
  completedOn?: string[];
  /** When the mapping last changed it (LAST-MODIFIED / DTSTAMP / COMPLETED). */
  lastModified: string;
  sequence: number;
}

export function renderTasksFeed(
  tasks: KnownTask[],
  meta: { name: string; description: string; refreshMinutes: number; zone: string },
): string {
  const ttl = `PT${meta.refreshMinutes}M`;
  const out = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//talkcal-sync//Published Talk Calendar tasks//EN',
    'CALSCALE:GREGORIAN',
    `REFRESH-INTERVAL;VALUE=DURATION:${ttl}`,
    `X-PUBLISHED-TTL:${ttl}`,
    foldLine(formatContentLine({ name: 'NAME', params: {}, value: escapeText(meta.name) })),
    foldLine(formatContentLine({ name: 'X-WR-CALNAME', params: {}, value: escapeText(meta.name) })),
    foldLine(formatContentLine({ name: 'X-WR-CALDESC', params: {}, value: escapeText(meta.description) })),
  ];
  const sorted = [...tasks].sort((a, b) => (a.kakaoId < b.kakaoId ? -1 : a.kakaoId > b.kakaoId ? 1 : 0));
  for (const known of sorted) {
    const modified = DateTime.fromISO(known.lastModified, { zone: 'UTC' });
    const task: Task = {
      task_id: known.kakaoId,
      content: known.task.content,
      status: known.completed ? 'COMPLETED' : 'SCHEDULED',
      bookmark: false,
      authorized: true,
      ...(known.task.due_info ? { due_info: known.task.due_info } : {}),
    };
    const spec = taskToVtodo(task, {
      uid: `task-${known.kakaoId}@talkcal-sync`,
      zone: meta.zone,
      now: modified.toJSDate(),
    });
    out.push('BEGIN:VTODO', foldLine(`UID:${spec.uid}`), `DTSTAMP:${formatUtc(modified)}`);
    out.push(`LAST-MODIFIED:${formatUtc(modified)}`, `SEQUENCE:${known.sequence}`);
    for (const lines of Object.values(spec.set))
      for (const l of lines) out.push(foldLine(formatContentLine(l)));
    for (const trigger of spec.alarms ?? []) {
      out.push(
        'BEGIN:VALARM',
        'ACTION:DISPLAY',
        'DESCRIPTION:Reminder',
        foldLine(formatContentLine(trigger)),
        'END:VALARM',
      );
    }
    out.push('END:VTODO');
    if (known.task.due_info?.recur) out.push(...completedInstances(spec.uid, known, modified, meta.zone));
  }
  out.push('END:VCALENDAR');
  return `${out.join('\r\n')}\r\n`;
}

/**
 * A recurring task's completion history as COMPLETED instances (RECURRENCE-ID of the day), so a
 * client shows which occurrences were done.
 */
function completedInstances(uid: string, known: KnownTask, modified: DateTime, zone: string): string[] {
  const out: string[] = [];
  for (const day of known.completedOn ?? []) {
    const at = DateTime.fromFormat(day, 'yyyyMMdd', { zone });
    if (!at.isValid) continue;
    out.push(
      'BEGIN:VTODO',
      foldLine(`UID:${uid}`),
      `DTSTAMP:${formatUtc(modified)}`,
      `RECURRENCE-ID;VALUE=DATE:${day}`,
      foldLine(formatContentLine({ name: 'SUMMARY', params: {}, value: escapeText(known.task.content) })),
      `DUE;VALUE=DATE:${day}`,
      'STATUS:COMPLETED',
      `COMPLETED:${formatUtc(at.endOf('day').set({ millisecond: 0 }))}`,
      'END:VTODO',
    );
  }
  return out;
}
