import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import type { EventCreate } from '../../kakao/types.js';
import { withinGrant } from '../../model/granted-call.js';
import type { CallPurpose } from '../../model/quota.js';
import { LockLostError } from '../errors.js';
import { classifyKakaoFailure } from '../kakao-port.js';
import {
  type CreateIntent,
  type ItemMapping,
  instanceOpKey,
  type LinkState,
  type UnitMapping,
} from '../store/mapping.js';
import { TaskWriter } from '../tasks/apply-tasks.js';
import { itemAfterPreconditions, preconditionDeps } from './apply-precondition.js';
import { ItemFailure, SourceWriter, sourceFailure, sourceWrites } from './apply-source.js';
import type { ApplyDeps, ApplyResult } from './apply-types.js';
import { finishMapping, type MappingWrite, markWritten } from './finish-mapping.js';
import { type Action, entriesByItem, type Plan, type PlannedItem } from './plan-types.js';
import { compactTime, desiredItemHash, normTime } from './projection.js';
import { fullUpdate, unitFor } from './unit-state.js';
import { withDetail } from './write-back.js';

// Executes a plan: each operation through the KakaoPort or the Storage, each item isolated from the
// others' failures. Every create is announced by a write-ahead intent and followed by one atomic
// commit (intent deleted + mapping written), so a crash anywhere leaves no duplicate and no orphan
// the next run cannot find. Items are applied `writeConcurrency` at a time (each item's entries and
// actions in plan order, each write still paced by the quota gate), so one slow request does not
// stall the rest; an error that must end the run stops every item at its next write.

export class PlanApplier {
  readonly result: ApplyResult = {
    counts: { kakaoCreated: 0, kakaoUpdated: 0, kakaoDeleted: 0, sourceUpdated: 0, sourceDeleted: 0 },
    calls: {},
    quarantined: [],
    failed: [],
    warnings: [],
    driftSeen: false,
    conflicts: [],
    deferred: [],
  };

  private readonly unsettled = new Set<string>();
  /** The error that ends the run (lock lost, token, quota…): no item writes after it. */
  private halted: { error: unknown } | undefined;
  private readonly source: SourceWriter;
  private readonly tasks: TaskWriter;

  constructor(
    private readonly deps: ApplyDeps,
    private readonly state: LinkState,
  ) {
    this.source = new SourceWriter(deps, this.result);
    const call = <T>(fn: () => Promise<T>, announce?: () => Promise<void>) =>
      this.call('write', fn, announce);
    this.tasks = new TaskWriter({ ...deps, call }, state, this.result.counts);
  }

  async apply(plan: Plan): Promise<ApplyResult> {
    const limit = pLimit(Math.max(1, this.deps.writeConcurrency ?? 1));
    await Promise.all(
      entriesByItem(plan.items).map((entries) =>
        limit(async () => {
          // One item's entries (e.g. its writes, then deleting the orphan of its interrupted create)
          // each read and rewrite the item's mapping: they run one after another, in plan order.
          for (const planned of entries) {
            if (this.halted) return;
            try {
              this.deps.lock.assertHeld();
              await this.applyItem(planned);
            } catch (error) {
              this.halted ??= { error };
            }
          }
        }),
      ),
    );
    if (this.halted) throw this.halted.error;
    // An intent whose orphan could not be deleted stays open: the next run finds the event again.
    const settle = plan.settledIntents.filter((id) => !this.unsettled.has(id));
    if (settle.length > 0) {
      await this.deps.store.commit(this.deps.lock, this.deps.linkId, { settleIntents: settle });
    }
    return this.result;
  }

  /** `announce` runs once the quota granted the call, just before each send (a create's intent). */
  private async call<T>(
    purpose: CallPurpose,
    fn: () => Promise<T>,
    announce?: () => Promise<void>,
  ): Promise<T> {
    await this.deps.quota.acquire(this.deps.userId, purpose, 1);
    // The quota may have made us wait: a holder whose lease ran out meanwhile must not write, nor
    // an item running beside one that hit an error ending the run.
    if (this.halted) throw this.halted.error;
    await announce?.();
    this.assertMayWrite();
    this.tally(purpose);
    // Retries and the repeat after a token refresh are charged as they are sent, and are writes
    // too: each is announced again (a create's intent stamped anew) and none goes out once the
    // lease may have run out or the run halted (a retry can come seconds later, beside other writes).
    return withinGrant(
      this.deps.quota,
      this.deps.userId,
      purpose,
      fn,
      async (extra) => {
        await announce?.();
        this.assertMayWrite();
        this.tally(extra);
      },
      () => this.assertMayWrite(),
    );
  }

  private assertMayWrite(): void {
    if (this.halted) throw this.halted.error;
    this.deps.lock.assertHeld();
  }

  private tally(purpose: CallPurpose): void {
    this.result.calls[purpose] = (this.result.calls[purpose] ?? 0) + 1;
  }

  private async applyItem(given: PlannedItem): Promise<void> {
    const { sourceKey } = given;
    const before = this.state.items.get(sourceKey);
    const planned = await this.preconditionsHold(given, before);
    if (!planned) return;
    const work: ItemMapping = before
      ? structuredClone(before)
      : { sourceKey, sourceHash: '', contentHash: '', units: {} };
    const failedUnits = new Set<string>();
    let itemFailed = false;
    // An item that is one plain create (most of a first sync) is recorded by the create's own
    // commit, which settles its intent: one mapping write instead of two.
    const only = planned.actions.length === 1 ? planned.actions[0] : undefined;
    let finished = false;
    const finish =
      only?.op === 'create' && only.instances.length === 0
        ? () => {
            this.markWritten(work, only);
            finished = this.finishItem(work, planned, false, failedUnits) === 'put';
            return finished;
          }
        : undefined;
    for (const action of planned.actions) {
      try {
        await this.run(action, work, finish);
        if (!finished) this.markWritten(work, action);
      } catch (err) {
        if (err instanceof LockLostError) throw err; // another process may be syncing now: stop at once
        const kind = err instanceof ItemFailure ? err.kind : classifyKakaoFailure(err);
        const cause = err instanceof ItemFailure ? err.original : err;
        // Stop: no commit. Creates are already committed; updates and deletes are idempotent.
        if (kind === 'stop') throw cause;
        itemFailed = true;
        if ('unitKey' in action) failedUnits.add(action.unitKey);
        if (action.op === 'delete-orphan') this.unsettled.add(action.intentId);
        const message = cause instanceof Error ? cause.message : String(cause);
        if (kind === 'item' && planned.desired) {
          work.quarantine = {
            reason: message,
            sourceHash: desiredItemHash(planned.desired),
            at: this.deps.now().toISOString(),
          };
          this.result.quarantined.push({ sourceKey, reason: message });
          break;
        }
        this.result.failed.push({ sourceKey, error: message });
        // A source write not made must not be followed by accepting Talk Calendar's version: the
        // next run would see nothing edited, and the write-back (or restore) would be lost.
        if (kind === 'source-changed' || sourceWrites.has(action.op)) break;
      }
    }
    if (finished) return;
    const outcome = this.finishItem(work, planned, itemFailed, failedUnits);
    if (outcome === 'remove') {
      await this.deps.store.commit(this.deps.lock, this.deps.linkId, { remove: [work.sourceKey] });
    } else if (outcome === 'put') {
      await this.deps.store.commit(this.deps.lock, this.deps.linkId, { put: [work] });
    }
  }

  /** The item to apply after its precondition reads (two-way), or none when it waits or failed. */
  private preconditionsHold(planned: PlannedItem, mapping: ItemMapping | undefined) {
    const deps = preconditionDeps(this.deps, (p) => this.tally(p));
    if (!deps || !planned.preconditions?.length) return Promise.resolve(planned);
    return itemAfterPreconditions(planned, mapping, deps, this.result);
  }

  private markWritten(work: ItemMapping, action: Action): void {
    markWritten(work, action, this.deps.now());
  }

  /** The item's mapping after its actions, in `work` and the run's state: what to write. */
  private finishItem(
    work: ItemMapping,
    planned: PlannedItem,
    failed: boolean,
    failedUnits: Set<string>,
  ): MappingWrite {
    const write = finishMapping(work, planned, failed, failedUnits, this.deps.now());
    if (write === 'remove') this.state.items.delete(work.sourceKey);
    if (write === 'put') this.state.items.set(work.sourceKey, work);
    return write;
  }

  /** `finish`: for a plain create that is the item's only action, records the finished item. */
  private async run(a: Action, work: ItemMapping, finish?: () => boolean): Promise<void> {
    const { kakao } = this.deps;
    switch (a.op) {
      case 'create':
        return this.create(work, a.unitKey, a.event, a.instances, a.desiredHash, finish);
      case 'adopt':
        work.units[a.unitKey] = unitFor(a.kakaoId, a.event, a.desiredHash, a.instances);
        return this.applyInstances(work, a.unitKey, a.instances);
      case 'update': {
        const unit = work.units[a.unitKey]!;
        const id = a.recurring ? `${a.kakaoId}_${compactTime(unit.start)}` : a.kakaoId;
        try {
          await this.call('write', () =>
            kakao.updateEvent(id, fullUpdate(a.event, a.recurring), a.recurring ? 'ALL' : undefined),
          );
        } catch (err) {
          if (classifyKakaoFailure(err) !== 'not-found') throw err;
          // Deleted in Kakao behind our back: the source has the newer word, so restore it.
          this.result.driftSeen = true;
          delete work.units[a.unitKey];
          return this.create(work, a.unitKey, a.event, a.allInstances, a.desiredHash);
        }
        this.result.counts.kakaoUpdated++;
        work.units[a.unitKey] = {
          ...unitFor(a.kakaoId, a.event, a.desiredHash, a.allInstances),
          instancesApplied: a.applied,
        };
        return this.applyInstances(work, a.unitKey, a.instances);
      }
      case 'replace':
        await this.deleteEvent(a.kakaoId, a.oldRecurring, work.units[a.unitKey]?.start);
        delete work.units[a.unitKey];
        return this.create(work, a.unitKey, a.event, a.instances, a.desiredHash);
      case 'delete':
        await this.deleteEvent(a.kakaoId, a.recurring, work.units[a.unitKey]?.start);
        delete work.units[a.unitKey];
        return;
      case 'delete-orphan':
        if (a.task) await this.tasks.deleteById(a.kakaoId);
        else await this.deleteEvent(a.kakaoId, a.recurring, undefined);
        return;
      case 'instance': {
        // Planned because Kakao does not hold it as wanted (new, or its content changed): sent.
        const unit = work.units[a.unitKey];
        const key = instanceOpKey(a.instance);
        if (unit) unit.instancesApplied = unit.instancesApplied.filter((k) => k !== key);
        return this.applyInstances(work, a.unitKey, [a.instance]);
      }
      case 'record': {
        const unit = work.units[a.unitKey];
        if (!unit?.kakaoId) return;
        work.units[a.unitKey] = {
          ...unitFor(unit.kakaoId, a.event, a.desiredHash, a.instances),
          kakaoHash: unit.kakaoHash,
          instancesApplied: a.applied,
          ...(unit.writtenAt ? { writtenAt: unit.writtenAt } : {}),
        };
        return;
      }
      case 'accept-kakao': {
        const unit = work.units[a.unitKey];
        if (!unit) return;
        if (a.kakaoHash === null) unit.kakaoId = null;
        else unit.kakaoHash = a.kakaoHash;
        if (a.at) Object.assign(unit, a.at);
        if (a.detail && unit.event) unit.event = withDetail(unit.event, a.detail);
        return;
      }
      case 'task-create':
      case 'task-adopt':
      case 'task-update':
      case 'task-delete':
      case 'task-complete':
      case 'task-accept':
      case 'task-record':
        return this.tasks.run(a, work);
      case 'task-source-status':
        return this.source.writeTask(work, a);
      case 'task-source-restore':
        return this.source.restoreTask(work, a.task, a.completed);
      case 'source-update':
        return this.source.update(a.href, a.etag, a.from, work, a.detail);
      case 'source-delete':
        try {
          await this.deps.storage.delete(a.href, a.etag);
        } catch (err) {
          throw sourceFailure(err);
        }
        this.result.counts.sourceDeleted++;
        work.units = {};
        return;
      case 'source-restore':
        return this.source.restore(work, a.from, a.event);
      case 'forget':
        work.units = {};
        return;
    }
  }

  private async settleRefused(intentId: string): Promise<void> {
    await this.deps.store.commit(this.deps.lock, this.deps.linkId, { settleIntents: [intentId] });
    this.state.intents = this.state.intents.filter((i) => i.id !== intentId);
  }

  private async deleteEvent(kakaoId: string, recurring: boolean, start: string | undefined): Promise<void> {
    const id = recurring && start ? `${kakaoId}_${compactTime(start)}` : kakaoId;
    try {
      await this.call('write', () => this.deps.kakao.deleteEvent(id, recurring ? 'ALL' : undefined));
      this.result.counts.kakaoDeleted++;
    } catch (err) {
      if (classifyKakaoFailure(err) !== 'not-found') throw err; // already gone: deleted is deleted
    }
  }

  private async create(
    work: ItemMapping,
    unitKey: string,
    event: EventCreate,
    instances: UnitMapping['instances'],
    desiredHash: string,
    finish?: () => boolean,
  ): Promise<void> {
    const { store, lock, linkId, calendarId, kakao } = this.deps;
    const intent: CreateIntent = {
      id: randomUUID(),
      sourceKey: work.sourceKey,
      unitKey,
      title: event.title,
      start: normTime(event.time.start_at),
      end: normTime(event.time.end_at),
      allDay: event.time.all_day === true,
      recurring: Boolean(event.rrule),
      calendarId,
      at: '',
    };
    // Stamped just before each send (after any quota wait, again before a retry), so its age
    // bounds how long ago the create was last sent.
    const announce = async () => {
      intent.at = this.deps.now().toISOString();
      await store.openIntent(lock, linkId, intent);
      if (!this.state.intents.includes(intent)) this.state.intents.push(intent);
    };
    // An unknown outcome leaves the intent open: the next run lists its window and adopts or creates.
    // A create Kakao refused (the item's own error) made nothing: its intent is settled at once.
    const kakaoId = await this.call('write', () => kakao.createEvent(calendarId, event), announce).catch(
      async (err: unknown) => {
        if (classifyKakaoFailure(err) === 'item' && intent.at) await this.settleRefused(intent.id);
        throw err;
      },
    );
    this.result.counts.kakaoCreated++;
    work.units[unitKey] = unitFor(kakaoId, event, desiredHash, instances);
    this.state.intents = this.state.intents.filter((i) => i.id !== intent.id);
    finish?.();
    await store.commit(lock, linkId, { put: [work], settleIntents: [intent.id] });
    await this.applyInstances(work, unitKey, instances ?? []);
  }

  private async applyInstances(
    work: ItemMapping,
    unitKey: string,
    ops: UnitMapping['instances'],
  ): Promise<void> {
    const unit = work.units[unitKey];
    if (!unit?.kakaoId) return;
    for (const op of ops ?? []) {
      const key = instanceOpKey(op);
      if (unit.instancesApplied.includes(key)) continue;
      const id = `${unit.kakaoId}_${op.instanceStart}`;
      try {
        if (op.action === 'delete') await this.call('write', () => this.deps.kakao.deleteEvent(id, op.scope));
        else await this.call('write', () => this.deps.kakao.updateEvent(id, op.update ?? {}, op.scope));
      } catch (err) {
        const kind = classifyKakaoFailure(err);
        if (kind !== 'not-found') {
          // No answer (a retryable failure): Kakao may have applied it. Sent again while wanted; if
          // the source undoes it first, the series is replaced rather than trusted to lack it.
          if (kind === 'retryable' || kind === 'outcome-unknown') markUncertain(unit, key);
          throw err;
        }
        this.result.driftSeen = true; // the instance does not exist (any more): nothing left to do
      }
      unit.instancesApplied.push(key);
      if (unit.instancesUncertain) unit.instancesUncertain = unit.instancesUncertain.filter((k) => k !== key);
      if (unit.instancesUncertain?.length === 0) delete unit.instancesUncertain;
    }
  }
}

/** Convenience: apply a whole plan. */
export function applyPlan(plan: Plan, state: LinkState, deps: ApplyDeps): Promise<ApplyResult> {
  return new PlanApplier(deps, state).apply(plan);
}

function markUncertain(unit: UnitMapping, key: string): void {
  const uncertain = unit.instancesUncertain ?? [];
  if (!uncertain.includes(key)) unit.instancesUncertain = [...uncertain, key];
}
