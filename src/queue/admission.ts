import { Queue, QueueEvents } from 'bullmq';
import type { Config } from '../config/schema.js';
import { bullPrefix, createRedis, type RedisConnection } from '../registry/redis.js';
import type { WatchErrors } from './error-log.js';
import { admissionJobId, admissionQueueName, type SyncJobData, syncJobName } from './jobs.js';

// First syncs of new users wait in their own queue, served by a fixed share of worker slots
// (`worker.admissionConcurrency`), so a burst of sign-ups cannot take the slots that keep existing
// users' scheduled polls running. A user waiting here is not polled by their schedule yet.

export interface AdmissionPlace {
  /** Users ahead in the queue. */
  position: number;
  /** A rough wait: the users ahead, at the recent pace of first syncs. */
  etaSeconds: number;
}

/** Assumed length of a first sync before any has finished. */
const defaultFirstSyncSeconds = 60;

export class AdmissionQueue {
  readonly queue: Queue<SyncJobData>;
  private events: { events: QueueEvents; connection: RedisConnection } | undefined;

  constructor(
    private readonly config: Config,
    connection: RedisConnection,
    private readonly watchErrors: WatchErrors,
  ) {
    this.queue = new Queue<SyncJobData>(admissionQueueName, {
      connection,
      prefix: bullPrefix(config.redis),
      streams: { events: { maxLen: 1000 } },
    });
    watchErrors(this.queue, 'admission queue');
  }

  /** Queues the user's first sync; a user already waiting keeps their place. */
  async admit(userId: string): Promise<{ jobId: string; deduplicated: boolean }> {
    const jobId = admissionJobId(userId);
    const existing = await this.queue.getJob(jobId);
    if (existing && !(await existing.isCompleted()) && !(await existing.isFailed())) {
      return { jobId, deduplicated: true };
    }
    await existing?.remove();
    await this.queue.add(
      syncJobName,
      { userId, manual: false, admission: true },
      {
        jobId,
        attempts: 5,
        backoff: { type: 'exponential', delay: 5_000 },
        removeOnComplete: { count: 100 },
        removeOnFail: { count: 1000 },
      },
    );
    return { jobId, deduplicated: false };
  }

  /** Whether the user's first sync is still waiting or running here. */
  async isAwaiting(userId: string): Promise<boolean> {
    const job = await this.queue.getJob(admissionJobId(userId));
    if (!job) return false;
    const state = await job.getState();
    return state === 'waiting' || state === 'active' || state === 'delayed' || state === 'prioritized';
  }

  /** Where the user stands, or undefined when they are not waiting. */
  async place(userId: string): Promise<AdmissionPlace | undefined> {
    const jobId = admissionJobId(userId);
    const waiting = await this.queue.getRanges(['waiting'], 0, -1, true);
    const index = waiting.indexOf(jobId);
    if (index < 0) return (await this.isAwaiting(userId)) ? { position: 0, etaSeconds: 0 } : undefined;
    const slots = Math.max(
      1,
      (await this.queue.getWorkers()).length * this.config.worker.admissionConcurrency,
    );
    const seconds = await this.recentFirstSyncSeconds();
    return { position: index, etaSeconds: Math.ceil((index + 1) / slots) * seconds };
  }

  async counts(): Promise<{ waiting: number; active: number }> {
    const c = await this.queue.getJobCounts('waiting', 'active');
    return { waiting: c['waiting'] ?? 0, active: c['active'] ?? 0 };
  }

  /** Job events of this queue (to wait for a first sync someone is waiting on). */
  async listen(): Promise<QueueEvents> {
    if (!this.events) {
      const connection = createRedis(this.config.redis, { blocking: true });
      const events = new QueueEvents(admissionQueueName, {
        connection,
        prefix: bullPrefix(this.config.redis),
      });
      // QueueEvents reads through a copy of its connection and leaves the one given unheard.
      this.watchErrors(events, 'admission queue events');
      this.watchErrors(connection, 'admission queue events');
      this.events = { events, connection };
      await events.waitUntilReady();
    }
    return this.events.events;
  }

  async close(): Promise<void> {
    await this.events?.events.close();
    this.events?.connection.disconnect();
    await this.queue.close();
  }

  private async recentFirstSyncSeconds(): Promise<number> {
    const done = await this.queue.getJobs(['completed'], 0, 19);
    const spans = done
      .filter((j) => j.finishedOn && j.processedOn)
      .map((j) => ((j.finishedOn ?? 0) - (j.processedOn ?? 0)) / 1000);
    if (spans.length === 0) return defaultFirstSyncSeconds;
    return Math.max(1, Math.round(spans.reduce((a, b) => a + b, 0) / spans.length));
  }
}
