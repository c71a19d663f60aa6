import type { EventDetail } from '../../kakao/types.js';
import { withinGrant } from '../../model/granted-call.js';
import type { CallPurpose, QuotaGate } from '../../model/quota.js';
import { LockLostError } from '../errors.js';
import { classifyKakaoFailure, type KakaoPort } from '../kakao-port.js';
import type { ItemMapping } from '../store/mapping.js';
import type { Conflict, PlannedItem } from './plan-types.js';
import { changedSince, type PreconditionRead, preconditionRead } from './precondition.js';
import type { Replanned } from './replan.js';

// Apply's side of the precondition reads of a two-way link (see precondition.ts): read each event
// the item's writes would overwrite; all as recorded → the item goes ahead as planned; a Talk
// Calendar edit (or deletion) → the item is planned again with what was read.

export interface PreconditionDeps {
  /** One detail read through the quota: the event, null when it is gone, 'refused' when deferred. */
  read: (readId: string) => Promise<EventDetail | null | 'refused'>;
  replan: (planned: PlannedItem, reads: ReadonlyMap<string, PreconditionRead>) => Replanned;
}

export type CheckedItem =
  | { kind: 'as-planned'; item: PlannedItem }
  | { kind: 'replanned'; item: PlannedItem; replanned: Replanned }
  /** Not written this run: the read was refused, or a recurrence's first instance read 404. */
  | { kind: 'deferred'; reason: string; drift: boolean };

export async function checkPreconditions(
  planned: PlannedItem,
  mapping: ItemMapping | undefined,
  deps: PreconditionDeps,
): Promise<CheckedItem> {
  const reads = new Map<string, PreconditionRead>();
  let changed = false;
  for (const p of planned.preconditions ?? []) {
    const unit = mapping?.units[p.unitKey];
    if (!unit) continue;
    const detail = await deps.read(p.readId);
    if (detail === 'refused') {
      return { kind: 'deferred', reason: 'its read before the write was deferred (quota)', drift: false };
    }
    // A missing first instance does not prove the series gone: the next run lists the horizon.
    if (detail === null && unit.recurring) {
      return { kind: 'deferred', reason: 'its first instance is gone from Talk Calendar', drift: true };
    }
    const read = detail === null ? null : preconditionRead(unit, detail);
    reads.set(p.kakaoId, read);
    if (changedSince(unit, read)) changed = true;
  }
  if (!changed) return { kind: 'as-planned', item: planned };
  const replanned = deps.replan(planned, reads);
  if (replanned.defer) return { kind: 'deferred', reason: 'it waits for a read of its window', drift: false };
  return { kind: 'replanned', item: replanned.item, replanned };
}

/** Where apply keeps what the checks found (its ApplyResult). */
export interface PreconditionSink {
  warnings: string[];
  conflicts: Conflict[];
  deferred: string[];
  failed: { sourceKey: string; error: string }[];
  driftSeen: boolean;
}

/** The item to apply after its precondition reads, or none when it waits or its read failed. */
export async function itemAfterPreconditions(
  planned: PlannedItem,
  mapping: ItemMapping | undefined,
  deps: PreconditionDeps,
  sink: PreconditionSink,
): Promise<PlannedItem | undefined> {
  const { sourceKey } = planned;
  let checked: CheckedItem;
  try {
    checked = await checkPreconditions(planned, mapping, deps);
  } catch (err) {
    if (err instanceof LockLostError || classifyKakaoFailure(err) === 'stop') throw err;
    sink.failed.push({ sourceKey, error: err instanceof Error ? err.message : String(err) });
    return undefined;
  }
  if (checked.kind === 'deferred') {
    sink.deferred.push(sourceKey);
    sink.warnings.push(`${sourceKey}: not written to Talk Calendar this run: ${checked.reason}`);
    if (checked.drift) sink.driftSeen = true;
    return undefined;
  }
  if (checked.kind === 'replanned') {
    const again = checked.replanned;
    sink.conflicts.push(...again.conflicts);
    sink.warnings.push(...again.warnings);
    if (again.drift) sink.driftSeen = true;
  }
  return checked.item;
}

/** One precondition read as a 'detail' call of the quota; its requests are tallied by purpose. */
export async function readForPrecondition(
  deps: { quota: QuotaGate; userId: string; kakao: KakaoPort },
  readId: string,
  tally: (purpose: CallPurpose) => void,
): Promise<EventDetail | null | 'refused'> {
  const { quota, userId, kakao } = deps;
  if (!(await quota.acquire(userId, 'detail', 1))) return 'refused';
  tally('detail');
  try {
    return await withinGrant(quota, userId, 'detail', () => kakao.getEvent(readId), tally);
  } catch (err) {
    if (classifyKakaoFailure(err) === 'not-found') return null;
    throw err;
  }
}
