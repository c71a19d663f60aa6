import { afterAll, describe, expect, it } from 'vitest';
import type { AppStatus } from '../../../src/daemon/app-status.js';
import { createDaemonContext } from '../../../src/daemon/context.js';
import { runDaemon } from '../../../src/daemon/run.js';
import { runCli } from '../cli/cli-run.js';
import { cliEnv, deletePrefix, testConfig, untilWithin } from './helpers.js';

// The start-up check of every user's schedule runs after the API answers; its progress is kept in
// Redis, so GET /api/status and `talkcal status` (a process of its own) say how far it got and how
// many schedules it had to write again.

const until = untilWithin(20_000, 50);

describe('start-up schedule check progress (real Redis, daemon, CLI)', () => {
  const config = testConfig({ http: { host: '127.0.0.1', port: 0, adminToken: 'admin-secret-token' } });
  afterAll(() => deletePrefix(config.redis.keyPrefix));
  const users = ['8101', '8102', '8103', '8104', '8105'];

  /** Starts the API (no worker), waits for the check to finish, returns what /api/status said. */
  async function startAndCheck(): Promise<NonNullable<AppStatus['startup']>['schedules']> {
    const daemon = await runDaemon(config, { api: true, worker: false, holidaySchedule: false });
    try {
      let schedules: NonNullable<AppStatus['startup']>['schedules'] | undefined;
      await until(async () => {
        const res = await fetch(`${daemon.url}/api/status`, {
          headers: { authorization: 'Bearer admin-secret-token' },
        });
        schedules = ((await res.json()) as AppStatus).startup?.schedules;
        return schedules?.finishedAt !== undefined;
      }, 'the schedule check to finish');
      return schedules!;
    } finally {
      await daemon.stop();
    }
  }

  it('counts the users checked and the schedules repaired at each start', async () => {
    const ctx = createDaemonContext(config);
    try {
      for (const id of users) {
        await ctx.registry.users.upsert({
          id,
          timeZone: 'Asia/Seoul',
          tokens: { accessToken: 'a', refreshToken: 'r', accessTokenExpiresAt: Date.now() + 3600_000 },
        });
      }
      // No schedule yet (written straight to the registry): the first start writes all five.
      expect(await startAndCheck()).toMatchObject({ total: 5, checked: 5, repaired: 5 });
      // Intact schedules are only read; one lost is written again.
      await ctx.queue.unschedule('8103');
      const second = await startAndCheck();
      expect(second).toMatchObject({ total: 5, checked: 5, repaired: 1 });
      expect(Date.parse(second.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(second.startedAt));
      expect(await ctx.queue.isScheduled('8103')).toBe(true);
    } finally {
      await ctx.close();
    }
    const run = await runCli(cliEnv(config), ['status']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^start-up {2}schedules checked: 5 users, 1 repaired; started \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/m,
    );
  });
});
