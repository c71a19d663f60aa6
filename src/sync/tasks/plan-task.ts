import type { DesiredTaskItem } from '../../model/desired.js';
import { conflictChoice, isTwoWay } from '../events/conflict-choice.js';
import { hashOf } from '../events/hash.js';
import type { Action, Conflict, PlanInput } from '../events/plan-types.js';
import type { Precondition } from '../events/precondition.js';
import type { ItemMapping, UnitMapping } from '../store/mapping.js';
import { planTaskEdits } from './plan-task-edits.js';
import { taskPreconditionOf } from './task-precondition.js';
import { planTaskRestore } from './task-restore.js';
import { type KakaoTaskState, kakaoTaskState } from './task-verify.js';

// The decision for one task item (pure): the source's to-do against the mapping and what this run
// read of the task. planLink calls it for every task item; apply's re-plan after a precondition
// read (task-precondition.ts) calls it for one.

export interface TaskOutcome {
  actions: Action[];
  drift?: boolean;
  conflict?: Conflict;
  warning?: string;
  /** Two-way: the task to read before the actions write to it. */
  precondition?: Precondition;
}

type UnitRef = { sourceKey: string; unitKey: string };
type SourceRef = { href: string; etag: string } | undefined;

/**
 * The hash a task had before recurring tasks carried `record_on` (undefined for any other task):
 * a mapping still holding it is migrated in place, at no Kakao call.
 */
export function formerTaskHash(want: DesiredTaskItem): string | undefined {
  const recur = want.task.due_info?.recur;
  if (!recur?.record_on) return undefined;
  const { record_on: _r, ...former } = recur;
  const task = { ...want.task, due_info: { ...want.task.due_info!, recur: former } };
  return hashOf({ task, completed: want.completed });
}

export function planTask(
  sourceKey: string,
  want: DesiredTaskItem | null,
  m: ItemMapping | undefined,
  input: PlanInput,
  ref: SourceRef,
): TaskOutcome {
  const out = planTaskActions(sourceKey, want, m, input, ref);
  const unit = m?.units['task'];
  return unit ? { ...out, ...guardOf(input, unit, out.actions) } : out;
}

/** Kakao writes that overwrite (or delete) the task as Talk Calendar holds it. */
const overwrites = new Set<Action['op']>(['task-update', 'task-complete', 'task-delete']);

/**
 * A two-way link's write to a task no listing of this run showed reads it first (Kakao has no
 * ETag): a Talk Calendar edit since our last write must meet the conflict policy, not be lost.
 */
function guardOf(input: PlanInput, unit: UnitMapping, actions: Action[]): { precondition?: Precondition } {
  if (!isTwoWay(input.link) || !actions.some((a) => overwrites.has(a.op))) return {};
  if (kakaoTaskState(unit, input.kakao.tasks, input.now).kind !== 'unseen') return {};
  const precondition = taskPreconditionOf(unit);
  return precondition ? { precondition } : {};
}

function planTaskActions(
  sourceKey: string,
  want: DesiredTaskItem | null,
  m: ItemMapping | undefined,
  input: PlanInput,
  ref: SourceRef,
): TaskOutcome {
  const unit = m?.units['task'];
  const unitRef = { sourceKey, unitKey: 'task' };
  if (!want) return planSourceDeletion(unitRef, unit, input);
  const desiredHash = hashOf({ task: want.task, completed: want.completed });
  const create: Action = {
    ...unitRef,
    op: 'task-create',
    task: want.task,
    completed: want.completed,
    desiredHash,
  };
  if (!unit) return { actions: [create] };
  if (unit.kakaoId === null) return { actions: unit.desiredHash === desiredHash ? [] : [create] };
  if (unit.desiredHash === desiredHash) return planTaskDrift(unitRef, want, unit, input, ref, create);
  const former = formerTaskHash(want);
  if (former !== undefined && unit.desiredHash === former) {
    // Only the hash format moved (record_on added to recurring tasks): recorded, never sent.
    const migrated: Action = { ...unitRef, op: 'task-record', desiredHash, task: want.task };
    const drift = planTaskDrift(unitRef, want, unit, input, ref, create);
    return { ...drift, actions: [migrated, ...drift.actions] };
  }
  const seen = kakaoTaskState(unit, input.kakao.tasks, input.now);
  // The source now matches what the task already shows (after a write-back): no call.
  // Unless this run's listing shows a newer Talk Calendar edit: that is handled first.
  const completionKnown = unit.completed !== undefined;
  if (
    unit.task &&
    completionKnown &&
    hashOf({ task: unit.task, completed: unit.completed }) === desiredHash
  ) {
    if (seen.kind === 'same' || seen.kind === 'unseen')
      return { actions: [{ ...unitRef, op: 'task-record', desiredHash }] };
    return planTaskDrift(unitRef, want, unit, input, ref, create);
  }
  // Changed on both sides of a two-way link: the policy (or the user's resolution) decides.
  if (isTwoWay(input.link) && (seen.kind === 'edited' || seen.kind === 'completion')) {
    const choice = conflictChoice(input.link.conflict, m?.conflict?.resolution);
    if (choice === undefined) {
      const detail = 'changed in both the source and Talk Calendar';
      return { actions: [], conflict: { ...unitRef, detail } };
    }
    if (choice === 'kakao') return planTaskDrift(unitRef, want, unit, input, ref, create);
  }
  // Deleted in Talk Calendar but changed in the source: the change beats the deletion.
  if (seen.kind === 'deleted') return { actions: [create], drift: true };
  // A completion changed in Talk Calendar since our last write: the update must set it explicitly.
  const observed =
    seen.kind === 'completion' || seen.kind === 'edited' ? { kakaoCompleted: seen.completed } : {};
  return {
    actions: [
      {
        ...unitRef,
        op: 'task-update',
        kakaoId: unit.kakaoId,
        task: want.task,
        // A title or due date changed in Talk Calendar too: the source's version is sent over it.
        sendContent: !unit.task || hashOf(unit.task) !== hashOf(want.task) || seen.kind === 'edited',
        completed: want.completed,
        desiredHash,
        ...observed,
      },
    ],
  };
}

/**
 * A to-do gone from the source. Two-way: a task Talk Calendar already deleted costs no call, and one
 * edited there since our last write is restored to the source (task-restore.ts) unless the source wins.
 */
function planSourceDeletion(unitRef: UnitRef, unit: UnitMapping | undefined, input: PlanInput): TaskOutcome {
  const { link } = input;
  if (!unit?.kakaoId || !link.propagateDeletes.toKakao) return { actions: [] };
  const remove: TaskOutcome = { actions: [{ ...unitRef, op: 'task-delete', kakaoId: unit.kakaoId }] };
  if (!isTwoWay(link)) return remove;
  const seen = kakaoTaskState(unit, input.kakao.tasks, input.now);
  const { sourceKey } = unitRef;
  if (seen.kind === 'deleted')
    return { actions: [{ op: 'forget', sourceKey, reason: 'deleted on both sides' }] };
  const edited = seen.kind === 'edited' || seen.kind === 'completion';
  if (!edited || conflictChoice(link.conflict, undefined) === 'source') return remove;
  return (
    planTaskRestore(unitRef, unit, seen, input.kakao.tasks) ?? {
      actions: [{ op: 'forget', sourceKey, reason: 'edited in Talk Calendar' }],
      warning: `${sourceKey}: deleted in the source but edited in Talk Calendar; the task is kept there, no longer synced`,
    }
  );
}

/** An unchanged source task against this run's task reads: Talk Calendar edits per policy. */
function planTaskDrift(
  unitRef: UnitRef,
  want: DesiredTaskItem,
  unit: UnitMapping,
  input: PlanInput,
  ref: SourceRef,
  create: Action,
): TaskOutcome {
  const { link } = input;
  const twoWay = isTwoWay(link);
  const kakao: KakaoTaskState = kakaoTaskState(unit, input.kakao.tasks, input.now);
  switch (kakao.kind) {
    case 'same':
    case 'unseen':
      return { actions: [] };
    case 'completion': {
      const accept: Action = { ...unitRef, op: 'task-accept', completed: kakao.completed };
      if (twoWay && ref)
        return {
          actions: [
            { op: 'task-source-status', sourceKey: unitRef.sourceKey, ...ref, completed: kakao.completed },
            accept,
          ],
        };
      if (twoWay || link.kakaoEditsOfReadOnly === 'keep') return { actions: [accept] };
      return {
        actions: [{ ...unitRef, op: 'task-complete', kakaoId: unit.kakaoId!, completed: want.completed }],
      };
    }
    case 'edited':
      return planTaskEdits(unitRef, want, unit, kakao, {
        twoWay,
        keep: link.kakaoEditsOfReadOnly === 'keep',
        ref,
      });
    case 'deleted':
      if (twoWay && link.propagateDeletes.toSource && ref)
        return { actions: [{ op: 'source-delete', sourceKey: unitRef.sourceKey, ...ref }], drift: true };
      if (!twoWay && link.kakaoEditsOfReadOnly === 'keep')
        return { actions: [{ ...unitRef, op: 'task-accept', deleted: true }], drift: true };
      return { actions: [create], drift: true };
  }
}
