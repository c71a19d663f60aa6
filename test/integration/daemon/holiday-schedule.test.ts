import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holidayPattern, holidaySchedulerId } from '../../../src/daemon/holiday-schedule.js';
import { runDaemon } from '../../../src/daemon/run.js';
import { HolidayCache } from '../../../src/publish/holidays.js';
import { publishKeys } from '../../../src/publish/keys.js';
import { type PublishRig, startPublishRig, usePublishRig } from '../publish/harness.js';

// `talkcal start` with publish.includeHolidays and an admin key schedules the holidays refresh:
// one app-wide BullMQ job scheduler (weekly, Mondays 03:00 KST), an immediate first run when nothing is
// stored yet, its Kakao calls drawn from the quota governor as 'verify'.

async function until<T>(probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('scheduled holidays refresh', () => {
  let rig: PublishRig;

  beforeAll(async () => {
    rig = await startPublishRig({ includeHolidays: true });
  }, 60_000);
  afterAll(async () => {
    await rig?.close();
  });

  it('has one weekly job scheduler, Mondays at 03:00 Asia/Seoul', async () => {
    const schedule = rig.daemon.holidays;
    expect(schedule).toBeDefined();
    const schedulers = await schedule!.queue.getJobSchedulers();
    expect(schedulers.map((s) => s.key)).toEqual([holidaySchedulerId]);
    expect(schedulers[0]?.pattern).toBe('0 3 * * 1');
    expect(holidayPattern.pattern).toBe('0 3 * * 1');
    expect(schedulers[0]?.tz).toBe('Asia/Seoul');
  });

  it('refreshes at once when nothing is stored, counting its calls as verify reads', async () => {
    const { ctx } = rig.daemon;
    const cache = new HolidayCache(ctx.redis, publishKeys(ctx.config.redis.keyPrefix));
    const raw = await until(async () => ((await cache.raw()) === '' ? undefined : await cache.raw()));
    const stored = JSON.parse(raw) as { events: unknown[] };
    expect(stored.events.length).toBeGreaterThan(10);
    const holidayCalls = rig.emulator.admin.requests().filter((r) => r.path === '/v2/api/calendar/holidays');
    expect(holidayCalls.length).toBeGreaterThan(0);
    const status = await ctx.governor.status();
    expect(status.byPurpose.verify).toBe(holidayCalls.length);
  });

  it('a second `start` process keeps the one schedule', async () => {
    const second = await runDaemon(rig.daemon.ctx.config, { api: true, worker: false });
    try {
      const schedulers = await second.holidays!.queue.getJobSchedulers();
      expect(schedulers.map((s) => s.key)).toEqual([holidaySchedulerId]);
    } finally {
      await second.stop();
    }
  });

  it('a deferred refresh (governor refuses) reads nothing from Kakao', async () => {
    const { ctx } = rig.daemon;
    const { holidayRefresher } = await import('../../../src/publish/publisher.js');
    rig.emulator.admin.clearRequests();
    const refuse = { acquire: async () => false };
    await expect(holidayRefresher(ctx, refuse)()).rejects.toThrow(/deferred/);
    expect(rig.emulator.admin.requests()).toEqual([]);
  });
});

describe('without publish.includeHolidays', () => {
  const env = usePublishRig();

  it('schedules nothing', () => {
    expect(env.rig.daemon.holidays).toBeUndefined();
  });
});
