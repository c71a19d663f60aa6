import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appStatus } from '../../../src/daemon/app-status.js';
import { createLogger } from '../../../src/log.js';
import { type SyncJobData, scheduledPriority, syncJobName } from '../../../src/queue/jobs.js';
import { QuotaGovernor } from '../../../src/queue/quota-governor.js';
import { SyncQueue } from '../../../src/queue/sync-queue.js';
import type { SyncRunner } from '../../../src/queue/sync-runner.js';
import { SyncWorker } from '../../../src/queue/sync-worker.js';
import { Registry } from '../../../src/registry/registry.js';
import { deletePrefix, redisUrl, testConfig, untilWithin } from './helpers.js';

// Fairness between scheduled polls and syncs someone asked for: with a backlog of manual syncs
// queued first, scheduled polls keep running on their own slots rather than after the backlog.

const until = untilWithin(60_000, 25);
const manualCount = 200;
const scheduledCount = 20;

describe('scheduled polls beside a manual backlog (real Redis, real BullMQ)', () => {
  const config = testConfig({ worker: { concurrency: 1, manualConcurrency: 1, admissionConcurrency: 1 } });
  let redis: Redis;
  let queue: SyncQueue;
  let worker: SyncWorker | undefined;
  const order: ('manual' | 'scheduled')[] = [];

  beforeAll(async () => {
    redis = new Redis(redisUrl);
    const registry = new Registry(redis, config);
    const governor = new QuotaGovernor(redis, config.quota, config.redis.keyPrefix);
    queue = new SyncQueue(config, redis, governor);
    const manualUsers = Array.from({ length: manualCount }, (_, i) => String(5000 + i));
    const scheduledUsers = Array.from({ length: scheduledCount }, (_, i) => String(9000 + i));
    for (const id of [...manualUsers, ...scheduledUsers])
      await registry.users.upsert({ id, timeZone: 'Asia/Seoul' });
    // The backlog first, then the polls that come due while it waits (as the scheduler adds them).
    for (const id of manualUsers) await queue.trigger(id);
    for (const id of scheduledUsers) {
      const data: SyncJobData = { userId: id, manual: false };
      await queue.queue.add(syncJobName, data, { priority: scheduledPriority, removeOnComplete: true });
    }
    const runner: SyncRunner = async (req) => {
      order.push(req.manual ? 'manual' : 'scheduled');
      return { links: [] };
    };
    const logger = createLogger({ level: 'silent' });
    worker = new SyncWorker({ config, redis, registry, queue, governor, runner, logger });
  });
  afterAll(async () => {
    await worker?.close(2000);
    await queue.close();
    redis.disconnect();
    await deletePrefix(config.redis.keyPrefix);
  });

  it('runs every due scheduled poll while most of the manual backlog still waits', async () => {
    const status = await appStatus({
      config,
      redis,
      governor: new QuotaGovernor(redis, config.quota, config.redis.keyPrefix),
    });
    expect(status.queue.manual.waiting).toBe(manualCount);
    await until(
      () => order.filter((k) => k === 'scheduled').length === scheduledCount,
      'every scheduled poll',
    );
    const lastScheduled = order.lastIndexOf('scheduled');
    const manualBefore = order.slice(0, lastScheduled).filter((k) => k === 'manual').length;
    // One slot each: about one manual sync per poll. Behind the backlog (one shared priority queue)
    // all 200 manual syncs would run first.
    expect(manualBefore).toBeLessThan(manualCount / 2);
    // Scheduled polls had at least their share of the first runs (1 of 2 slots, with room for jitter).
    const firstRuns = order.slice(0, 2 * scheduledCount);
    expect(firstRuns.filter((k) => k === 'scheduled').length).toBeGreaterThanOrEqual(scheduledCount / 2);
    await until(() => order.length === manualCount + scheduledCount, 'the manual backlog too');
  });
});
