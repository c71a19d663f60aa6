import type { Task, TaskCreate } from '../../kakao/types.js';
import type { PlanInput } from '../events/plan-types.js';
import { type CreateIntent, intentMaySettle } from '../store/mapping.js';
import type { TaskView } from './task-verify.js';

// Write-ahead intents of task creates, as for events: opened before the create, settled by the
// commit that maps the task; a run that finds one open reads the intent's due window and adopts or
// deletes the task the create made (same content and due date, not mapped). Pure.

/** Where a task create's intent sits on the window grid (its due date, or when it was opened). */
export function taskIntentInstant(task: { dueDate: string | null }, at: string): string {
  const due = task.dueDate;
  if (due && /^\d{8}$/.test(due)) return `${due.slice(0, 4)}-${due.slice(4, 6)}-${due.slice(6, 8)}T00:00:00Z`;
  return at;
}

/** The intent of creating `task` (calendarId 'tasks' marks it as a task create). */
export function taskCreateIntent(id: string, sourceKey: string, task: TaskCreate, at: string): CreateIntent {
  const dueDate = task.due_info?.due_date ?? null;
  const start = taskIntentInstant({ dueDate }, at);
  return {
    id,
    sourceKey,
    unitKey: 'task',
    title: task.content,
    start,
    end: start,
    allDay: true,
    recurring: false,
    calendarId: 'tasks',
    at,
    task: { content: task.content, dueDate, sent: task },
  };
}

/** Whether this run's task listings show every task the intent's create could have made. */
export function taskIntentRead(intent: CreateIntent, view: TaskView | undefined): boolean {
  if (!intent.task || !view) return false;
  // A task without a due date is listed in every window.
  if (!intent.task.dueDate) return view.windows.length > 0;
  const at = Date.parse(intent.start);
  return view.windows.some((w) => Date.parse(w.from) <= at && at < Date.parse(w.to));
}

/** The task an interrupted create made: same content and due date, not excluded (mapped or taken). */
export function findIntentTask(
  intent: CreateIntent,
  view: TaskView,
  excluded: (id: string) => boolean,
): Task | undefined {
  const want = intent.task;
  if (!want) return undefined;
  return view.items.find(
    (t) =>
      !excluded(t.task_id) && t.content === want.content && (t.due_info?.due_date ?? null) === want.dueDate,
  );
}

interface TaskOrphan {
  intent: CreateIntent;
  /** The task as listed, and as the interrupted create sent it. */
  task: Task;
  sent: TaskCreate;
  adopted: boolean;
}

/**
 * Task creates that may have happened before a crash or a lost reply: those whose due window was
 * read and that are old enough (intentMaySettle) are settled, with the task they made if listed;
 * the others block their item's task writes.
 */
export function planTaskIntents(input: PlanInput, taken: Set<string>, settled: string[]) {
  const blocked = new Set<string>();
  const orphans: TaskOrphan[] = [];
  const view = input.kakao.tasks;
  for (const intent of input.state.intents) {
    if (!intent.task) continue;
    const old = intentMaySettle(intent, input.now, input.intentSettleAfterMs ?? 0);
    if (!view || !taskIntentRead(intent, view) || !old) {
      blocked.add(intent.sourceKey);
      continue;
    }
    settled.push(intent.id);
    const task = findIntentTask(intent, view, (id) => taken.has(id));
    if (!task) continue;
    taken.add(task.task_id);
    orphans.push({ intent, task, sent: intent.task.sent, adopted: false });
  }
  return { blocked, orphans };
}
