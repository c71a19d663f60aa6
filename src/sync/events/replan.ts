import { mappedKakaoIds } from '../store/mapping.js';
import { planTask } from '../tasks/plan-task.js';
import { type TaskRead, withTaskReads } from '../tasks/task-precondition.js';
import { KakaoIndex } from '../verification/kakao-index.js';
import { eventIntentsOf, planEventItem, unitContext } from './plan-item.js';
import type { Conflict, PlanInput, PlannedItem } from './plan-types.js';
import type { PreconditionRead } from './precondition.js';

// After a precondition read shows a Talk Calendar edit, apply asks for the item's plan again, made
// with that read as if a listing had shown it: the link's conflict policy decides, through the same
// planner as for edits found by verification reads.

/** An item planned again after apply's precondition reads, and what the new plan found. */
export interface Replanned {
  item: PlannedItem;
  conflicts: Conflict[];
  warnings: string[];
  drift: boolean;
  /** Still undecidable this run (a deletion against an unread side, an unsettled create): nothing is written. */
  defer: boolean;
}

/**
 * Plans one event item again with the precondition reads apply made (pure): a Talk Calendar edit
 * they show meets the link's conflict policy exactly as one a listing shows.
 */
export function replanItem(
  input: PlanInput,
  planned: PlannedItem,
  reads: ReadonlyMap<string, PreconditionRead>,
): Replanned {
  // Added to the run's own reads by id (of events missing from their window).
  const index = new KakaoIndex({ ...input.kakao, reads: new Map([...(input.kakao.reads ?? []), ...reads]) });
  const { blocked } = eventIntentsOf(input, index);
  const m = input.state.items.get(planned.sourceKey);
  const taken = new Set<string>([...(input.foreignIds ?? []), ...mappedKakaoIds(input.state)]);
  const ctx = unitContext(input, index, taken, blocked, m, planned.ref);
  const out = planEventItem(ctx, planned.sourceKey, planned.desired, m);
  const last = out.conflicts.at(-1);
  const item: PlannedItem = {
    sourceKey: planned.sourceKey,
    actions: out.actions,
    desired: planned.desired,
    ...(planned.ref ? { ref: planned.ref } : {}),
    ...(last ? { conflict: last.detail } : {}),
  };
  const defer = out.defer || out.waiting;
  return { item, conflicts: out.conflicts, warnings: out.warnings, drift: out.drift, defer };
}

/** Plans one task item again with apply's task reads (pure), as replanItem does for events. */
export function replanTask(
  input: PlanInput,
  planned: PlannedItem,
  reads: ReadonlyMap<string, TaskRead>,
): Replanned {
  const tasks = withTaskReads(input.kakao.tasks, reads);
  const again: PlanInput = { ...input, kakao: { ...input.kakao, tasks } };
  const m = input.state.items.get(planned.sourceKey);
  const want = planned.desired?.kind === 'task' ? planned.desired : null;
  const out = planTask(planned.sourceKey, want, m, again, planned.ref);
  const item: PlannedItem = {
    sourceKey: planned.sourceKey,
    actions: out.actions,
    desired: planned.desired,
    ...(planned.ref ? { ref: planned.ref } : {}),
    ...(out.conflict ? { conflict: out.conflict.detail } : {}),
  };
  const conflicts = out.conflict ? [out.conflict] : [];
  const warnings = out.warning ? [out.warning] : [];
  return { item, conflicts, warnings, drift: out.drift === true, defer: false };
}
