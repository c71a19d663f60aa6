import type { Cluster, Redis } from 'ioredis';
import type { Config } from '../config/schema.js';
import { KakaoError } from '../kakao/errors.js';
import { TalkcalError } from '../model/errors.js';
import type { Link } from '../model/link.js';
import type { CallPurpose, QuotaGate } from '../model/quota.js';
import { inProcessWork, type SourceWork } from '../pool/translation-pool.js';
import type { Storage } from '../sources/storage.js';
import { defaultLimits, type TranslateLimits } from '../translate/limits.js';
import type { ItemTranslateOptions } from '../translate/source-item.js';
import { LockLostError } from './errors.js';
import type { Conflict } from './events/plan-types.js';
import { type WriteBack, writeBackBrief } from './events/write-back.js';
import type { GuestStore } from './guest/guest-store.js';
import type { KakaoPort } from './kakao-port.js';
import { emptyLinkResult } from './link-types.js';
import type { KakaoSnapshot } from './store/kakao-snapshot.js';
import type { SyncKeys } from './store/keys.js';
import {
  type BackoffPolicy,
  isBackingOff,
  type LinkBackoff,
  LinkBackoffStore,
  nextBackoff,
} from './store/link-backoff.js';
import { type HeldLock, withUserLock } from './store/lock.js';
import { mappedKakaoIds } from './store/mapping.js';
import type { MappingStore } from './store/mapping-store.js';
import { type LinkSyncResult, type SyncSettings, syncLink } from './sync-link.js';
import { refreshTaskRecords, TaskRecordStore } from './tasks/task-records.js';

// The entry point the daemon's worker calls: one user's sync under the user's lock, every enabled
// link in turn, each link's failure isolated unless it must stop the whole run (token, quota).

export interface UserSyncInput {
  userId: string;
  timeZone: string;
  links: Link[];
}

export interface SyncUserDeps {
  redis: Redis | Cluster;
  keys: SyncKeys;
  store: MappingStore;
  kakao: KakaoPort;
  storageFor: (link: Link) => Storage;
  quota: QuotaGate;
  settings: SyncSettings;
  lockTtlMs: number;
  now?: () => Date;
  snapshot?: KakaoSnapshot;
  writeBack?: WriteBack;
  /** Where items are translated: the daemon's translation threads; default the calling thread. */
  work?: SourceWork;
  /** Bounds on what one item may cost (config `limits`); default `defaultLimits`. */
  limits?: TranslateLimits;
  /** How long a failed link waits before its next try (default: 15 minutes doubling to 24 hours). */
  backoff?: BackoffPolicy;
  /** Guest events two-way CalDAV links mirror (followed public, subscribed); absent: not mirrored. */
  guests?: GuestStore;
  /** Links that talk to Kakao otherwise than through `kakao` (channel links: public events). */
  linkSetup?: (link: Link) => LinkSetup | undefined;
}

/** How one link differs from a user link: its own port, and how its items are translated. */
export interface LinkSetup {
  kakao: KakaoPort;
  /** Every recurrence as single events (for a port that cannot write recurring events). */
  expandRecurrences?: boolean;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 15 * 60_000, maxMs: 24 * 3600_000 };

/** config.limits → the backoff of failed links. */
export function backoffPolicyFrom(limits: Config['limits']): BackoffPolicy {
  return { baseMs: limits.backoffBaseMinutes * 60_000, maxMs: limits.backoffMaxHours * 3600_000 };
}

export interface UserSyncOptions {
  force?: boolean;
  dryRun?: boolean;
  /** A run someone asked for: links in backoff are tried now (a forced run tries them too). */
  manual?: boolean;
  onProgress?: (progress: { phase: string; done: number; total: number }) => void;
}

export interface LinkSummary {
  linkId: string;
  counts: {
    kakao: { created: number; updated: number; deleted: number };
    source: { created: number; updated: number; deleted: number };
  };
  skipped: LinkSyncResult['skipped'] | 'backoff';
  warnings: string[];
  /** The link failed and waits before its next try (scheduled runs skip it until `retryAt`). */
  backoff?: LinkBackoff;
  conflicts: Conflict[];
  quarantined: { sourceKey: string; reason: string }[];
  failed: { sourceKey: string; error: string }[];
  calls: Partial<Record<CallPurpose, number>>;
  /** The plan (dry runs print it). */
  plan: LinkSyncResult['plan'];
  error?: string;
  /** Guest events mirrored into a two-way CalDAV link (guest/sync-guests.ts). */
  guests?: LinkSyncResult['guests'];
  /** Holidays and subscribed calendars written into the link's collection (daemon/mirror-service.ts). */
  mirror?: { written: number; deleted: number };
}

export interface UserSyncResult {
  userId: string;
  links: LinkSummary[];
  calls: Partial<Record<CallPurpose, number>>;
  durationMs: number;
}

/** config.sync (and the Kakao request time limit) → the engine's settings. */
export function syncSettingsFrom(
  sync: Config['sync'],
  kakao?: Pick<Config['kakao'], 'timeoutMs'>,
): SyncSettings {
  return {
    horizonPastDays: sync.horizonPastDays,
    horizonFutureDays: sync.horizonFutureDays,
    massDeleteShare: sync.massDeleteShare,
    massDeleteMinItems: sync.massDeleteMinItems,
    verify: {
      nearDays: sync.verifyNearDays,
      nearEveryHours: sync.verifyNearEveryHours,
      farEveryHours: sync.verifyFarEveryHours,
      perRun: 1,
    },
    twoWayReadEveryMinutes: sync.twoWayReadEveryMinutes,
    detailBudgetPerRun: sync.detailBudgetPerRun,
    oneWayDetailReadsPerDay: sync.oneWayDetailReadsPerDay,
    writeConcurrency: sync.writeConcurrency,
    ...(kakao ? { kakaoTimeoutMs: kakao.timeoutMs } : {}),
    taskRecordsEveryHours: sync.taskRecordsEveryHours,
  };
}

function summarize(r: LinkSyncResult): LinkSummary {
  const c = r.apply?.counts;
  return {
    linkId: r.linkId,
    counts: {
      kakao: { created: c?.kakaoCreated ?? 0, updated: c?.kakaoUpdated ?? 0, deleted: c?.kakaoDeleted ?? 0 },
      source: { created: 0, updated: c?.sourceUpdated ?? 0, deleted: c?.sourceDeleted ?? 0 },
    },
    skipped: r.skipped,
    warnings: r.warnings,
    conflicts: r.plan?.conflicts ?? [],
    quarantined: r.apply?.quarantined ?? [],
    failed: r.apply?.failed ?? [],
    calls: r.calls,
    plan: r.plan,
    ...(r.error ? { error: r.error } : {}),
    ...(r.guests ? { guests: r.guests } : {}),
  };
}

/** A failure that concerns only this link (its source unreachable, a transient Kakao error). */
function isLinkLocal(err: unknown): err is TalkcalError {
  if (!(err instanceof TalkcalError) || err instanceof LockLostError) return false;
  if (err instanceof KakaoError) return err.scope === 'retryable' || err.scope === 'item';
  return err.scope !== 'app';
}

/** Kakao ids mapped by each link, to keep links from adopting each other's events. */
async function mappedIds(
  store: MappingStore,
  userId: string,
  links: Link[],
): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (const link of links) {
    out.set(link.id, mappedKakaoIds(await store.load(userId, link.id)));
  }
  return out;
}

/** One link's sync; a failure that concerns only this link becomes its result's `error`. */
async function runLink(
  input: UserSyncInput,
  link: Link,
  deps: SyncUserDeps,
  run: { lock: HeldLock; foreignIds: Set<string>; now: () => Date; opts: UserSyncOptions },
): Promise<LinkSyncResult> {
  const t = run.now();
  const setup = deps.linkSetup?.(link);
  const options: ItemTranslateOptions = {
    userTimeZone: input.timeZone,
    now: t,
    horizon: {
      from: new Date(t.getTime() - deps.settings.horizonPastDays * 86_400_000),
      to: new Date(t.getTime() + deps.settings.horizonFutureDays * 86_400_000),
    },
    suppressDefaultReminders: link.suppressDefaultReminders,
    limits: deps.limits ?? defaultLimits,
    ...(setup?.expandRecurrences ? { expandRecurrences: true } : {}),
  };
  const work = deps.work ?? inProcessWork;
  try {
    const result = await syncLink(
      link,
      {
        userId: input.userId,
        store: deps.store,
        kakao: setup?.kakao ?? deps.kakao,
        storage: deps.storageFor(link),
        quota: deps.quota,
        lock: run.lock,
        settings: deps.settings,
        translateMany: (items) => work.translate(items, options, `link ${link.id}`),
        now: run.now,
        foreignIds: run.foreignIds,
        // A create intent is stamped before each send, which happens only within its worker's
        // lease: one older than the lease plus the request timeout can no longer land.
        intentSettleAfterMs: deps.lockTtlMs + (deps.settings.kakaoTimeoutMs ?? 0),
        ...(deps.snapshot ? { snapshot: deps.snapshot } : {}),
        ...(deps.guests ? { guests: deps.guests, maxGuestItems: options.limits.maxItemsPerSource } : {}),
        writeBack: deps.writeBack ?? writeBackBrief,
      },
      { force: run.opts.force === true, dryRun: run.opts.dryRun === true },
    );
    if (!run.opts.dryRun && !result.error) await readTaskRecords(input.userId, link, deps, t, result);
    return result;
  } catch (err) {
    if (!isLinkLocal(err)) throw err;
    return { ...emptyLinkResult(link.id), error: err.message };
  }
}

/** A task link's recurring tasks: their completion history, when due (sync.taskRecordsEveryHours). */
async function readTaskRecords(
  userId: string,
  link: Link,
  deps: SyncUserDeps,
  now: Date,
  result: LinkSyncResult,
): Promise<void> {
  const everyHours = deps.settings.taskRecordsEveryHours;
  const getTaskRecords = deps.kakao.getTaskRecords;
  if (link.target.kind !== 'tasks' || !everyHours || !getTaskRecords) return;
  const count = (purpose: CallPurpose) => {
    result.calls[purpose] = (result.calls[purpose] ?? 0) + 1;
  };
  const out = await refreshTaskRecords({
    userId,
    linkId: link.id,
    state: await deps.store.load(userId, link.id),
    store: new TaskRecordStore(deps.redis, deps.keys.taskRecords),
    getTaskRecords: (id, from, to) => getTaskRecords(id, from, to),
    quota: deps.quota,
    now,
    everyHours,
    horizonPastDays: deps.settings.horizonPastDays,
    count,
  });
  if (out.deferred > 0)
    result.warnings.push(
      `link ${link.id}: ${out.deferred} task histories wait for quota (read on a later run)`,
    );
}

/** The summary of a link skipped because it waits after failures. */
function backingOffSummary(linkId: string, backoff: LinkBackoff): LinkSummary {
  const r = summarize(emptyLinkResult(linkId));
  const next = `next try ${backoff.retryAt}`;
  return {
    ...r,
    skipped: 'backoff',
    backoff,
    warnings: [`skipped after ${backoff.failures} failed run(s), ${next}: ${backoff.reason}`],
  };
}

export async function syncUser(
  input: UserSyncInput,
  deps: SyncUserDeps,
  opts: UserSyncOptions = {},
): Promise<UserSyncResult> {
  const now = deps.now ?? (() => new Date());
  const started = Date.now();
  const links = input.links.filter((l) => l.enabled);
  const result: UserSyncResult = { userId: input.userId, links: [], calls: {}, durationMs: 0 };
  const backoffs = new LinkBackoffStore(deps.redis, deps.keys);
  const policy = deps.backoff ?? defaultBackoff;
  await withUserLock(deps.redis, deps.keys, input.userId, deps.lockTtlMs, async (lock) => {
    const ids =
      links.length > 1 ? await mappedIds(deps.store, input.userId, links) : new Map<string, Set<string>>();
    const waiting = await backoffs.all(input.userId);
    const tryAll = opts.manual === true || opts.force === true;
    for (const [done, link] of links.entries()) {
      opts.onProgress?.({ phase: `link ${link.id}`, done, total: links.length });
      const previous = waiting.get(link.id);
      if (!tryAll && isBackingOff(previous, now())) {
        result.links.push(backingOffSummary(link.id, previous));
        continue;
      }
      const foreignIds = new Set<string>();
      for (const [other, set] of ids) if (other !== link.id) for (const id of set) foreignIds.add(id);
      const r = await runLink(input, link, deps, { lock, foreignIds, now, opts });
      const summary = summarize(r);
      // A guard stop (mass deletion) is no failure: it is shown every run until forced.
      if (!opts.dryRun && r.error !== undefined && r.skipped === null) {
        summary.backoff = nextBackoff(previous, r.error, now(), policy);
        await backoffs.set(input.userId, link.id, summary.backoff);
      } else if (!opts.dryRun && previous) {
        await backoffs.clear(input.userId, link.id);
      }
      result.links.push(summary);
      for (const [p, n] of Object.entries(summary.calls)) {
        result.calls[p as CallPurpose] = (result.calls[p as CallPurpose] ?? 0) + n;
      }
    }
    opts.onProgress?.({ phase: 'done', done: links.length, total: links.length });
  });
  result.durationMs = Date.now() - started;
  return result;
}
