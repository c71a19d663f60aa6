import type { FollowRecord } from '../channel/follow-store.js';
import type { AdmissionPlace } from '../queue/admission.js';
import { LinkSuccessStore } from '../queue/link-success.js';
import { type LastRun, readLastRun } from '../queue/sync-worker.js';
import type { PublicLink } from '../registry/link-store.js';
import type { UserProfile } from '../registry/user-store.js';
import type { Subscription } from '../subscriptions/store.js';
import { syncKeys } from '../sync/store/keys.js';
import { type LinkBackoff, LinkBackoffStore } from '../sync/store/link-backoff.js';
import { type TaskHistory, TaskRecordStore } from '../sync/tasks/task-records.js';
import { appStatus } from './app-status.js';
import type { DaemonContext } from './context.js';
import { followsOfUser } from './follow-service.js';
import { subscriptionStoreOf } from './subscription-service.js';

// Status views shared by the admin API, `talkcal status` and the connect page. Nothing secret.

export interface LinkRunStatus {
  linkId: string;
  [key: string]: unknown;
}

export interface UserStatus {
  user: UserProfile;
  scheduled: boolean;
  links: PublicLink[];
  lastRun?: Omit<LastRun, 'result'>;
  /** Per-link part of the last run's result: counts per side, warnings, quarantined, conflicts. */
  linkRuns: LinkRunStatus[];
  /** Links that failed and wait before their next scheduled try, by link id. */
  backoff: Record<string, LinkBackoff>;
  /** A new user's place in the admission queue of first syncs (absent once admitted). */
  admission?: AdmissionPlace;
  /** Public events of Talk Channels followed for the user. */
  follows: FollowRecord[];
  /** Subscribed calendars (read-only in the user's published feeds). */
  subscriptions: Subscription[];
  /** Completion history of the recurring tasks of the user's task links (task records). */
  taskRecords: TaskRecordsStatus[];
}

export interface TaskRecordsStatus extends TaskHistory {
  linkId: string;
  /** Days recorded, and those of them done. */
  days: number;
  done: number;
}

/** The per-link entries of an engine result (`links` as an array or a map by link id). */
export function linkRunsOf(result: unknown): LinkRunStatus[] {
  const links = (result as { links?: unknown } | null)?.links;
  if (Array.isArray(links)) {
    return links
      .filter((l) => l && typeof l === 'object')
      .map((l) => ({ linkId: String(l.linkId ?? l.id ?? ''), ...l }));
  }
  if (links && typeof links === 'object') {
    return Object.entries(links as Record<string, object>).map(([linkId, l]) => ({ linkId, ...l }));
  }
  return [];
}

export async function userStatus(ctx: DaemonContext, userId: string): Promise<UserStatus> {
  const user = await ctx.registry.users.get(userId);
  const lastRun = await readLastRun(ctx.redis, ctx.registry, userId);
  const { result, ...run } = lastRun ?? ({} as LastRun);
  const admission = await ctx.queue.admission.place(userId);
  return {
    user,
    scheduled: await ctx.queue.isScheduled(userId),
    links: await ctx.registry.links.list(userId),
    ...(lastRun ? { lastRun: run } : {}),
    linkRuns: linkRunsOf(result),
    ...(admission ? { admission } : {}),
    backoff: Object.fromEntries(
      await new LinkBackoffStore(ctx.redis, syncKeys(ctx.config.redis.keyPrefix)).all(userId),
    ),
    follows: await followsOfUser(ctx, userId),
    subscriptions: await subscriptionStoreOf(ctx).list(userId),
    taskRecords: await taskRecordsOf(ctx, userId),
  };
}

async function taskRecordsOf(ctx: DaemonContext, userId: string): Promise<TaskRecordsStatus[]> {
  const store = new TaskRecordStore(ctx.redis, syncKeys(ctx.config.redis.keyPrefix).taskRecords);
  const out: TaskRecordsStatus[] = [];
  for (const link of await ctx.registry.links.list(userId)) {
    if (link.target.kind !== 'tasks') continue;
    for (const h of (await store.load(userId, link.id)).values()) {
      const done = h.records.filter((r) => r.complete).length;
      out.push({ ...h, linkId: link.id, days: h.records.length, done });
    }
  }
  return out.sort((a, b) => a.content.localeCompare(b.content));
}

/** Refreshes the gauges that read Redis (GaugeRefresher calls it on its timer). */
export async function refreshGauges(ctx: DaemonContext): Promise<void> {
  const status = await appStatus(ctx);
  const m = ctx.metrics;
  for (const [state, n] of Object.entries(status.users)) m.usersByState.set({ state }, n);
  for (const state of ['waiting', 'active', 'delayed', 'prioritized', 'failed'] as const) {
    m.queueDepth.set({ state }, status.queue[state]);
  }
  m.queueLag.set(status.queue.lagSeconds);
  m.quota.set({ kind: 'used' }, status.quota.used);
  m.quota.set({ kind: 'remaining' }, status.quota.remaining);
  m.quota.set({ kind: 'projected' }, status.quota.projected);
  m.quota.set({ kind: 'budget' }, status.quota.budget);
  for (const [purpose, n] of Object.entries(status.quota.byPurpose)) m.quotaByPurpose.set({ purpose }, n);
  // Rebuilt on each refresh from the links that still exist: a removed link (whichever command
  // removed it) leaves the output and the store.
  const store = new LinkSuccessStore(ctx.redis, ctx.config.redis.keyPrefix);
  const successes = await store.all();
  const exists = await Promise.all(
    successes.map((s) => ctx.redis.hexists(ctx.registry.keys.links(s.userId), s.linkId)),
  );
  await store.drop(successes.filter((_, i) => exists[i] !== 1));
  m.linkLastSuccess.reset();
  successes.forEach((s, i) => {
    if (exists[i] === 1) m.linkLastSuccess.set({ user_id: s.userId, link_id: s.linkId }, s.seconds);
  });
}
