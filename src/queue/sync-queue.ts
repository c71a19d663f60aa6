import { type Job, type JobsOptions, Queue, QueueEvents } from 'bullmq';
import { type Clock, systemClock } from '../clock.js';
import type { Config } from '../config/schema.js';
import { createLogger, type Logger } from '../log.js';
import { bullPrefix, createRedis, type RedisConnection } from '../registry/redis.js';
import { AdmissionQueue } from './admission.js';
import { queueErrorLog, type WatchErrors } from './error-log.js';
import { QuotaDeferredError, SyncJobFailedError } from './errors.js';
import {
  admissionJobId,
  dryRunJobId,
  manualQueueName,
  nextScheduledJobId,
  type SyncJobData,
  scheduledPriority,
  schedulerIdOf,
  syncJobName,
  syncQueueName,
  userJobId,
} from './jobs.js';
import { type QueueCounts, QueueStats } from './queue-stats.js';
import { RunningMarker } from './running-marker.js';
import { stableOffsetMs } from './stable-offset.js';

// The producer side: per-user schedulers on the `sync` queue, manual triggers on a queue of their own
// (`sync-manual`, served by its own worker slots), waiting for a result, and queue counts.

export interface TriggerResult {
  jobId: string;
  /** True when a sync of this user was already queued or running and no new job was added. */
  deduplicated: boolean;
}

export type { QueueCounts } from './queue-stats.js';

/** Whether Kakao has said the day's quota is spent (the quota governor answers). */
export interface QuotaExhaustion {
  exhaustedUntil(): Promise<Date | undefined>;
}

export class SyncQueue {
  readonly queue: Queue<SyncJobData>;
  /** Syncs someone asked for: their own queue and worker slots, so scheduled polls never wait behind them. */
  readonly manual: Queue<SyncJobData>;
  readonly admission: AdmissionQueue;
  readonly marker: RunningMarker;
  private readonly stats: QueueStats;
  private readonly manualStats: QueueStats;
  private readonly events = new Map<string, { events: QueueEvents; connection: RedisConnection }>();
  private readonly connection: RedisConnection;
  private readonly watchErrors: WatchErrors;

  constructor(
    private readonly config: Config,
    redis: RedisConnection,
    private readonly quota?: QuotaExhaustion,
    private readonly clock: Clock = systemClock,
    logger: Logger = createLogger({ level: config.log.level }),
  ) {
    this.watchErrors = queueErrorLog(logger, config.log.repeatedErrorEverySeconds * 1000);
    this.connection = createRedis(config.redis, { blocking: true });
    this.queue = new Queue<SyncJobData>(syncQueueName, {
      connection: this.connection,
      prefix: bullPrefix(config.redis),
      // The events stream holds job results: keep what waiters need, not a day of them.
      streams: { events: { maxLen: 1000 } },
    });
    this.watchErrors(this.queue, 'sync queue');
    this.manual = new Queue<SyncJobData>(manualQueueName, {
      connection: this.connection,
      prefix: bullPrefix(config.redis),
      streams: { events: { maxLen: 1000 } },
    });
    this.watchErrors(this.manual, 'manual sync queue');
    this.admission = new AdmissionQueue(config, this.connection, this.watchErrors);
    this.stats = new QueueStats(redis, bullPrefix(config.redis), syncQueueName);
    this.manualStats = new QueueStats(redis, bullPrefix(config.redis), manualQueueName);
    this.marker = new RunningMarker(redis, config.redis.keyPrefix, config.sync.lockTtlMs);
  }

  private jobOptions(): JobsOptions {
    return {
      attempts: 5,
      backoff: { type: 'exponential', delay: 5_000 },
    };
  }

  /**
   * Creates or updates the user's schedule: every interval, at a stable per-user point of the whole
   * interval (BullMQ aligns `every` to multiples of it), so polls come evenly, not in bursts. The
   * interval is the clock's: BullMQ repeats it in the real time it takes.
   */
  async schedule(userId: string, intervalMinutes = this.config.sync.intervalMinutes): Promise<void> {
    await this.queue.upsertJobScheduler(schedulerIdOf(userId), this.timing(userId, intervalMinutes), {
      name: syncJobName,
      data: { userId, manual: false },
      opts: {
        ...this.jobOptions(),
        priority: scheduledPriority,
        removeOnComplete: { count: 100 },
        removeOnFail: { count: 1000 },
      },
    });
  }

  /**
   * Schedules the user unless their schedule already has this timing and its next run is queued:
   * one read instead of a write per user when the start-up reconciliation finds schedules intact.
   * True when it (re)scheduled.
   */
  async ensureScheduled(
    userId: string,
    intervalMinutes = this.config.sync.intervalMinutes,
  ): Promise<boolean> {
    const current = await this.queue.getJobScheduler(schedulerIdOf(userId));
    const wanted = this.timing(userId, intervalMinutes);
    const intact =
      current?.every === wanted.every &&
      (current.offset ?? 0) === wanted.offset &&
      current.next !== undefined &&
      (await this.queue.getJobState(nextScheduledJobId(userId, current.next))) !== 'unknown';
    if (intact) return false;
    await this.schedule(userId, intervalMinutes);
    return true;
  }

  private timing(userId: string, intervalMinutes: number): { every: number; offset: number } {
    const every = this.clock.toRealMs(intervalMinutes * 60_000);
    const offset = this.config.sync.jitterSeconds > 0 ? stableOffsetMs(userId, every - 1) : 0;
    return { every, offset };
  }

  async unschedule(userId: string): Promise<void> {
    await this.queue.removeJobScheduler(schedulerIdOf(userId));
  }

  async isScheduled(userId: string): Promise<boolean> {
    return (await this.queue.getJobScheduler(schedulerIdOf(userId))) !== undefined;
  }

  /**
   * Queues a sync now, on the manual queue (its own slots: it neither waits behind scheduled polls
   * nor holds them back). A user with a sync running or queued gets that one's
   * id back instead of a second job. Dry runs are separate jobs: they apply nothing.
   */
  async trigger(
    userId: string,
    options: { dryRun?: boolean; force?: boolean; jobId?: string } = {},
  ): Promise<TriggerResult> {
    // A sync now would only be parked until the reset (and a caller waiting for it would hang).
    const until = await this.quota?.exhaustedUntil();
    if (until) throw new QuotaDeferredError(until);
    const data: SyncJobData = {
      userId,
      manual: true,
      dryRun: options.dryRun ?? false,
      force: options.force ?? false,
    };
    if (!options.dryRun) {
      const running = await this.marker.holder(userId);
      if (running) return { jobId: running, deduplicated: true };
    }
    const jobId = options.jobId ?? (options.dryRun ? dryRunJobId(userId, Date.now()) : userJobId(userId));
    if (!options.dryRun && (await this.manual.getJob(jobId))) return { jobId, deduplicated: true };
    const job = await this.manual.add(syncJobName, data, {
      ...this.jobOptions(),
      jobId,
      removeOnComplete: true,
      removeOnFail: true,
    });
    return { jobId: job.id ?? jobId, deduplicated: false };
  }

  /** Subscribes to job events of a queue (manual by default: call before `trigger` when awaited). */
  async listen(queueName = manualQueueName): Promise<QueueEvents> {
    let listener = this.events.get(queueName);
    if (!listener) {
      const connection = createRedis(this.config.redis, { blocking: true });
      const events = new QueueEvents(queueName, { connection, prefix: bullPrefix(this.config.redis) });
      // QueueEvents reads through a copy of its connection and leaves the one given unheard.
      this.watchErrors(events, `${queueName} queue events`);
      this.watchErrors(connection, `${queueName} queue events`);
      listener = { events, connection };
      this.events.set(queueName, listener);
      await events.waitUntilReady();
    }
    return listener.events;
  }

  /**
   * Triggers a sync and waits for its outcome. Listens before queueing, so a job that finishes (and
   * is removed) at once is not missed.
   */
  async triggerAndWait(
    userId: string,
    options: { dryRun?: boolean; force?: boolean } = {},
    timeoutMs = 10 * 60_000,
    signal?: AbortSignal,
  ): Promise<TriggerResult & { outcome: unknown }> {
    signal?.throwIfAborted();
    const events = await this.listen();
    const expected = options.dryRun ? dryRunJobId(userId, Date.now()) : userJobId(userId);
    let stop = () => {};
    const finished = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`sync of ${userId} did not finish within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const onCompleted = (args: { returnvalue: unknown }) => {
        stop();
        resolve(args.returnvalue);
      };
      const onFailed = (args: { failedReason: string }) => {
        stop();
        reject(new SyncJobFailedError(expected, args.failedReason));
      };
      const offDeferral = this.onQuotaDeferral(events, expected, (error) => {
        stop();
        reject(error);
      });
      const onAbort = () => {
        stop();
        reject(signal?.reason);
      };
      events.on(`completed:${expected}` as 'completed', onCompleted as never);
      events.on(`failed:${expected}` as 'failed', onFailed as never);
      signal?.addEventListener('abort', onAbort, { once: true });
      stop = () => {
        clearTimeout(timer);
        events.off(`completed:${expected}` as 'completed', onCompleted as never);
        events.off(`failed:${expected}` as 'failed', onFailed as never);
        signal?.removeEventListener('abort', onAbort);
        offDeferral();
      };
    });
    finished.catch(() => {});
    let triggered: TriggerResult;
    try {
      triggered = await this.trigger(userId, { ...options, jobId: expected });
    } catch (error) {
      stop();
      throw error;
    }
    if (triggered.jobId === expected) return { ...triggered, outcome: await finished };
    stop();
    return { ...triggered, outcome: await this.waitFor(triggered.jobId, timeoutMs, signal) };
  }

  /**
   * Waits for a job to finish and returns its result (throws the job's failure). An aborted
   * `signal` ends the wait with its reason (the job stays queued).
   */
  async waitFor(jobId: string, timeoutMs = 10 * 60_000, signal?: AbortSignal): Promise<unknown> {
    // The running job may be a new user's first sync (admission queue) or a scheduled poll.
    const admitted = jobId === admissionJobId(jobId.slice('admit-'.length));
    const queue = admitted ? this.admission.queue : await this.queueHolding(jobId);
    const events = admitted ? await this.admission.listen() : await this.listen(queue.name);
    // Heard from before the job is looked up: a manual job is removed as it completes, so BullMQ's
    // own check can find it gone ("Missing key") while its completion is still on the way.
    const heard = finishEvent(events, jobId);
    const job = await queue.getJob(jobId);
    if (!job) {
      heard.off();
      throw new Error(`job ${jobId} is no longer in the queue (finished and removed)`);
    }
    let off = () => {};
    const ended = new Promise<never>((_, reject) => {
      const offDeferral = this.onQuotaDeferral(events, jobId, reject);
      const onAbort = () => reject(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      off = () => {
        offDeferral();
        signal?.removeEventListener('abort', onAbort);
      };
      if (signal?.aborted) onAbort();
    });
    const finished = job.waitUntilFinished(events, timeoutMs).catch((error: unknown) => {
      if (!(error instanceof Error) || !error.message.startsWith('Missing key for job')) throw error;
      return Promise.race([heard.outcome, rejectAfter(removedGraceMs, error)]);
    });
    try {
      return await Promise.race([finished, ended]);
    } catch (error) {
      if (error instanceof QuotaDeferredError || (signal?.aborted && error === signal.reason)) throw error;
      throw new SyncJobFailedError(jobId, error instanceof Error ? error.message : String(error));
    } finally {
      off();
      heard.off();
    }
  }

  /**
   * Calls `onDeferred` when the job is parked until the quota reset (delayed while Kakao's -10
   * holds); a delay for a retry is not one. Returns the unsubscribe function.
   */
  private onQuotaDeferral(
    events: QueueEvents,
    jobId: string,
    onDeferred: (error: QuotaDeferredError) => void,
  ): () => void {
    const onDelayed = (args: { jobId: string }) => {
      if (args.jobId !== jobId) return;
      void this.quota?.exhaustedUntil().then((until) => {
        if (until) onDeferred(new QuotaDeferredError(until));
      });
    };
    events.on('delayed', onDelayed as never);
    return () => events.off('delayed', onDelayed as never);
  }

  /** A manual or scheduled job by id. */
  async getJob(jobId: string): Promise<Job<SyncJobData> | undefined> {
    return (await this.manual.getJob(jobId)) ?? this.queue.getJob(jobId);
  }

  /** The manual queue when it holds the job, else the scheduled one. */
  private async queueHolding(jobId: string): Promise<Queue<SyncJobData>> {
    return (await this.manual.getJob(jobId)) ? this.manual : this.queue;
  }

  async counts(): Promise<QueueCounts> {
    return this.stats.counts();
  }

  /** Seconds the oldest job ready to run has been waiting. */
  async lagSeconds(): Promise<number> {
    return this.stats.lagSeconds();
  }

  /** Number of live workers (BullMQ's worker registry). */
  async workerCount(): Promise<number> {
    return this.stats.workerCount();
  }

  /** Live workers of the manual queue (what a triggered sync waits for). */
  async manualWorkerCount(): Promise<number> {
    return this.manualStats.workerCount();
  }

  async close(): Promise<void> {
    for (const { events, connection } of this.events.values()) {
      await events.close();
      connection.disconnect();
    }
    await this.admission.close();
    await this.manual.close();
    await this.queue.close();
    this.connection.disconnect();
  }
}

/** How long a waiter gives the completion event of a job found removed (it comes within ms). */
const removedGraceMs = 5000;

/** The outcome of a job as its completed/failed event tells it; `off` stops listening. */
function finishEvent(events: QueueEvents, jobId: string): { outcome: Promise<unknown>; off: () => void } {
  let off = () => {};
  const outcome = new Promise<unknown>((resolve, reject) => {
    const completed = (args: { jobId: string; returnvalue: unknown }) => {
      if (args.jobId === jobId) resolve(args.returnvalue);
    };
    const failed = (args: { jobId: string; failedReason: string }) => {
      if (args.jobId === jobId) reject(new Error(args.failedReason));
    };
    events.on('completed', completed);
    events.on('failed', failed);
    off = () => {
      events.off('completed', completed);
      events.off('failed', failed);
    };
  });
  outcome.catch(() => {});
  return { outcome, off };
}

const rejectAfter = (ms: number, error: Error) =>
  new Promise<never>((_, reject) => setTimeout(() => reject(error), ms).unref());
