import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ScaledClock } from '../../../src/clock.js';
import { KakaoQuotaError, KakaoTokenError } from '../../../src/kakao/errors.js';
import { createLogger } from '../../../src/log.js';
import { DaemonMetrics } from '../../../src/metrics.js';
import { QuotaDeferredError } from '../../../src/queue/errors.js';
import { userJobId } from '../../../src/queue/jobs.js';
import { QuotaGovernor } from '../../../src/queue/quota-governor.js';
import { SyncQueue } from '../../../src/queue/sync-queue.js';
import type { SyncRunner, SyncRunRequest } from '../../../src/queue/sync-runner.js';
import { readLastRun, SyncWorker } from '../../../src/queue/sync-worker.js';
import { bullPrefix } from '../../../src/registry/redis.js';
import { Registry } from '../../../src/registry/registry.js';
import { deletePrefix, redisUrl, testConfig, untilWithin } from './helpers.js';

// Queue semantics with a scripted runner standing in for the sync engine: what the worker does with
// each outcome. The end-to-end tests with the real engine and the emulator are in daemon-e2e.test.ts.

const until = untilWithin(20_000, 25);

describe('sync queue and worker (real Redis)', () => {
  const config = testConfig({
    sync: { intervalMinutes: 1, jitterSeconds: 0, lockTtlMs: 5000 },
    worker: { admissionConcurrency: 1 },
  });
  const logger = createLogger({ level: 'silent' });
  let redis: Redis;
  let registry: Registry;
  let queue: SyncQueue;
  let worker: SyncWorker | undefined;
  let behaviour: (req: SyncRunRequest) => Promise<unknown> = async () => ({ links: [] });
  const calls: SyncRunRequest[] = [];
  const runner: SyncRunner = async (req) => {
    calls.push(req);
    return behaviour(req);
  };
  const metrics = new DaemonMetrics();
  let governor: QuotaGovernor;

  beforeAll(async () => {
    redis = new Redis(redisUrl);
    registry = new Registry(redis, config);
    governor = new QuotaGovernor(redis, config.quota, config.redis.keyPrefix);
    queue = new SyncQueue(config, redis, governor);
    await queue.listen();
    worker = new SyncWorker({
      config,
      redis,
      registry,
      queue,
      governor,
      runner,
      logger,
      metrics,
      concurrency: 4,
    });
  });
  afterEach(() => {
    calls.length = 0;
  });
  afterAll(async () => {
    await worker?.close(1000);
    await queue.close();
    await deletePrefix(config.redis.keyPrefix);
    redis.disconnect();
  });

  const addUser = async (id: string) => {
    await registry.users.upsert({
      id,
      timeZone: 'Asia/Seoul',
      tokens: { accessToken: 'a', refreshToken: 'r', accessTokenExpiresAt: Date.now() + 3600_000 },
    });
    await registry.links.put(id, {
      id: 'feed',
      source: { type: 'ics', url: 'https://example.org/a.ics' },
      target: { kind: 'primary' },
    });
  };

  it('a manual trigger runs the sync with the user and links, reports progress and records the run', async () => {
    await addUser('101');
    behaviour = async (req) => {
      req.onProgress({ phase: 'apply', done: 1, total: 2 });
      return { links: [{ linkId: 'feed', counts: { kakao: { created: 3, updated: 0, deleted: 1 } } }] };
    };
    const { jobId, deduplicated, outcome } = await queue.triggerAndWait('101');
    expect(deduplicated).toBe(false);
    expect(outcome).toMatchObject({ result: { links: [{ linkId: 'feed' }] } });
    expect(calls[0]).toMatchObject({ userId: '101', timeZone: 'Asia/Seoul', dryRun: false });
    expect(calls[0]?.links.map((l) => l.id)).toEqual(['feed']);
    expect(await readLastRun(redis, registry, '101')).toMatchObject({ jobId, outcome: 'ok', manual: true });
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/talkcal_sync_operations_total\{kind="created",side="kakao"\} 3/);
  });

  it('a trigger during a running sync does not start a second one', async () => {
    await addUser('102');
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    behaviour = async () => {
      await gate;
      return { links: [] };
    };
    const first = await queue.trigger('102');
    await until(async () => (await queue.marker.holder('102')) !== null, 'the sync to start');
    const second = await queue.trigger('102');
    const third = await queue.trigger('102');
    expect(second).toEqual({ jobId: first.jobId, deduplicated: true });
    expect(third.deduplicated).toBe(true);
    release();
    await queue.waitFor(first.jobId);
    expect(calls.filter((c) => c.userId === '102').length).toBe(1);
  });

  it('the running marker admits one job per user, and the same job again after its attempt died', async () => {
    expect(await queue.marker.claim('900', 'job-a')).toBe(true);
    expect(await queue.marker.claim('900', 'job-b')).toBe(false);
    expect(await queue.marker.claim('900', 'job-a')).toBe(true);
    await queue.marker.release('900', 'job-b');
    expect(await queue.marker.holder('900')).toBe('job-a');
    await queue.marker.release('900', 'job-a');
    expect(await queue.marker.claim('900', 'job-b')).toBe(true);
    await queue.marker.release('900', 'job-b');
  });

  it('schedules each user at the interval and unschedules', async () => {
    await addUser('103');
    behaviour = async () => ({ links: [] });
    await queue.schedule('103', 1);
    expect(await queue.isScheduled('103')).toBe(true);
    const scheduler = await queue.queue.getJobScheduler('user-103');
    expect(scheduler?.every).toBe(60_000);
    // The first run is queued at once (then every minute).
    await until(() => calls.some((c) => c.userId === '103'), 'the first scheduled run');
    await queue.unschedule('103');
    expect(await queue.isScheduled('103')).toBe(false);
  });

  it('the start-up reconciliation rewrites only a missing or changed schedule', async () => {
    await addUser('106');
    const jittered = new SyncQueue({ ...config, sync: { ...config.sync, jitterSeconds: 300 } }, redis);
    try {
      expect(await jittered.ensureScheduled('106', 60)).toBe(true);
      const first = await jittered.queue.getJobScheduler('user-106');
      expect(first?.offset).toBeGreaterThan(0);
      expect(await jittered.ensureScheduled('106', 60)).toBe(false);
      // A schedule whose next run was lost (Redis data lost) is rewritten.
      const lost = `repeat:user-106:${first?.next ?? 0}`;
      const bull = `${bullPrefix(config.redis)}:sync`;
      expect(await redis.zrem(`${bull}:delayed`, lost)).toBe(1);
      await redis.del(`${bull}:${lost}`);
      expect(await jittered.ensureScheduled('106', 60)).toBe(true);
      expect(await jittered.ensureScheduled('106', 60)).toBe(false);
      expect(await jittered.ensureScheduled('106', 30)).toBe(true);
      expect((await jittered.queue.getJobScheduler('user-106'))?.every).toBe(30 * 60_000);
      await jittered.unschedule('106');
      expect(await jittered.ensureScheduled('106', 30)).toBe(true);
      await jittered.unschedule('106');
    } finally {
      await jittered.close();
    }
  });

  it("repeats a schedule in the real time the clock's interval takes (a day in minutes)", async () => {
    const fast = new SyncQueue(config, redis, undefined, new ScaledClock(new Date(), 60));
    await fast.schedule('fast-1', 15);
    expect((await fast.queue.getJobScheduler('user-fast-1'))?.every).toBe(15_000);
    await fast.unschedule('fast-1');
    await fast.close();
  });

  it('spreads schedules over the whole interval, not only its first jitterSeconds', async () => {
    const spread = new SyncQueue(testConfig({ sync: { jitterSeconds: 60 } }), redis);
    const users = Array.from({ length: 120 }, (_, i) => `spread-${i}`);
    for (const u of users) await spread.schedule(u, 60);
    const jobs = await spread.queue.getJobs(['delayed', 'waiting', 'prioritized']);
    const hour = 3600_000;
    const buckets = new Set(
      jobs.map((j) => Math.floor(((j.timestamp + (j.delay ?? 0)) % hour) / (5 * 60_000))),
    );
    // Twelve 5-minute buckets of the hour: a 60 s jitter would fill at most one or two.
    expect(buckets.size).toBeGreaterThanOrEqual(10);
    for (const u of users) await spread.unschedule(u);
    await spread.queue.obliterate({ force: true });
    await spread.close();
  });

  it('first syncs wait in the admission queue on their own slots; existing users sync meanwhile', async () => {
    for (const id of ['a1', 'a2', 'a3', 'old']) await addUser(id);
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    behaviour = async (req) => {
      if (req.userId.startsWith('a')) await gate;
      return { links: [] };
    };
    for (const id of ['a1', 'a2', 'a3']) await queue.admission.admit(id);
    await until(async () => calls.some((c) => c.userId === 'a1'), 'the first admission to start');
    // One admission slot: a1 runs, a2 and a3 wait in order, with a rough wait.
    expect(await queue.admission.place('a3')).toMatchObject({ position: 1 });
    expect((await queue.admission.place('a3'))?.etaSeconds).toBeGreaterThan(0);
    expect((await queue.admission.admit('a3')).deduplicated).toBe(true);
    // An existing user's sync does not wait behind them.
    const { outcome } = await queue.triggerAndWait('old');
    expect(outcome).toEqual({ result: { links: [] } });
    // A user still waiting for admission is not polled by their schedule.
    await queue.schedule('a3', 1);
    await until(async () => (await queue.queue.getJobCountByTypes('completed')) > 0, 'the scheduled run');
    expect(calls.filter((c) => c.userId === 'a3')).toHaveLength(0);
    release();
    await until(async () => calls.filter((c) => c.userId.startsWith('a')).length === 3, 'every admission');
    expect(calls.map((c) => c.userId).filter((u) => u.startsWith('a'))).toEqual(['a1', 'a2', 'a3']);
    await queue.unschedule('a3');
  });

  it('retries transient failures with backoff', async () => {
    await addUser('104');
    let attempts = 0;
    behaviour = async () => {
      attempts++;
      if (attempts < 2) throw new Error('ECONNRESET');
      return { links: [] };
    };
    const { jobId } = await queue.trigger('104');
    const job = await queue.getJob(jobId);
    expect(job?.opts.backoff).toMatchObject({ type: 'exponential' });
    await until(async () => (await readLastRun(redis, registry, '104'))?.outcome === 'retrying', 'a retry');
    // Shorten the wait: promote the delayed retry instead of waiting 5 s.
    await (await queue.getJob(jobId))?.promote();
    await until(
      async () => (await readLastRun(redis, registry, '104'))?.outcome === 'ok',
      'the retry to succeed',
    );
    expect(attempts).toBe(2);
  });

  it('a quota error delays the job until the reset and marks the day exhausted', async () => {
    await addUser('105');
    behaviour = async () => {
      throw new KakaoQuotaError({ status: 400, code: -10, endpoint: 'events.list' }, Date.now());
    };
    // Whoever waits for the sync hears at once that it is parked until the reset.
    await expect(queue.triggerAndWait('105')).rejects.toThrow(QuotaDeferredError);
    const job = await queue.getJob(userJobId('105'));
    expect(await job?.getState()).toBe('delayed');
    expect((job?.timestamp ?? 0) + (job?.delay ?? 0)).toBeGreaterThan(Date.now() + 1000);
    expect(calls.filter((c) => c.userId === '105').length).toBe(1);
    expect(await readLastRun(redis, registry, '105')).toMatchObject({ outcome: 'deferred' });
    // Later manual syncs are answered at once, not merged into the parked job.
    await addUser('107');
    await expect(queue.triggerAndWait('107')).rejects.toThrow(/^deferred until 00:00 KST/);
    await expect(queue.trigger('105')).rejects.toThrow(QuotaDeferredError);
    expect(calls.filter((c) => c.userId === '107').length).toBe(0);
    await job?.remove();
    await governor.clear();
  });

  it('a token failure marks the user needs_reauth, stops the schedule and does not retry', async () => {
    await addUser('106');
    await queue.schedule('106', 60);
    behaviour = async () => {
      throw new KakaoTokenError({ status: 401, code: -401, endpoint: 'oauth.refresh' });
    };
    // The worker marks the user, then removes the schedule: wait for both.
    await until(
      async () =>
        (await registry.users.get('106')).state === 'needs_reauth' && !(await queue.isScheduled('106')),
      'needs_reauth and no schedule',
    );
    expect(calls.filter((c) => c.userId === '106').length).toBe(1);
    // A manual trigger of a needs_reauth user fails at once with a clear reason.
    await expect(queue.triggerAndWait('106')).rejects.toThrow(/needs_reauth/);
    expect(calls.filter((c) => c.userId === '106').length).toBe(1);
  });
});
