import type { EventDetail } from '../../kakao/types.js';
import { withinGrant } from '../../model/granted-call.js';
import type { CallPurpose, QuotaGate } from '../../model/quota.js';
import { LockLostError } from '../errors.js';
import { classifyKakaoFailure, type KakaoPort } from '../kakao-port.js';
import type { ItemMapping } from '../store/mapping.js';
import { type TaskRead, taskChangedSince } from '../tasks/task-precondition.js';
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
  /** Task links: one task read through the quota, as `read`; absent: a task is written unread. */
  readTask?: (taskId: string) => Promise<TaskRead | 'refused'>;
  replanTask?: (planned: PlannedItem, reads: ReadonlyMap<string, TaskRead>) => Replanned;
}

const refused: CheckedItem = {
  kind: 'deferred',
  reason: 'its read before the write was deferred (quota)',
  drift: false,
};

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
  const taskReads = new Map<string, TaskRead>();
  let changed = false;
  for (const p of planned.preconditions ?? []) {
    const unit = mapping?.units[p.unitKey];
    if (!unit) continue;
    if (p.task) {
      if (!deps.readTask) continue;
      const task = await deps.readTask(p.readId);
      if (task === 'refused') return refused;
      taskReads.set(p.kakaoId, task);
      if (taskChangedSince(unit, task)) changed = true;
      continue;
    }
    const detail = await deps.read(p.readId);
    if (detail === 'refused') return refused;
    // A missing first instance does not prove the series gone: the next run lists the horizon.
    if (detail === null && unit.recurring) {
      return { kind: 'deferred', reason: 'its first instance is gone from Talk Calendar', drift: true };
    }
    const read = detail === null ? null : preconditionRead(unit, detail);
    reads.set(p.kakaoId, read);
    if (changedSince(unit, read)) changed = true;
  }
  if (!changed) return { kind: 'as-planned', item: planned };
  const replanned =
    taskReads.size > 0 && deps.replanTask ? deps.replanTask(planned, taskReads) : deps.replan(planned, reads);
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

/**
 * One precondition read (an event's detail call, or a task GET) as a 'detail' call of the quota;
 * its requests are tallied by purpose. null: Kakao has no such event or task (any more).
 */
export async function readForPrecondition<T>(
  deps: { quota: QuotaGate; userId: string },
  read: () => Promise<T | undefined>,
  tally: (purpose: CallPurpose) => void,
): Promise<T | null | 'refused'> {
  const { quota, userId } = deps;
  if (!(await quota.acquire(userId, 'detail', 1))) return 'refused';
  tally('detail');
  try {
    return (await withinGrant(quota, userId, 'detail', read, tally)) ?? null;
  } catch (err) {
    if (classifyKakaoFailure(err) === 'not-found') return null;
    throw err;
  }
}

/** Apply's precondition reads through the quota, and its re-plans; none when the link makes none. */
export function preconditionDeps(
  deps: {
    quota: QuotaGate;
    userId: string;
    kakao: KakaoPort;
    replan?: PreconditionDeps['replan'];
    replanTask?: PreconditionDeps['replanTask'];
  },
  tally: (purpose: CallPurpose) => void,
): PreconditionDeps | undefined {
  const { kakao, replan, replanTask } = deps;
  if (!replan) return undefined;
  const read = (id: string) => readForPrecondition(deps, () => kakao.getEvent(id), tally);
  const getTask = kakao.getTask?.bind(kakao);
  if (!getTask || !replanTask) return { read, replan };
  const readTask = (id: string) => readForPrecondition(deps, () => getTask(id), tally);
  return { read, replan, readTask, replanTask };
}
