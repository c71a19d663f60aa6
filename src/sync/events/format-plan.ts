import type { Action, Plan } from './plan-types.js';

// A plan as short human-readable lines, for dry runs on a terminal (the JSON form is the plan itself).

export function describeAction(a: Action): string {
  switch (a.op) {
    case 'create':
    case 'replace':
      return `${a.op} "${a.event.title}" at ${a.event.time.start_at}${a.instances.length ? ` (+${a.instances.length} exceptions)` : ''} — ${a.reason}`;
    case 'update':
      return `update ${a.kakaoId} → "${a.event.title}" at ${a.event.time.start_at} — ${a.reason}`;
    case 'delete':
      return `delete ${a.kakaoId} — ${a.reason}`;
    case 'delete-orphan':
      return `delete ${a.task ? 'task ' : ''}${a.kakaoId} — made by an interrupted create no longer wanted`;
    case 'instance':
      return `${a.instance.action} instance ${a.instance.instanceStart} of ${a.kakaoId}`;
    case 'adopt':
      return `adopt existing ${a.kakaoId} ("${a.event.title}")`;
    case 'record':
      return 'record the source version (Talk Calendar already shows the event itself)';
    case 'accept-kakao':
      return a.kakaoHash === null
        ? 'keep the deletion made in Talk Calendar'
        : 'keep the edit made in Talk Calendar';
    case 'task-create':
      return `create task "${a.task.content}"`;
    case 'task-update':
      return a.sendContent
        ? `update task ${a.kakaoId} → "${a.task.content}"`
        : `${a.completed ? 'complete' : 'reopen'} task ${a.kakaoId} (only its completion changed)`;
    case 'task-adopt':
      return `adopt task ${a.kakaoId} ("${a.task.content}") made by an interrupted create`;
    case 'task-delete':
      return `delete task ${a.kakaoId}`;
    case 'source-update':
      return `write "${a.from.title ?? ''}" back to ${a.href}`;
    case 'source-delete':
      return `delete ${a.href} from the source`;
    case 'task-complete':
      return `${a.completed ? 'complete' : 'reopen'} task ${a.kakaoId} — revert the Talk Calendar edit`;
    case 'task-accept':
      return a.deleted
        ? 'keep the task deletion made in Talk Calendar'
        : 'keep the task state set in Talk Calendar';
    case 'task-record':
      return 'record the source version (the task already shows it)';
    case 'task-source-status': {
      const what = [
        ...(a.completed === undefined ? [] : [a.completed ? 'COMPLETED' : 'NEEDS-ACTION']),
        ...(a.edits?.content === undefined ? [] : ['SUMMARY']),
        ...(a.edits?.due === undefined ? [] : ['DUE']),
      ];
      return `write ${what.join(', ')} back to ${a.href}`;
    }
    case 'source-restore':
      return `restore "${a.from.title ?? ''}" to the source (deleted there, edited in Talk Calendar)`;
    case 'task-source-restore':
      return `restore to-do "${a.task.content}" to the source (deleted there, edited in Talk Calendar)`;
    case 'forget':
      return `forget the mapping — ${a.reason}`;
  }
}

export function formatPlan(plan: Plan): string[] {
  const lines = [`link ${plan.linkId}:`];
  for (const item of plan.items) {
    // Two-way: what a Talk Calendar edit the read shows would change is decided after the read.
    for (const p of item.preconditions ?? [])
      lines.push(`  ${item.sourceKey}: read ${p.readId} first (no listing showed it this run)`);
    for (const a of item.actions) lines.push(`  ${item.sourceKey}: ${describeAction(a)}`);
  }
  for (const c of plan.conflicts) lines.push(`  ${c.sourceKey}: CONFLICT — ${c.detail}`);
  for (const q of plan.quarantined) lines.push(`  ${q}: quarantined (unchanged since Kakao rejected it)`);
  for (const w of plan.warnings) lines.push(`  warning: ${w}`);
  if (lines.length === 1) lines.push('  nothing to do');
  return lines;
}
