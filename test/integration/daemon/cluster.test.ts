import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appStatus } from '../../../src/daemon/app-status.js';
import { createDaemonContext, type DaemonContext } from '../../../src/daemon/context.js';
import { createSyncRunner } from '../../../src/daemon/sync-runner-factory.js';
import { type RunningEmulator, startEmulator } from '../../../src/emulator/server.js';
import { SyncWorker } from '../../../src/queue/sync-worker.js';
import { type FeedHost, feedWithEvents, startFeedHost } from './feeds.js';
import { connectFeedUser, testConfig, untilWithin } from './helpers.js';
import { startRedisCluster, type TestCluster } from './redis-cluster.js';

// The daemon on a three-master Redis Cluster: two workers, 50 users, same results as single Redis.

const until = untilWithin(180_000, 200);

const users = 50;
const eventsPerUser = 4;

describe('Redis Cluster: two workers, 50 users', () => {
  let cluster: TestCluster;
  let emulator: RunningEmulator;
  let feeds: FeedHost;
  let ctx: DaemonContext;
  const workers: SyncWorker[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    cluster = await startRedisCluster();
    emulator = await startEmulator({ host: '127.0.0.1', port: 0 });
    feeds = await startFeedHost();
    feeds.set('c', feedWithEvents(eventsPerUser, 'Cluster'));
    const config = testConfig({
      redis: { clusterNodes: cluster.nodes, keyPrefix: 'talkcal' },
      kakao: { apiBaseUrl: emulator.url, authBaseUrl: emulator.url, restApiKey: 'emulator-rest-api-key' },
      quota: { perSecond: 200 },
      sync: { horizonPastDays: 0, horizonFutureDays: 31, intervalMinutes: 60 },
      sources: { allowHosts: ['127.0.0.1'] },
    });
    ctx = createDaemonContext(config);
    for (let i = 0; i < 2; i++) {
      const worker = new SyncWorker({ ...ctx, runner: createSyncRunner(ctx), concurrency: 5 });
      worker.worker.on('failed', (_job, error) => errors.push(error.message));
      worker.worker.on('error', (error) => errors.push(error.message));
      workers.push(worker);
    }
  }, 120_000);
  afterAll(async () => {
    for (const w of workers) await w.close(2000);
    await ctx?.close();
    await feeds?.close();
    await emulator?.close();
    await cluster?.stop();
  });

  it('status reads the queue figures and live workers from the cluster without BullMQ', async () => {
    for (const w of workers) await w.waitUntilReady();
    const status = await appStatus(ctx);
    expect(status.queue.workers).toBe(workers.length);
    expect(await ctx.queue.queue.getWorkers()).toHaveLength(workers.length);
    const bull = await ctx.queue.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed');
    for (const state of ['waiting', 'active', 'delayed', 'prioritized', 'failed'] as const)
      expect(status.queue[state], state).toBe(bull[state]);
  });

  it('syncs every user with no CROSSSLOT error and the same results as single Redis', async () => {
    const ids: string[] = [];
    for (let i = 0; i < users; i++) {
      ids.push(await connectFeedUser(ctx, emulator, { id: 'c', url: feeds.url('c') }));
    }
    await until(async () => {
      let done = 0;
      for (const id of ids) {
        const raw = await ctx.redis.get(ctx.registry.keys.lastRun(id));
        if (raw && JSON.parse(raw).outcome === 'ok') done++;
      }
      return done === users;
    }, 'every user synced');
    for (const id of ids) expect((emulator.admin.events(id) as unknown[]).length).toBe(eventsPerUser);
    // A second round changes nothing (mapping state survived on the cluster).
    const again = (await ctx.queue.triggerAndWait(ids[0]!)).outcome as {
      result: { links: { counts: { kakao: { created: number } } }[] };
    };
    expect(again.result.links[0]?.counts.kakao.created).toBe(0);
    const status = await ctx.governor.status();
    expect(status.used).toBeGreaterThanOrEqual(users * eventsPerUser);
    expect(await ctx.queue.isScheduled(ids[0]!)).toBe(true);
    expect(errors.filter((e) => /CROSSSLOT/i.test(e))).toEqual([]);
    expect(errors).toEqual([]);
  }, 240_000);
});
