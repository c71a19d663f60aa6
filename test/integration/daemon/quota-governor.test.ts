import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/clock.js';
import { QuotaGovernor } from '../../../src/queue/quota-governor.js';
import { deletePrefix, redisUrl, testConfig } from './helpers.js';

describe('quota governor (real Redis, shared by all workers)', () => {
  const config = testConfig();
  let redis: Redis;
  const prefixes: string[] = [];
  const governor = (quota: Partial<typeof config.quota>, users = 1) => {
    const prefix = `${config.redis.keyPrefix}-${prefixes.length}`;
    prefixes.push(prefix);
    return new QuotaGovernor(redis, { ...config.quota, ...quota }, prefix, { userCount: async () => users });
  };

  beforeAll(() => {
    redis = new Redis(redisUrl);
  });
  afterAll(async () => {
    for (const p of prefixes) await deletePrefix(p);
    redis.disconnect();
  });

  it('counts calls per Korean day and reports used, remaining and purposes', async () => {
    const g = governor({ dailyBudget: 100, perSecond: 1000 });
    expect(await g.acquire('u1', 'write', 10)).toBe(true);
    expect(await g.acquire('u1', 'verify', 5)).toBe(true);
    const s = await g.status();
    expect(s).toMatchObject({ budget: 100, used: 15, remaining: 85, exhausted: false });
    expect(s.byPurpose).toMatchObject({ write: 10, verify: 5 });
    expect(s.projected).toBeGreaterThanOrEqual(15);
  });

  it("counts each Korean day on the governor's clock: a new day starts at 00:00 KST", async () => {
    const clock = new ManualClock(new Date('2026-03-02T14:59:00Z')); // 23:59 KST
    const prefix = `${config.redis.keyPrefix}-clock`;
    prefixes.push(prefix);
    const g = new QuotaGovernor(redis, { ...config.quota, dailyBudget: 100, perSecond: 1000 }, prefix, {
      now: () => clock.now(),
    });
    expect(await g.acquire('u1', 'write', 7)).toBe(true);
    expect(await g.status()).toMatchObject({ day: '2026-03-02', used: 7 });
    clock.advance(60_000);
    expect(await g.status()).toMatchObject({
      day: '2026-03-03',
      used: 0,
      resetsAt: '2026-03-03T15:00:00.000Z',
    });
  });

  it('keeps the write reserve: verification is deferred, writes are not', async () => {
    const g = governor({ dailyBudget: 100, perSecond: 1000, writeReserve: 0.2 });
    expect(await g.acquire('u1', 'verify', 80)).toBe(true);
    expect(await g.acquire('u1', 'verify', 1)).toBe(false);
    expect(await g.acquire('u2', 'detail', 1)).toBe(false);
    expect((await g.status()).verificationDeferred).toBe(true);
    expect(await g.acquire('u1', 'write', 40)).toBe(true);
    expect((await g.status()).used).toBe(120);
  });

  it('first syncs stop at the write reserve: existing users keep their writes', async () => {
    const g = governor({ dailyBudget: 100, perSecond: 1000, writeReserve: 0.2 });
    expect(await g.acquire('new', 'first-sync', 80)).toBe(true);
    expect(await g.acquire('newer', 'first-sync', 1)).toBe(false);
    expect(await g.acquire('old', 'write', 20)).toBe(true);
    const s = await g.status();
    expect(s.used).toBe(100);
    expect(s.byPurpose).toMatchObject({ 'first-sync': 80, write: 20 });
  });

  it('a reservation larger than the day has left takes nothing; one refused part-way gives back what it took', async () => {
    const g = governor({ dailyBudget: 100, perSecond: 1000 });
    expect(await g.acquire('u1', 'write', 90)).toBe(true);
    expect(await g.acquire('u1', 'first-sync', 20)).toBe(false);
    expect((await g.status()).used).toBe(90);
    // A reservation paced over several seconds: another worker takes the rest of the day meanwhile.
    const h = governor({ dailyBudget: 100, perSecond: 10 });
    const prefix = prefixes.at(-1)!;
    const other = new QuotaGovernor(redis, { ...config.quota, dailyBudget: 100, perSecond: 1000 }, prefix);
    let stolen = false;
    const paced = new QuotaGovernor(redis, { ...config.quota, dailyBudget: 100, perSecond: 10 }, prefix, {
      sleep: async () => {
        if (!stolen) await other.charge('u2', 'write', 85);
        stolen = true;
        await new Promise((r) => setTimeout(r, 1000));
      },
    });
    expect(await paced.acquire('u1', 'first-sync', 30)).toBe(false);
    const s = await h.status();
    expect(s.used).toBe(85);
    expect(s.byPurpose['first-sync']).toBe(0);
  });

  it('charges calls already made (next pages, retries) even when verification is deferred', async () => {
    const g = governor({ dailyBudget: 100, perSecond: 1000, writeReserve: 0.2 });
    expect(await g.acquire('u1', 'verify', 80)).toBe(true);
    expect(await g.acquire('u1', 'verify', 1)).toBe(false);
    await g.charge('u1', 'verify', 2);
    await g.charge('u1', 'retry', 1);
    const s = await g.status();
    expect(s.used).toBe(83);
    expect(s.byPurpose).toMatchObject({ verify: 82, retry: 1 });
  });

  it('shares verification fairly among users', async () => {
    const g = governor({ dailyBudget: 100, perSecond: 1000, writeReserve: 0 }, 4);
    expect(await g.acquire('greedy', 'verify', 25)).toBe(true);
    expect(await g.acquire('greedy', 'verify', 1)).toBe(false);
    expect(await g.acquire('other', 'verify', 25)).toBe(true);
  });

  it('holds the per-second rate across concurrent callers', async () => {
    let waits = 0;
    const g = new QuotaGovernor(redis, { ...config.quota, perSecond: 5 }, `${config.redis.keyPrefix}-rate`, {
      sleep: async (ms) => {
        waits++;
        await new Promise((r) => setTimeout(r, ms));
      },
    });
    prefixes.push(`${config.redis.keyPrefix}-rate`);
    const grants: number[] = [];
    await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        await g.acquire(`u${i}`, 'write', 1);
        grants.push(Math.floor(Date.now() / 1000));
      }),
    );
    expect(grants.length).toBe(12);
    // At most 5 of the 12 are granted in the first second, so at least 7 callers had to wait.
    expect(waits).toBeGreaterThanOrEqual(7);
    expect((await g.status()).used).toBe(12);
  });

  it('after a quota error: the day counts as spent, reads are deferred, the rate is halved', async () => {
    const g = governor({ dailyBudget: 1000, perSecond: 10 });
    expect(await g.exhaustedUntil()).toBeUndefined();
    expect(await g.acquire('u1', 'write', 3)).toBe(true);
    await g.noteExhausted(new Date(Date.now() + 60_000));
    const s = await g.status();
    // The count stays the calls really made; the day is spent all the same.
    expect(s).toMatchObject({
      exhausted: true,
      used: 3,
      remaining: 0,
      verificationDeferred: true,
      perSecond: 5,
    });
    expect(await g.exhaustedUntil()).toEqual(new Date(s.resetsAt));
    expect(await g.acquire('u1', 'verify', 1)).toBe(false);
    expect(await g.acquire('u1', 'first-sync', 1)).toBe(false);
    expect(await g.acquire('u1', 'write', 1)).toBe(true);
  });
});
