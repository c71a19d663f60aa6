import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../../src/config/schema.js';
import { createDaemonContext, type DaemonContext } from '../../src/daemon/context.js';
import { tokensFromInput } from '../../src/daemon/user-service.js';
import type { RunningEmulator } from '../../src/emulator/server.js';
import { createLogger } from '../../src/log.js';
import type { LinkInput } from '../../src/model/link.js';
import { userJobId } from '../../src/queue/jobs.js';
import { type LastRun, readLastRun } from '../../src/queue/sync-worker.js';
import { syncKeys } from '../../src/sync/store/keys.js';
import { mappedKakaoIds } from '../../src/sync/store/mapping.js';
import { RedisMappingStore } from '../../src/sync/store/redis-mapping-store.js';
import { type Agreement, compareSides, type KakaoEventView } from './agreement.js';
import type { FeedEvent } from './feed-model.js';
import { configFor, workerEnvFor } from './settings.js';
import { type ChaosWorker, startWorker, type WorkerOptions } from './worker.js';

// One scenario's slice of the daemon: its own Redis key prefix (so no job, lock or user of another
// scenario leaks in), the harness's context on it (registry, queue — what `talkcal` CLI commands
// use), users with one link each, triggers, and the outside view of the result.

export const linkId = 'feed';

export interface LinkReport {
  linkId: string;
  error?: string;
  warnings?: string[];
  skipped?: string | null;
  failed?: { error: string }[];
  quarantined?: { reason: string }[];
  counts?: { kakao: { created: number; updated: number; deleted: number } };
}

export interface Convergence {
  converged: boolean;
  ms: number;
  /** Syncs the harness queued again because a user had no job left and no clean run (as a schedule would). */
  retriggers: number;
  pending: string[];
}

export function linkReportsOf(run: LastRun | undefined): LinkReport[] {
  const links = (run?.result as { links?: unknown } | undefined)?.links;
  return Array.isArray(links) ? (links as LinkReport[]) : [];
}

/**
 * A run that synced every link completely (no link error, nothing failed, quarantined or held back),
 * started at or after `since` and ended at or after `endedAfter`.
 */
export function cleanRun(run: LastRun | undefined, since: number, endedAfter = since): boolean {
  if (run?.outcome !== 'ok' || Date.parse(run.startedAt) < since || Date.parse(run.finishedAt) < endedAfter) {
    return false;
  }
  return linkReportsOf(run).every(
    (l) =>
      !l.error &&
      l.skipped !== 'mass-deletion' &&
      (l.failed?.length ?? 0) === 0 &&
      (l.quarantined?.length ?? 0) === 0,
  );
}

export class Scope {
  readonly config: Config;
  readonly ctx: DaemonContext;
  readonly env: Record<string, string>;
  private readonly mapping: RedisMappingStore;

  constructor(
    readonly prefix: string,
    overrides: Record<string, unknown>,
    private readonly emulator: RunningEmulator,
  ) {
    this.config = configFor(overrides, prefix);
    this.ctx = createDaemonContext(this.config, createLogger({ level: 'silent' }));
    // The Redis scenario takes Redis away on purpose: reconnecting is ioredis's job, not news.
    this.ctx.redis.on('error', () => {});
    this.ctx.queue.queue.on('error', () => {});
    this.env = workerEnvFor(overrides, prefix);
    this.mapping = new RedisMappingStore(this.ctx.redis, syncKeys(prefix));
  }

  /** A Kakao user at the emulator, registered with tokens and one link (not scheduled: the harness triggers). */
  async addUser(source: LinkInput['source']): Promise<string> {
    const k = this.emulator.admin.createUser();
    await this.ctx.registry.users.upsert({
      id: k.userId,
      timeZone: 'Asia/Seoul',
      tokens: tokensFromInput({
        accessToken: k.accessToken,
        refreshToken: k.refreshToken,
        expiresIn: k.expiresIn,
      }),
    });
    await this.ctx.registry.links.put(k.userId, { id: linkId, source, target: { kind: 'primary' } });
    return k.userId;
  }

  startWorker(options: WorkerOptions = {}): Promise<ChaosWorker> {
    return startWorker(this.env, options);
  }

  async trigger(users: readonly string[]): Promise<void> {
    for (const u of users) await this.ctx.queue.trigger(u);
  }

  lastRun(userId: string): Promise<LastRun | undefined> {
    return readLastRun(this.ctx.redis, this.ctx.registry, userId);
  }

  /** No job of the user is queued, delayed or running. */
  async idle(userId: string): Promise<boolean> {
    if (await this.ctx.queue.marker.holder(userId)) return false;
    return (await this.ctx.queue.getJob(userJobId(userId))) === undefined;
  }

  /**
   * Waits until every user has a clean run that started at or after `since` (and ended at or after
   * `endedAfter`); a user left without a job and without such a run is queued again. Redis errors
   * (the Redis scenario restarts it) count as "not yet".
   */
  async converge(
    users: readonly string[],
    since: number,
    deadlineMs: number,
    endedAfter = since,
  ): Promise<Convergence> {
    const started = Date.now();
    const done = new Set<string>();
    let retriggers = 0;
    while (Date.now() - started < deadlineMs) {
      for (const u of users) {
        if (done.has(u)) continue;
        try {
          if (cleanRun(await this.lastRun(u), since, endedAfter)) done.add(u);
          else if (await this.idle(u)) {
            await this.ctx.queue.trigger(u);
            retriggers++;
          }
        } catch {
          // Redis is away: try again on the next round.
        }
      }
      if (done.size === users.length) break;
      await sleep(250);
    }
    return {
      converged: done.size === users.length,
      ms: Date.now() - started,
      retriggers,
      pending: users.filter((u) => !done.has(u)),
    };
  }

  kakaoEvents(userId: string): KakaoEventView[] {
    return this.emulator.admin
      .events(userId)
      .map((e) => ({ id: e.id, title: e.title, startMs: Date.parse(e.time.start_at) }));
  }

  async agreement(userId: string, feed: readonly FeedEvent[]): Promise<Agreement> {
    const mapped = mappedKakaoIds(await this.mapping.load(userId, linkId));
    return compareSides(feed, this.kakaoEvents(userId), mapped);
  }

  /** Users by state (active, needs_reauth, paused). */
  async userStates(users: readonly string[]): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const u of users) {
      const state = (await this.ctx.registry.users.get(u)).state;
      out[state] = (out[state] ?? 0) + 1;
    }
    return out;
  }

  async close(): Promise<void> {
    await this.ctx.close();
  }
}
