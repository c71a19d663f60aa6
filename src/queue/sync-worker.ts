import { DelayedError, type Job, UnrecoverableError, Worker } from 'bullmq';
import { type Clock, systemClock } from '../clock.js';
import type { Config } from '../config/schema.js';
import type { Logger } from '../log.js';
import type { DaemonMetrics } from '../metrics.js';
import { UserNotFoundError } from '../registry/errors.js';
import { bullPrefix, createRedis, type RedisConnection } from '../registry/redis.js';
import type { Registry } from '../registry/registry.js';
import { queueErrorLog, type WatchErrors } from './error-log.js';
import { failureAction } from './failure-policy.js';
import type { SyncJobData } from './jobs.js';
import { admissionQueueName, manualQueueName, syncQueueName } from './jobs.js';
import { LinkSuccessStore, linksOfResult } from './link-success.js';
import type { QuotaGovernor } from './quota-governor.js';
import { boundedRunResult } from './run-summary.js';
import { RunningMarker } from './running-marker.js';
import { stableOffsetMs } from './stable-offset.js';
import type { SyncQueue } from './sync-queue.js';
import { countsOf, type SyncRunner } from './sync-runner.js';

// The consumer side: runs one user's sync per job, never two of one user at once, records the
// run, and turns failures into retries, quota delays, reauth requests or final failures.

export interface LastRun {
  jobId: string;
  manual: boolean;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  outcome: 'ok' | 'failed' | 'retrying' | 'deferred';
  error?: string;
  result?: unknown;
}

export interface SyncWorkerDeps {
  config: Config;
  redis: RedisConnection;
  registry: Registry;
  queue: SyncQueue;
  governor: QuotaGovernor;
  runner: SyncRunner;
  logger: Logger;
  metrics?: DaemonMetrics;
  /** BullMQ lock duration (a killed worker's job is taken over after it); default 30 s. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  concurrency?: number;
  /** The daemon's clock (run records, the quota reset); real time by default. */
  clock?: Clock;
}

export type JobOutcome = { skipped: string; runningJob?: string } | { result: unknown };

export class SyncWorker {
  readonly worker: Worker<SyncJobData, JobOutcome>;
  /** First syncs of new users, on their own slots (`worker.admissionConcurrency`). */
  readonly admissionWorker: Worker<SyncJobData, JobOutcome>;
  /** Syncs someone asked for, on their own slots (`worker.manualConcurrency`). */
  readonly manualWorker: Worker<SyncJobData, JobOutcome>;
  private readonly marker: RunningMarker;
  private readonly linkSuccess: LinkSuccessStore;
  /** One blocking connection per BullMQ worker. */
  private readonly connections: RedisConnection[] = [];
  private readonly clock: Clock;
  private readonly watchErrors: WatchErrors;

  constructor(private readonly deps: SyncWorkerDeps) {
    const { config } = deps;
    this.clock = deps.clock ?? systemClock;
    this.watchErrors = queueErrorLog(deps.logger, config.log.repeatedErrorEverySeconds * 1000);
    this.marker = new RunningMarker(deps.redis, config.redis.keyPrefix, config.sync.lockTtlMs);
    this.linkSuccess = new LinkSuccessStore(deps.redis, config.redis.keyPrefix);
    this.worker = this.serve(syncQueueName, deps.concurrency ?? config.worker.concurrency);
    this.admissionWorker = this.serve(admissionQueueName, config.worker.admissionConcurrency);
    this.manualWorker = this.serve(manualQueueName, config.worker.manualConcurrency);
  }

  private get workers(): Worker<SyncJobData, JobOutcome>[] {
    return [this.worker, this.admissionWorker, this.manualWorker];
  }

  /** A BullMQ worker taking jobs of one queue on `concurrency` slots of its own. */
  private serve(queueName: string, concurrency: number): Worker<SyncJobData, JobOutcome> {
    const { config } = this.deps;
    const connection = createRedis(config.redis, { blocking: true });
    this.connections.push(connection);
    const worker = new Worker<SyncJobData, JobOutcome>(queueName, (job, token) => this.process(job, token), {
      connection,
      prefix: bullPrefix(config.redis),
      concurrency,
      lockDuration: this.deps.lockDurationMs ?? 30_000,
      stalledInterval: this.deps.stalledIntervalMs ?? this.deps.lockDurationMs ?? 30_000,
      maxStalledCount: 3,
    });
    this.watchErrors(worker, `${queueName} worker`);
    return worker;
  }

  /** Every worker connected and taking jobs. */
  async waitUntilReady(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
  }

  private deferKey(userId: string): string {
    return `${this.deps.config.redis.keyPrefix}:user:{${userId}}:quota-deferred`;
  }

  async process(job: Job<SyncJobData, JobOutcome>, token?: string): Promise<JobOutcome> {
    const { registry, logger, redis } = this.deps;
    const { userId, manual } = job.data;
    const dryRun = job.data.dryRun ?? false;
    const jobId = job.id ?? '';
    const log = logger.child({ userId, jobId });

    let user: Awaited<ReturnType<Registry['users']['get']>>;
    try {
      user = await registry.users.get(userId);
    } catch (error) {
      if (error instanceof UserNotFoundError) {
        await this.deps.queue.unschedule(userId);
        throw new UnrecoverableError(error.message);
      }
      throw error;
    }
    if (user.state !== 'active') {
      if (manual)
        throw new UnrecoverableError(`user ${userId} is ${user.state}; ${user.stateReason ?? ''}`.trim());
      return this.skip(`user is ${user.state}`);
    }
    if (!manual && (await redis.exists(this.deferKey(userId))) === 1) {
      return this.skip('waiting for the Kakao quota to reset');
    }
    if (!manual && !job.data.admission && (await this.deps.queue.admission.isAwaiting(userId))) {
      return this.skip('waiting for the first sync in the admission queue');
    }
    if (!dryRun && !(await this.marker.claim(userId, jobId))) {
      return this.skip(
        'a sync of this user is already running',
        (await this.marker.holder(userId)) ?? undefined,
      );
    }
    const renew = dryRun
      ? undefined
      : setInterval(
          () => void this.marker.renew(userId, jobId).catch(() => {}),
          this.deps.config.sync.lockTtlMs / 3,
        );
    const started = Date.now();
    const startedAt = this.clock.now();
    try {
      const links = (await registry.links.getAll(userId)).filter((l) => l.enabled);
      const result = await this.deps.runner({
        userId,
        timeZone: user.timeZone,
        links,
        force: job.data.force ?? false,
        dryRun,
        manual,
        onProgress: (progress) => void job.updateProgress(progress).catch(() => {}),
      });
      if (!dryRun) {
        await this.recordRun(job, started, startedAt, 'ok', { result: boundedRunResult(result) });
        await this.linkSuccess.record(userId, linksOfResult(result), startedAt);
        this.observe(started, 'completed', result);
      }
      log.info({ durationMs: Date.now() - started, dryRun }, 'sync finished');
      // Whoever asked for a run gets all of it; a scheduled run's kept job holds the bounded record.
      return { result: manual ? result : boundedRunResult(result) };
    } catch (error) {
      const action = failureAction(error);
      const message = error instanceof Error ? error.message : String(error);
      log.warn({ action: action.kind, error: message }, 'sync failed');
      switch (action.kind) {
        case 'quota': {
          await this.deps.governor.noteExhausted(new Date(action.resetsAt));
          // The reset is on the clock; Redis expiries and BullMQ delays run in real time.
          const untilReset = this.clock.toRealMs(Math.max(1, action.resetsAt - this.clock.now().getTime()));
          await redis.set(this.deferKey(userId), '1', 'PX', Math.max(1, untilReset));
          // Users resume spread over the first minutes of the new day rather than all at once.
          const at = action.resetsAt + stableOffsetMs(userId, this.deps.config.sync.jitterSeconds * 1000);
          await this.recordRun(job, started, startedAt, 'deferred', {
            error: `${message}; next attempt ${new Date(at).toISOString()}`,
          });
          this.observe(started, 'delayed');
          await job.moveToDelayed(
            Date.now() + this.clock.toRealMs(Math.max(1, at - this.clock.now().getTime())),
            token,
          );
          throw new DelayedError();
        }
        case 'reauth':
          await registry.users.setState(userId, 'needs_reauth', action.reason);
          await this.deps.queue.unschedule(userId);
          await this.recordRun(job, started, startedAt, 'failed', { error: message });
          this.observe(started, 'failed');
          throw new UnrecoverableError(`user ${userId} must reconnect their Kakao account: ${action.reason}`);
        case 'pause':
          await registry.users.setState(userId, 'paused', action.reason);
          await this.deps.queue.unschedule(userId);
          await this.recordRun(job, started, startedAt, 'failed', { error: message });
          this.observe(started, 'failed');
          throw new UnrecoverableError(action.reason);
        case 'fail':
          await this.recordRun(job, started, startedAt, 'failed', { error: message });
          this.observe(started, 'failed');
          throw new UnrecoverableError(action.reason);
        default: {
          const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
          await this.recordRun(job, started, startedAt, last ? 'failed' : 'retrying', { error: message });
          this.observe(started, last ? 'failed' : 'retried');
          throw error;
        }
      }
    } finally {
      if (renew) clearInterval(renew);
      if (!dryRun) await this.marker.release(userId, jobId).catch(() => {});
    }
  }

  private skip(reason: string, runningJob?: string): JobOutcome {
    this.deps.metrics?.syncJobs.inc({ outcome: 'skipped' });
    return runningJob ? { skipped: reason, runningJob } : { skipped: reason };
  }

  private observe(started: number, outcome: string, result?: unknown): void {
    const metrics = this.deps.metrics;
    if (!metrics) return;
    metrics.syncJobs.inc({ outcome });
    metrics.syncDuration.observe({ outcome }, (Date.now() - started) / 1000);
    if (result === undefined) return;
    const counts = countsOf(result);
    for (const side of ['kakao', 'source'] as const) {
      for (const kind of ['created', 'updated', 'deleted'] as const) {
        if (counts[side][kind] > 0) metrics.operations.inc({ kind, side }, counts[side][kind]);
      }
    }
  }

  /** `started` is real time (the duration), `startedAt` the clock's (what the status shows). */
  private async recordRun(
    job: Job<SyncJobData, JobOutcome>,
    started: number,
    startedAt: Date,
    outcome: LastRun['outcome'],
    extra: { result?: unknown; error?: string },
  ): Promise<void> {
    const run: LastRun = {
      jobId: job.id ?? '',
      manual: job.data.manual,
      startedAt: startedAt.toISOString(),
      finishedAt: this.clock.now().toISOString(),
      durationMs: Date.now() - started,
      outcome,
      ...extra,
    };
    await this.deps.redis.set(this.deps.registry.keys.lastRun(job.data.userId), JSON.stringify(run));
  }

  /** Stops taking jobs, lets running syncs finish within the grace period, then closes. */
  async close(graceMs = this.deps.config.worker.shutdownGraceMs): Promise<'drained' | 'forced'> {
    let timer: NodeJS.Timeout | undefined;
    const graceful = Promise.all(this.workers.map((w) => w.close())).then(() => 'drained' as const);
    const timeout = new Promise<'forced'>((resolve) => {
      timer = setTimeout(() => resolve('forced'), graceMs);
    });
    const outcome = await Promise.race([graceful, timeout]);
    clearTimeout(timer);
    if (outcome === 'forced') {
      // Do not wait: the unfinished job's lock expires and another worker takes it over; the
      // engine's fenced commits and create intents make the takeover safe.
      for (const w of this.workers) void w.close(true).catch(() => {});
    }
    for (const connection of this.connections) connection.disconnect();
    return outcome;
  }
}

export async function readLastRun(
  redis: RedisConnection,
  registry: Registry,
  userId: string,
): Promise<LastRun | undefined> {
  const raw = await redis.get(registry.keys.lastRun(userId));
  return raw ? (JSON.parse(raw) as LastRun) : undefined;
}
