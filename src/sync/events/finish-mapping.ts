import type { ItemMapping } from '../store/mapping.js';
import type { Action, PlannedItem } from './plan-types.js';
import { contentHashOf, desiredItemHash } from './projection.js';

// What an applied plan entry leaves of its item's mapping: the source version recorded once every
// action succeeded, units no longer wanted forgotten, units whose write failed kept for a retry.

export type MappingWrite = 'put' | 'remove' | 'none';

/**
 * Completes `work`, the item's mapping after its plan entry's actions (partial when some failed:
 * they are re-planned), and says whether it is to be put, removed, or left unwritten.
 */
export function finishMapping(
  work: ItemMapping,
  planned: PlannedItem,
  failed: boolean,
  failedUnits: ReadonlySet<string>,
  now: Date,
): MappingWrite {
  const desired = planned.desired;
  if (desired) {
    const wanted = new Set(desired.kind === 'event' ? desired.units.map((u) => u.unitKey) : ['task']);
    for (const key of Object.keys(work.units))
      if (!wanted.has(key) && !failedUnits.has(key)) delete work.units[key];
    if (planned.conflict) {
      // The source version stays unrecorded, so every run re-reads it until the conflict is resolved.
      work.conflict ??= { at: now.toISOString(), detail: planned.conflict };
    } else if (!failed) {
      work.sourceHash = desiredItemHash(desired);
      work.contentHash = contentHashOf(desired);
      if (desired.kind === 'event') work.exactTimes = desired.exactTimes;
      if (planned.ref && !planned.actions.some((a) => a.op === 'source-update')) {
        work.href = planned.ref.href;
        work.etag = planned.ref.etag;
      }
      if (work.conflict?.resolution) delete work.conflict;
      if (!work.quarantine || work.quarantine.sourceHash !== work.sourceHash) delete work.quarantine;
    }
  }
  const restored =
    !failed && planned.actions.some((a) => a.op === 'source-restore' || a.op === 'task-source-restore');
  if (!desired && !restored) {
    // Gone from the source: units deleted, or deliberately left in Kakao, are forgotten; only
    // units whose delete failed stay mapped, to be retried.
    for (const key of Object.keys(work.units)) if (!failedUnits.has(key)) delete work.units[key];
  }
  const empty = Object.keys(work.units).length === 0;
  if (!desired && empty) return 'remove';
  if (desired && empty && !work.quarantine && !failed && work.sourceHash === '') return 'none';
  return 'put';
}

/** Operations after which Kakao is known to hold the unit as mapped (written, or read just now). */
const knownAfter = new Set<Action['op']>([
  'create',
  'adopt',
  'update',
  'replace',
  'instance',
  'accept-kakao',
  'task-create',
  'task-adopt',
  'task-update',
  'task-complete',
  'task-accept',
  'task-source-restore',
]);

/** Verification need not read a unit the action wrote (or read) again before a full cycle from now. */
export function markWritten(work: ItemMapping, action: Action, now: Date): void {
  const unit = 'unitKey' in action && knownAfter.has(action.op) ? work.units[action.unitKey] : undefined;
  if (unit?.kakaoId) unit.writtenAt = now.toISOString();
}
