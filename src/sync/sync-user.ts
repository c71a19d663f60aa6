import type { Cluster, Redis } from 'ioredis';
import type { Config } from '../config/schema.js';
import { KakaoError } from '../kakao/errors.js';
import type { DesiredItem } from '../model/desired.js';
import { TalkcalError } from '../model/errors.js';
import type { Link } from '../model/link.js';
import type { CallPurpose, QuotaGate } from '../model/quota.js';
import type { SourceItem, Storage } from '../sources/storage.js';
import { translateEvent } from '../translate/event.js';
import { defaultLimits, type TranslateLimits } from '../translate/limits.js';
import { translateTodo } from '../translate/task.js';
import { LockLostError } from './errors.js';
import type { KakaoPort } from './kakao-port.js';
import type { KakaoSnapshot } from './kakao-snapshot.js';
import type { SyncKeys } from './keys.js';
import { withUserLock } from './lock.js';
import { mappedKakaoIds } from './mapping.js';
import type { MappingStore } from './mapping-store.js';
import type { Conflict } from './plan-types.js';
import { type LinkSyncResult, type SyncSettings, syncLink } from './sync-link.js';
import { type WriteBack, writeBackBrief } from './write-back.js';

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
  /** Override of the translators (tests); default translateEvent / translateTodo. */
  translate?: (item: SourceItem, link: Link, ctx: TranslateInputs) => DesiredItem;
  /** Bounds on what one item may cost (config `limits`); default `defaultLimits`. */
  limits?: TranslateLimits;
}

export interface TranslateInputs {
  timeZone: string;
  now: Date;
  horizon: { from: Date; to: Date };
  limits?: TranslateLimits;
}

export interface UserSyncOptions {
  force?: boolean;
  dryRun?: boolean;
  onProgress?: (progress: { phase: string; done: number; total: number }) => void;
}

export interface LinkSummary {
  linkId: string;
  counts: {
    kakao: { created: number; updated: number; deleted: number };
    source: { created: number; updated: number; deleted: number };
  };
  skipped: LinkSyncResult['skipped'];
  warnings: string[];
  conflicts: Conflict[];
  quarantined: { sourceKey: string; reason: string }[];
  failed: { sourceKey: string; error: string }[];
  calls: Partial<Record<CallPurpose, number>>;
  /** The plan (dry runs print it). */
  plan: LinkSyncResult['plan'];
  error?: string;
}

export interface UserSyncResult {
  userId: string;
  links: LinkSummary[];
  calls: Partial<Record<CallPurpose, number>>;
  durationMs: number;
}

/** config.sync → the engine's settings. */
export function syncSettingsFrom(sync: Config['sync']): SyncSettings {
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
  };
}

function defaultTranslate(item: SourceItem, link: Link, ctx: TranslateInputs): DesiredItem {
  const limits = ctx.limits ?? defaultLimits;
  if (item.kind === 'todo') return translateTodo(item, { userTimeZone: ctx.timeZone, now: ctx.now, limits });
  return translateEvent(item, {
    userTimeZone: ctx.timeZone,
    horizon: ctx.horizon,
    suppressDefaultReminders: link.suppressDefaultReminders,
    now: ctx.now,
    limits,
  });
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

export async function syncUser(
  input: UserSyncInput,
  deps: SyncUserDeps,
  opts: UserSyncOptions = {},
): Promise<UserSyncResult> {
  const now = deps.now ?? (() => new Date());
  const started = Date.now();
  const links = input.links.filter((l) => l.enabled);
  const result: UserSyncResult = { userId: input.userId, links: [], calls: {}, durationMs: 0 };
  await withUserLock(deps.redis, deps.keys, input.userId, deps.lockTtlMs, async (lock) => {
    const ids =
      links.length > 1 ? await mappedIds(deps.store, input.userId, links) : new Map<string, Set<string>>();
    for (const [done, link] of links.entries()) {
      opts.onProgress?.({ phase: `link ${link.id}`, done, total: links.length });
      const foreignIds = new Set<string>();
      for (const [other, set] of ids) if (other !== link.id) for (const id of set) foreignIds.add(id);
      const t = now();
      const ctx: TranslateInputs = {
        timeZone: input.timeZone,
        now: t,
        horizon: {
          from: new Date(t.getTime() - deps.settings.horizonPastDays * 86_400_000),
          to: new Date(t.getTime() + deps.settings.horizonFutureDays * 86_400_000),
        },
        limits: deps.limits ?? defaultLimits,
      };
      const translate = deps.translate ?? defaultTranslate;
      let r: LinkSyncResult;
      try {
        r = await syncLink(
          link,
          {
            userId: input.userId,
            store: deps.store,
            kakao: deps.kakao,
            storage: deps.storageFor(link),
            quota: deps.quota,
            lock,
            settings: deps.settings,
            translate: (item) => translate(item, link, ctx),
            now,
            foreignIds,
            ...(deps.snapshot ? { snapshot: deps.snapshot } : {}),
            writeBack: deps.writeBack ?? writeBackBrief,
          },
          { force: opts.force === true, dryRun: opts.dryRun === true },
        );
      } catch (err) {
        if (!isLinkLocal(err)) throw err;
        r = {
          linkId: link.id,
          skipped: null,
          plan: null,
          apply: null,
          windowsRead: 0,
          calls: {},
          warnings: [],
        };
        r.error = err.message;
      }
      const summary = summarize(r);
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
