import type { Task } from '../../kakao/types.js';
import type { Precondition } from '../events/precondition.js';
import type { UnitMapping } from '../store/mapping.js';
import { kakaoTaskState, type TaskView } from './task-verify.js';

// The task side of a two-way link's precondition reads (events: events/precondition.ts): before
// updating, completing or deleting a task no listing of this run showed, apply reads it by id
// (task lists are by due window, so a moved task may be in none read). A title, due date or
// completion other than the mapping's is a Talk Calendar edit: the item is planned again with the
// read, so the link's conflict policy decides. Pure.

/** What a task read showed; null: Kakao has no such task (any more). */
export type TaskRead = Task | null;

export function taskPreconditionOf(unit: UnitMapping): Precondition | undefined {
  if (!unit.kakaoId) return undefined;
  return { unitKey: 'task', kakaoId: unit.kakaoId, readId: unit.kakaoId, task: true };
}

/** This run's task view with the precondition reads in it, as if a listing had shown them. */
export function withTaskReads(view: TaskView | undefined, reads: ReadonlyMap<string, TaskRead>): TaskView {
  const base: TaskView = view ?? { windows: [], items: [] };
  const found = [...reads.values()].filter((t): t is Task => t !== null);
  const gone = [...reads].filter(([, t]) => t === null).map(([id]) => id);
  const readIds = new Set(reads.keys());
  return {
    ...base,
    items: [...base.items.filter((t) => !readIds.has(t.task_id)), ...found],
    ...(gone.length > 0 ? { gone: [...(base.gone ?? []), ...gone] } : {}),
  };
}

/** True when the read shows Kakao holding the task otherwise than the mapping recorded. */
export function taskChangedSince(unit: UnitMapping, read: TaskRead): boolean {
  if (!unit.kakaoId) return false;
  const view = withTaskReads(undefined, new Map([[unit.kakaoId, read]]));
  // The read shows the task or its absence: the clock, which places unlisted tasks, plays no part.
  return kakaoTaskState(unit, view, new Date(0).toISOString()).kind !== 'same';
}
