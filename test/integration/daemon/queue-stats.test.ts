import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { syncQueueName } from '../../../src/queue/jobs.js';
import { QueueStats } from '../../../src/queue/queue-stats.js';
import { bullPrefix } from '../../../src/registry/redis.js';
import { deletePrefix, redisUrl, testConfig } from './helpers.js';

// `talkcal status` reads the queue's figures from BullMQ's keys without loading BullMQ: every
// figure must equal what BullMQ's own getters answer, for a queue holding jobs in every state.

describe('QueueStats (BullMQ figures without BullMQ)', () => {
  const config = testConfig();
  const prefix = bullPrefix(config.redis);
  const redis = new Redis(redisUrl);
  const blocking = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(syncQueueName, { connection: blocking, prefix });
  const stats = new QueueStats(redis, prefix, syncQueueName);
  const workers: Worker[] = [];
  const connections: Redis[] = [];
  afterAll(async () => {
    for (const w of workers) await w.close(true);
    for (const c of connections) c.disconnect();
    await queue.close();
    blocking.disconnect();
    redis.disconnect();
    await deletePrefix(config.redis.keyPrefix);
  });

  async function bullFigures() {
    const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed');
    const oldest = [
      ...(await queue.getJobs(['prioritized'], 0, 0, true)),
      ...(await queue.getJobs(['waiting'], 0, 0, true)),
    ].map((j) => j.timestamp + (j.delay ?? 0));
    return { counts: c, oldest: Math.min(...oldest), workers: (await queue.getWorkers()).length };
  }

  it('counts, lag and workers match BullMQ', async () => {
    for (const jobId of ['to-fail', 'to-complete', 'to-stay-active']) await queue.add('sync', {}, { jobId });
    // A worker run by hand fails one job and completes one, leaving one of each behind.
    const workerConnection = new Redis(redisUrl, { maxRetriesPerRequest: null });
    connections.push(workerConnection);
    const worker = new Worker<object, string>(syncQueueName, null, {
      connection: workerConnection,
      prefix,
      autorun: false,
    });
    workers.push(worker);
    const token = 'test-token';
    const first = await worker.getNextJob(token);
    await first?.moveToFailed(new Error('fails on purpose'), token);
    const second = await worker.getNextJob(token);
    // Completing fetches the next job, which stays active.
    await second?.moveToCompleted('done', token);
    await queue.add('sync', {}, { jobId: 'old' });
    await new Promise((r) => setTimeout(r, 50));
    await queue.add('sync', {}, { jobId: 'new' });
    await queue.add('sync', {}, { jobId: 'urgent', priority: 1 });
    await queue.add('sync', {}, { jobId: 'later', delay: 60_000 });

    const ours = await stats.counts();
    const bull = await bullFigures();
    expect(ours).toEqual(bull.counts);
    expect(ours).toMatchObject({ failed: 1, completed: 1, active: 1, delayed: 1 });
    expect(ours).toMatchObject({ waiting: 2, prioritized: 1 });

    const now = Date.now();
    const lag = await stats.lagSeconds(now);
    expect(lag).toBeCloseTo((now - bull.oldest) / 1000, 3);
    expect(lag).toBeGreaterThanOrEqual(0.05);
    expect(await stats.workerCount()).toBe(bull.workers);
    expect(bull.workers).toBeGreaterThanOrEqual(1);
  });

  it('an empty queue has no lag and no workers', async () => {
    const empty = new QueueStats(redis, prefix, 'nothing-here');
    expect(await empty.counts()).toEqual({
      waiting: 0,
      active: 0,
      delayed: 0,
      prioritized: 0,
      failed: 0,
      completed: 0,
    });
    expect(await empty.lagSeconds()).toBe(0);
    expect(await empty.workerCount()).toBe(0);
  });
});
