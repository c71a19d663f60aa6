import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDaemonContext, type DaemonContext } from '../../../src/daemon/context.js';
import { createSyncRunner } from '../../../src/daemon/sync-runner-factory.js';
import { addUser } from '../../../src/daemon/user-service.js';
import { type RunningEmulator, startEmulator } from '../../../src/emulator/server.js';
import { SyncWorker } from '../../../src/queue/sync-worker.js';
import { type FeedHost, feedWithEvents, startFeedHost } from './feeds.js';
import { deletePrefix, redisUrl, testConfig, untilWithin } from './helpers.js';
import { startWorkerProcess, workerEnv } from './worker-process.js';

const until = untilWithin(60_000, 25);

describe('SIGTERM during a sync (worker process)', () => {
  let emulator: RunningEmulator;
  let feeds: FeedHost;
  let ctx: DaemonContext;
  const events = 30;
  const config = testConfig({
    sync: { lockTtlMs: 2000, horizonFutureDays: 60 },
    // A create cut off by the stop settles once older than the lease plus this: seconds, not a minute.
    kakao: { timeoutMs: 3000 },
    worker: { shutdownGraceMs: 100 },
    sources: { allowHosts: ['127.0.0.1'] },
  });

  beforeAll(async () => {
    emulator = await startEmulator({ host: '127.0.0.1', port: 0, latencyMs: 100 });
    feeds = await startFeedHost();
    feeds.set('big', feedWithEvents(events, 'Big'));
    ctx = createDaemonContext({
      ...config,
      kakao: {
        ...config.kakao,
        apiBaseUrl: emulator.url,
        authBaseUrl: emulator.url,
        restApiKey: 'emulator-rest-api-key',
      },
    });
  });
  afterAll(async () => {
    await ctx.close();
    await feeds.close();
    await emulator.close();
    await deletePrefix(config.redis.keyPrefix);
  });

  it('stops mid-sync without partial state; another worker finishes the sync without duplicates', async () => {
    const kakaoUser = emulator.admin.createUser();
    const userId = kakaoUser.userId;
    await addUser(ctx, {
      id: userId,
      tokens: {
        accessToken: kakaoUser.accessToken,
        refreshToken: kakaoUser.refreshToken,
        expiresIn: kakaoUser.expiresIn,
      },
    });
    await ctx.queue.unschedule(userId);
    await ctx.registry.links.put(userId, {
      id: 'big',
      source: { type: 'ics', url: feeds.url('big') },
      target: { kind: 'primary' },
    });

    const env = workerEnv(config, emulator.url, {
      TALKCAL_SYNC__LOCK_TTL_MS: '2000',
      TALKCAL_KAKAO__TIMEOUT_MS: '3000',
      TALKCAL_SYNC__HORIZON_FUTURE_DAYS: '60',
      TALKCAL_WORKER__SHUTDOWN_GRACE_MS: '100',
    });
    const first = await startWorkerProcess(env, ['--lock-duration', '2000']);
    const { jobId } = await ctx.queue.trigger(userId);
    const created = () => (emulator.admin.events(userId) as unknown[]).length;
    await until(() => created() >= 3, 'the first creates');
    const code = await first.stop('SIGTERM');
    expect(code).toBe(0);
    const atKill = created();
    expect(atKill).toBeLessThan(events);

    // A new worker takes the stalled job over once its lock expires and completes the sync.
    const second = new SyncWorker({
      ...ctx,
      runner: createSyncRunner(ctx),
      lockDurationMs: 2000,
      stalledIntervalMs: 500,
    });
    try {
      // An item whose create the stop cut off waits until its intent is older than the lease plus
      // the request timeout; a later run (here as the next poll would) then settles and creates it.
      let polledAt = 0;
      await until(async () => {
        const run = await ctx.redis.get(ctx.registry.keys.lastRun(userId));
        if (run === null || JSON.parse(run).outcome !== 'ok') return false;
        if (created() >= events) return true;
        if (Date.now() - polledAt > 1000 && !(await ctx.queue.marker.holder(userId))) {
          polledAt = Date.now();
          await ctx.queue.trigger(userId);
        }
        return false;
      }, 'the sync to be finished by the second worker');
    } finally {
      await second.close(5000);
    }
    const titles = (emulator.admin.events(userId) as unknown as { title: string }[]).map((e) => e.title);
    expect(titles.length).toBe(events);
    expect(new Set(titles).size).toBe(events);
    // The user's first sync: the manual one, or the admission one addUser queued if a worker took it first.
    expect([`user-${userId}`, `admit-${userId}`]).toContain(jobId);
    const redis = new Redis(redisUrl);
    expect(await redis.exists(`${config.redis.keyPrefix}:user:{${userId}}:running`)).toBe(0);
    redis.disconnect();
  });
});
