import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDaemonContext, type DaemonContext } from '../../../src/daemon/context.js';
import { type RunningEmulator, startEmulator } from '../../../src/emulator/server.js';
import { type FeedHost, feedWithEvents, startFeedHost } from './feeds.js';
import { connectFeedUser, deletePrefix, testConfig, untilWithin } from './helpers.js';
import { startWorkerProcess, type WorkerProcess, workerEnv } from './worker-process.js';

// Three `talkcal worker` processes, 200 users, one Redis and the emulator.

const until = untilWithin(240_000, 200);

const users = 200;
const eventsPerUser = 3;
const perSecond = 50;

describe('scale-out: three worker processes, 200 users', () => {
  let emulator: RunningEmulator;
  let feeds: FeedHost;
  let ctx: DaemonContext;
  const workers: WorkerProcess[] = [];
  const config = testConfig({
    quota: { perSecond },
    sync: { horizonPastDays: 0, horizonFutureDays: 31, intervalMinutes: 60, jitterSeconds: 0 },
    sources: { allowHosts: ['127.0.0.1'] },
  });

  beforeAll(async () => {
    emulator = await startEmulator({ host: '127.0.0.1', port: 0, latencyMs: 5 });
    feeds = await startFeedHost();
    feeds.set('small', feedWithEvents(eventsPerUser, 'Team'));
    ctx = createDaemonContext(config);
    const env = workerEnv(config, emulator.url, {
      TALKCAL_QUOTA__PER_SECOND: String(perSecond),
      TALKCAL_SYNC__HORIZON_PAST_DAYS: '0',
      TALKCAL_SYNC__HORIZON_FUTURE_DAYS: '31',
      TALKCAL_HTTP__HOST: '127.0.0.1',
    });
    workers.push(
      ...(await Promise.all(
        // The first worker also serves its own /metrics.
        [0, 1, 2].map((i) =>
          startWorkerProcess(env, ['--concurrency', '5', ...(i === 0 ? ['--metrics-port', '0'] : [])]),
        ),
      )),
    );
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await ctx?.close();
    await feeds?.close();
    await emulator?.close();
    await deletePrefix(config.redis.keyPrefix);
  });

  it('syncs every user exactly once at a time, holding the global rate limit', async () => {
    expect(await ctx.queue.workerCount()).toBe(3);
    const ids: string[] = [];
    for (let i = 0; i < users; i++) {
      // Tokens schedule the user (first scheduled run at once, no jitter) and queue a manual sync.
      const userId = await connectFeedUser(ctx, emulator, { id: 'team', url: feeds.url('small') });
      ids.push(userId);
      // Every other user also gets a second trigger (deduplicated or run after, never alongside).
      if (i % 2 === 0) await ctx.queue.trigger(userId);
    }
    let progress = 0;
    const ticker = setInterval(() => console.log(`scale-out: ${progress}/${users} users synced`), 10_000);
    await until(async () => {
      let done = 0;
      for (const id of ids) {
        const raw = await ctx.redis.get(ctx.registry.keys.lastRun(id));
        if (raw && JSON.parse(raw).outcome === 'ok') done++;
      }
      progress = done;
      return done === users;
    }, 'every user synced').finally(() => clearInterval(ticker));
    // Let racing duplicates (if any) finish before counting.
    await until(async () => (await ctx.queue.counts()).active === 0, 'the queue to drain', 60_000);

    const log = emulator.admin.requests();
    const creates = new Map<string, number>();
    for (const r of log) {
      if (r.endpoint.includes('create') && r.status === 200 && r.userId) {
        creates.set(r.userId, (creates.get(r.userId) ?? 0) + 1);
      }
    }
    for (const id of ids) {
      // Two syncs of one user at once would both create the events.
      expect(creates.get(id) ?? 0).toBe(eventsPerUser);
      expect((emulator.admin.events(id) as unknown[]).length).toBe(eventsPerUser);
    }

    const api = log.filter((r) => r.path.startsWith('/v2/api/calendar') || r.path.startsWith('/v1/api/todo'));
    const perBucket = new Map<number, number>();
    for (const r of api) {
      const sec = Math.floor(Date.parse(r.at) / 1000);
      perBucket.set(sec, (perBucket.get(sec) ?? 0) + 1);
    }
    const busiest = Math.max(...perBucket.values());
    const first = Math.min(...perBucket.keys());
    const last = Math.max(...perBucket.keys());
    // Grants are per Redis second; a request granted late in one second may arrive in the next (more
    // so on a loaded machine), so one second can see up to two seconds' grants, but any five
    // seconds hold at most six seconds' worth, and the whole run stays within the limit (± a second).
    expect(busiest).toBeLessThanOrEqual(2 * perSecond);
    for (let sec = first; sec <= last - 4; sec++) {
      let five = 0;
      for (let k = 0; k < 5; k++) five += perBucket.get(sec + k) ?? 0;
      expect(five).toBeLessThanOrEqual(6 * perSecond);
    }
    expect(api.length).toBeLessThanOrEqual(perSecond * (last - first + 2));
    expect(api.length).toBeGreaterThanOrEqual(users * (eventsPerUser + 1));

    // Each worker process is scraped on its own: its Kakao calls and sync durations.
    const metricsUrl = /metrics on (http:\/\/\S+\/metrics)/.exec(workers[0]?.output() ?? '')?.[1];
    expect(metricsUrl).toBeDefined();
    const text = await (await fetch(metricsUrl!)).text();
    expect(text).toMatch(/talkcal_kakao_calls_total\{endpoint="events\.create",outcome="success"\} [1-9]/);
    // Every request by the quota purpose it was charged to.
    expect(text).toMatch(/talkcal_kakao_requests_total\{purpose="write"\} [1-9]/);
    expect(text).toMatch(/talkcal_sync_duration_seconds_count\{outcome="completed"\} [1-9]/);
  }, 300_000);
});
