import type { DesiredTaskItem } from '../../model/desired.js';
import { hashOf } from '../events/hash.js';
import type { Action } from '../events/plan-types.js';
import type { UnitMapping } from '../store/mapping.js';
import { type KakaoTaskState, withTaskEdits } from './task-verify.js';

// A task whose title or due date was edited in Talk Calendar while its to-do did not change. Pure.
// Two-way CalDAV: the edit (and the completion Kakao shows) flows back into the VTODO (SUMMARY,
// DUE, STATUS) and the mapping records the task as Kakao shows it. One-way: the source's version
// is written again (as events do for drift), unless the link keeps Talk Calendar's edits.

export interface TaskEditPolicy {
  twoWay: boolean;
  /** kakaoEditsOfReadOnly: keep — a one-way link leaves Talk Calendar's edit as it is. */
  keep: boolean;
  ref: { href: string; etag: string } | undefined;
}

export function planTaskEdits(
  unitRef: { sourceKey: string; unitKey: string },
  want: DesiredTaskItem,
  unit: UnitMapping,
  seen: Extract<KakaoTaskState, { kind: 'edited' }>,
  policy: TaskEditPolicy,
): { actions: Action[] } {
  const written = unit.task ?? want.task;
  const accept: Action = {
    ...unitRef,
    op: 'task-accept',
    completed: seen.completed,
    task: withTaskEdits(written, seen.edits, want.task.due_info?.time_zone),
  };
  if (policy.twoWay && policy.ref) {
    const back: Action = {
      op: 'task-source-status',
      sourceKey: unitRef.sourceKey,
      ...policy.ref,
      ...(seen.completed === (unit.completed ?? false) ? {} : { completed: seen.completed }),
      edits: seen.edits,
    };
    return { actions: [back, accept] };
  }
  if (policy.twoWay || policy.keep) return { actions: [accept] };
  return {
    actions: [
      {
        ...unitRef,
        op: 'task-update',
        kakaoId: unit.kakaoId!,
        task: want.task,
        sendContent: true,
        completed: want.completed,
        desiredHash: hashOf({ task: want.task, completed: want.completed }),
        kakaoCompleted: seen.completed,
      },
    ],
  };
}
