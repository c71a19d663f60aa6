import type { TaskCreate } from '../../kakao/types.js';
import type { Action } from '../events/plan-types.js';
import type { UnitMapping } from '../store/mapping.js';
import { type KakaoTaskState, type TaskView, withTaskEdits } from './task-verify.js';

// Two-way: a to-do deleted in the source whose task was edited in Talk Calendar since our last
// write. A change beats a deletion (as for events): the to-do is written back into the collection
// as Talk Calendar shows the task, and the mapping keeps the task synced. Pure.

type Touched = Extract<KakaoTaskState, { kind: 'edited' | 'completion' }>;

export interface TaskRestore {
  actions: Action[];
  warning: string;
}

/** The restore of the to-do; undefined when nothing tells what the task shows. */
export function planTaskRestore(
  unitRef: { sourceKey: string; unitKey: string },
  unit: UnitMapping,
  seen: Touched,
  view: TaskView | undefined,
): TaskRestore | undefined {
  const task = shownTask(unit, seen, view);
  if (!task) return undefined;
  return {
    actions: [{ ...unitRef, op: 'task-source-restore', task, completed: seen.completed }],
    warning: `${unitRef.sourceKey}: deleted in the source but edited in Talk Calendar; restored to the source`,
  };
}

/**
 * The task as this run read it (a listing, or the precondition read joined to it): what we last
 * wrote with Talk Calendar's edits, so the restored to-do reads back as the task the mapping records.
 */
function shownTask(unit: UnitMapping, seen: Touched, view: TaskView | undefined): TaskCreate | undefined {
  const read = view?.items.find((t) => t.task_id === unit.kakaoId);
  if (unit.task) {
    return seen.kind === 'edited'
      ? withTaskEdits(unit.task, seen.edits, read?.due_info?.time_zone)
      : unit.task;
  }
  if (!read) return undefined;
  return { content: read.content, ...(read.due_info ? { due_info: read.due_info } : {}) };
}
