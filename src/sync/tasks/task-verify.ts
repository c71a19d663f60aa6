import type { Task, TaskCreate } from '../../kakao/types.js';
import type { Window } from '../events/plan-types.js';
import type { UnitMapping } from '../store/mapping.js';

// Verification of task links: what this run's task listings (31-day windows by due date) say about
// a mapped task. Pure.

/** The tasks listed this run and the windows those listings covered. */
export interface TaskView {
  windows: Window[];
  items: Task[];
  /** Tasks missing from their window whose deletion a task read could not confirm this run. */
  unconfirmed?: string[];
  /** Tasks a read by id (a precondition read) found gone this run. */
  gone?: string[];
}

export type KakaoTaskState =
  | { kind: 'same' }
  /** No listing this run covers it (or its due date moves by itself): absence proves nothing. */
  | { kind: 'unseen' }
  | { kind: 'deleted' }
  /** Completed or reopened in Talk Calendar. */
  | { kind: 'completion'; completed: boolean }
  /** Title or due date edited in Talk Calendar (completion as Kakao shows it, changed or not). */
  | { kind: 'edited'; completed: boolean; edits: TaskEdits };

/** What Talk Calendar changed of a task: its title (content), its due date (null: removed). */
export interface TaskEdits {
  content?: string;
  due?: string | null;
}

const dayMs = 86_400_000;

/** Where a task sits on the window grid: its due date; a task without one is listed everywhere. */
export function taskInstant(unit: UnitMapping, now: string): string {
  const due = unit.task?.due_info?.due_date;
  if (due && /^\d{8}$/.test(due)) return `${due.slice(0, 4)}-${due.slice(4, 6)}-${due.slice(6, 8)}T00:00:00Z`;
  return now;
}

/** A window as the task list's inclusive yyyyMMdd range. */
export function taskWindowDates(w: Window): { from: string; to: string } {
  const ymd = (ms: number) => new Date(ms).toISOString().slice(0, 10).replaceAll('-', '');
  return { from: ymd(Date.parse(w.from)), to: ymd(Date.parse(w.to) - dayMs) };
}

export function kakaoTaskState(unit: UnitMapping, view: TaskView | undefined, now: string): KakaoTaskState {
  if (!view || !unit.kakaoId) return { kind: 'unseen' };
  const seen = view.items.find((t) => t.task_id === unit.kakaoId);
  if (seen) {
    const completed = taskCompleted(seen);
    const edits = taskEdits(unit.task, seen);
    if (edits) return { kind: 'edited', completed, edits };
    return completed === (unit.completed ?? false) ? { kind: 'same' } : { kind: 'completion', completed };
  }
  if (view.gone?.includes(unit.kakaoId)) return { kind: 'deleted' };
  // A recurring task's due date moves on by itself: it may be listed in a later window.
  if (unit.task?.due_info?.recur?.rrule) return { kind: 'unseen' };
  const at = Date.parse(taskInstant(unit, now));
  const covered = view.windows.some((w) => Date.parse(w.from) <= at && at < Date.parse(w.to));
  return covered && !view.unconfirmed?.includes(unit.kakaoId) ? { kind: 'deleted' } : { kind: 'unseen' };
}

export const taskCompleted = (t: Task): boolean => t.status === 'COMPLETED' || t.is_ended === true;

/**
 * The listed task's title and due date against what the mapping last wrote (or accepted). A
 * recurring task's due date moves on by itself, so only its title is compared.
 */
export function taskEdits(written: TaskCreate | undefined, seen: Task): TaskEdits | undefined {
  if (!written) return undefined;
  const edits: TaskEdits = {};
  if (seen.content !== written.content) edits.content = seen.content;
  if (!written.due_info?.recur?.rrule) {
    const due = seen.due_info?.due_date ?? null;
    if (due !== (written.due_info?.due_date ?? null)) edits.due = due;
  }
  return edits.content === undefined && edits.due === undefined ? undefined : edits;
}

/** The task as the mapping records it once Talk Calendar's edits are accepted. */
export function withTaskEdits(written: TaskCreate, edits: TaskEdits, seenZone?: string): TaskCreate {
  const { due_info, ...rest } = written;
  const task: TaskCreate = { ...rest, ...(edits.content !== undefined ? { content: edits.content } : {}) };
  if (edits.due === undefined) return due_info ? { ...task, due_info } : task;
  if (edits.due === null) return task;
  const zone = due_info?.time_zone ?? seenZone;
  return {
    ...task,
    due_info: due_info
      ? { ...due_info, due_date: edits.due }
      : { due_date: edits.due, ...(zone ? { time_zone: zone } : {}) },
  };
}
