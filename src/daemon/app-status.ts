import type { Config } from '../config/schema.js';
import { admissionQueueName, manualQueueName, syncQueueName } from '../queue/jobs.js';
import { type QueueCounts, QueueStats } from '../queue/queue-stats.js';
import { QuotaGovernor, type QuotaStatus } from '../queue/quota-governor.js';
import { registryKeys } from '../registry/keys.js';
import { bullPrefix, createRedis, type RedisConnection } from '../registry/redis.js';
import type { UserState } from '../registry/user-state.js';
import { UserStateIndex } from '../registry/user-state-index.js';
import { type VerifyPrice, verificationPrice } from '../sync/verification/verify-price.js';
import { type ScheduleCheck, StartupProgress } from './startup-progress.js';

// The app's status — users by state, the queue, the day's quota, the price of verification — from
// Redis alone: no BullMQ, no registry, no Kakao client, so `talkcal status` starts fast. The admin
// API and the metrics scrape read it through the daemon's context, which has these same parts.

export interface AppStatus {
  users: Record<UserState, number>;
  queue: QueueCounts & {
    lagSeconds: number;
    workers: number;
    admission: { waiting: number; active: number };
    /** Syncs someone asked for, on their own slots (`worker.manualConcurrency`). */
    manual: { waiting: number; active: number };
  };
  quota: QuotaStatus;
  /** How fast Talk Calendar-side drift is found (config.sync.verify*), and its price per link per day. */
  verification: VerifyPrice;
  /** The last daemon start's check of every user's schedule (absent before any start recorded one). */
  startup?: { schedules: ScheduleCheck };
}

/** What the status is read from (a DaemonContext is one). */
export interface StatusSources {
  config: Config;
  redis: RedisConnection;
  governor: QuotaGovernor;
}

export async function appStatus({ config, redis, governor }: StatusSources): Promise<AppStatus> {
  const prefix = bullPrefix(config.redis);
  const sync = new QueueStats(redis, prefix, syncQueueName);
  const admission = new QueueStats(redis, prefix, admissionQueueName);
  const manual = new QueueStats(redis, prefix, manualQueueName);
  const [users, counts, lagSeconds, workers, admissionCounts, manualCounts, quota, schedules] =
    await Promise.all([
      new UserStateIndex(redis, registryKeys(config.redis.keyPrefix)).counts(),
      sync.counts(),
      sync.lagSeconds(),
      sync.workerCount(),
      admission.counts(),
      manual.counts(),
      governor.status(),
      new StartupProgress(redis, config.redis.keyPrefix).read(),
    ]);
  return {
    users,
    queue: {
      ...counts,
      lagSeconds,
      workers,
      admission: { waiting: admissionCounts.waiting, active: admissionCounts.active },
      manual: { waiting: manualCounts.waiting + manualCounts.prioritized, active: manualCounts.active },
    },
    quota,
    verification: verificationPrice(config.sync),
    ...(schedules ? { startup: { schedules } } : {}),
  };
}

/** Reads the status with a connection of its own (the CLI), and closes it. */
export async function readAppStatus(config: Config): Promise<AppStatus> {
  const redis = createRedis(config.redis);
  const states = new UserStateIndex(redis, registryKeys(config.redis.keyPrefix));
  const governor = new QuotaGovernor(redis, config.quota, config.redis.keyPrefix, {
    userCount: async () => (await states.counts()).active,
  });
  try {
    return await appStatus({ config, redis, governor });
  } finally {
    redis.disconnect();
  }
}
