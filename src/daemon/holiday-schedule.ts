import { Queue, Worker } from 'bullmq';
import { HolidayCache } from '../publish/holidays.js';
import { publishKeys } from '../publish/keys.js';
import { holidayRefresher } from '../publish/publisher.js';
import { queueErrorLog } from '../queue/error-log.js';
import { koreanDay } from '../queue/korean-day.js';
import { bullPrefix, createRedis, type RedisConnection } from '../registry/redis.js';
import type { DaemonContext } from './context.js';

// The weekly refresh of the Korean holidays (admin key), app-wide: one BullMQ job scheduler with a
// fixed id, so any number of `talkcal start` processes keep exactly one schedule, and each run is
// taken by one of them. Its Kakao calls are drawn from the quota governor as 'verify'.

export const holidayQueueName = 'holidays';
export const holidaySchedulerId = 'holidays-refresh';
/**
 * Mondays at 03:00 Korean time, when the quota day is young and users sleep. Holidays are fixed
 * months ahead (substitute and temporary ones are announced weeks before): a week is fresh enough,
 * and a daily refresh would spend 13 reads a day of the shared quota for nothing.
 */
export const holidayPattern = { pattern: '0 3 * * 1', tz: 'Asia/Seoul' } as const;

export interface HolidaySchedule {
  queue: Queue;
  worker: Worker;
  close(): Promise<void>;
}

/** True when `start` should schedule the refresh: the feed is offered and an admin key is set. */
export function wantsHolidaySchedule(config: DaemonContext['config']): boolean {
  return config.publish.includeHolidays && config.kakao.adminKey !== '';
}

export async function startHolidaySchedule(ctx: DaemonContext): Promise<HolidaySchedule> {
  const { config, logger } = ctx;
  const refresh = holidayRefresher(ctx, ctx.governor);
  const prefix = bullPrefix(config.redis);
  const queueConnection: RedisConnection = createRedis(config.redis, { blocking: true });
  const workerConnection: RedisConnection = createRedis(config.redis, { blocking: true });
  const queue = new Queue(holidayQueueName, { connection: queueConnection, prefix });
  const watchErrors = queueErrorLog(logger, config.log.repeatedErrorEverySeconds * 1000);
  watchErrors(queue, 'holidays queue');
  const jobOpts = {
    attempts: 3,
    backoff: { type: 'exponential', delay: 60_000 },
    removeOnComplete: { count: 10 },
    removeOnFail: { count: 10 },
  };
  await queue.upsertJobScheduler(holidaySchedulerId, holidayPattern, {
    name: holidaySchedulerId,
    opts: jobOpts,
  });
  const worker = new Worker(
    holidayQueueName,
    async () => {
      const stored = await refresh();
      logger.info({ count: stored.events.length, from: stored.from, to: stored.to }, 'holidays refreshed');
      return { count: stored.events.length, fetchedAt: stored.fetchedAt };
    },
    { connection: workerConnection, prefix, concurrency: 1 },
  );
  watchErrors(worker, 'holidays worker');
  worker.on('failed', (_job, error) => logger.warn({ err: error }, 'holidays refresh failed'));
  await worker.waitUntilReady();
  // Never refreshed (a new install or lost Redis data): do not wait for 03:00. The fixed job id keeps
  // this to one job a day when several processes start at once.
  const cache = new HolidayCache(ctx.redis, publishKeys(config.redis.keyPrefix));
  if ((await cache.raw()) === '')
    await queue.add(
      holidaySchedulerId,
      {},
      { ...jobOpts, jobId: `holidays-initial-${koreanDay(new Date())}` },
    );
  return {
    queue,
    worker,
    async close() {
      await worker.close();
      await queue.close();
      workerConnection.disconnect();
      queueConnection.disconnect();
    },
  };
}
