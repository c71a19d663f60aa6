import { beforeEach, describe, expect, it } from 'vitest';
import { KakaoOutcomeUnknownError, KakaoQuotaError, KakaoTokenError } from '../../../src/kakao/errors.js';
import { admin, clearLog, future, iso, newUserClient, requestLog, useEmulator } from './harness.js';

// Failure handling against the emulator's fault injection, checked through its request log.

const env = useEmulator();

beforeEach(async () => {
  await admin(env.emu, 'DELETE', '/faults');
  await admin(env.emu, 'POST', '/quota', { enabled: false });
  await clearLog(env.emu);
});

function oneHour(daysAhead: number) {
  const start = future(daysAhead);
  return { start_at: iso(start), end_at: iso(new Date(start.getTime() + 3_600_000)) };
}

describe('client fault handling against the emulator', () => {
  it('retries two 503s and then succeeds: three requests logged', async () => {
    const { client, user } = await newUserClient(env.emu);
    await admin(env.emu, 'POST', '/faults', {
      method: 'GET',
      path: '/v2/api/calendar/calendars',
      times: 2,
      status: 503,
      code: -9798,
    });
    const list = await user.listCalendars();
    expect(list.calendars?.map((c) => c.id)).toContain('primary');
    const log = (await requestLog(env.emu)).filter((r) => r.path === '/v2/api/calendar/calendars');
    expect(log.map((r) => r.status)).toEqual([503, 503, 200]);
    expect(client.stats.snapshot().byEndpoint['calendars.list']).toEqual({
      success: 1,
      retried: 2,
      failed: 0,
    });
  });

  it('refreshes an expired token once and retries the call', async () => {
    const { u, user } = await newUserClient(env.emu);
    const before = u.store.current.accessToken;
    await admin(env.emu, 'POST', '/tokens/expire', { userId: u.userId });
    const list = await user.listCalendars();
    expect(list.calendars?.length).toBeGreaterThan(0);
    expect(u.store.saved).toHaveLength(1);
    expect(u.store.current.accessToken).not.toBe(before);
    const log = await requestLog(env.emu);
    expect(log.map((r) => [r.path, r.status])).toEqual([
      ['/v2/api/calendar/calendars', 401],
      ['/oauth/token', 200],
      ['/v2/api/calendar/calendars', 200],
    ]);
  });

  it('throws KakaoTokenError when the refresh token was revoked', async () => {
    const { u, user } = await newUserClient(env.emu);
    await admin(env.emu, 'POST', '/tokens/revoke', { userId: u.userId });
    const error = await user.listCalendars().catch((e) => e);
    expect(error).toBeInstanceOf(KakaoTokenError);
    expect(error.scope).toBe('user');
    expect(u.store.saved).toHaveLength(0);
  });

  it('maps -10 to KakaoQuotaError without retrying', async () => {
    const { user } = await newUserClient(env.emu);
    await admin(env.emu, 'POST', '/quota', { enabled: true, daily: 5, used: 5 });
    const error = await user.listCalendars().catch((e) => e);
    expect(error).toBeInstanceOf(KakaoQuotaError);
    expect(error.resetsAt).toBeGreaterThan(Date.now());
    expect(new Date(error.resetsAt).getUTCHours()).toBe(15);
    expect((await requestLog(env.emu)).filter((r) => r.endpoint === 'calendars.list')).toHaveLength(1);
  });

  it('reports outcome unknown for a create whose connection dropped after processing: one request', async () => {
    const { user } = await newUserClient(env.emu);
    await admin(env.emu, 'POST', '/faults', {
      method: 'POST',
      path: '/v2/api/calendar/create/event',
      times: 1,
      drop: true,
      afterProcessing: true,
    });
    const error = await user.createEvent({ event: { title: 'Maybe', time: oneHour(3) } }).catch((e) => e);
    expect(error).toBeInstanceOf(KakaoOutcomeUnknownError);
    expect(error.scope).toBe('retryable');
    const creates = (await requestLog(env.emu)).filter((r) => r.path === '/v2/api/calendar/create/event');
    expect(creates).toHaveLength(1);
    // The event exists: exactly what "outcome unknown" warns about.
    const listed = await user.listEventsWindow({ from: future(2, 0), to: future(5, 0) });
    expect(listed.filter((e) => e.title === 'Maybe')).toHaveLength(1);
  });

  it('retries a dropped read until it succeeds', async () => {
    const { client, user } = await newUserClient(env.emu);
    await admin(env.emu, 'POST', '/faults', {
      method: 'GET',
      path: '/v2/api/calendar/calendars',
      times: 1,
      drop: true,
    });
    await user.listCalendars();
    expect(client.stats.snapshot().byEndpoint['calendars.list']).toEqual({
      success: 1,
      retried: 1,
      failed: 0,
    });
  });
});

describe('pagination against the emulator', () => {
  it('follows after_url across pages and windows and returns each event once', async () => {
    const { user } = await newUserClient(env.emu);
    const ids: string[] = [];
    // 5 events in the first window, one spanning the window boundary, 3 in the second window.
    for (let d = 1; d <= 5; d++)
      ids.push(await user.createEvent({ event: { title: `w1-${d}`, time: oneHour(d) } }));
    const boundaryStart = future(31, 9);
    ids.push(
      await user.createEvent({
        event: {
          title: 'spanning',
          time: {
            start_at: iso(boundaryStart),
            end_at: iso(new Date(boundaryStart.getTime() + 6 * 3_600_000)),
          },
        },
      }),
    );
    for (let d = 35; d <= 37; d++)
      ids.push(await user.createEvent({ event: { title: `w2-${d}`, time: oneHour(d) } }));
    await clearLog(env.emu);

    const from = future(0, 12);
    const to = new Date(from.getTime() + 50 * 86_400_000);
    const events = await user.listEvents({ from, to, limit: 2 });
    expect(events.map((e) => e.id).sort()).toEqual([...ids].sort());

    const log = (await requestLog(env.emu)).filter((r) => r.endpoint === 'events.list');
    // window 1 [from, from+31d): 6 events at 2 per page = 3 pages; window 2: 4 events = 2 pages
    expect(log).toHaveLength(5);
    expect(log.every((r) => r.status === 200)).toBe(true);
  });
});
