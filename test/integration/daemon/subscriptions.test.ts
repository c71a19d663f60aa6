import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningDaemon, runDaemon } from '../../../src/daemon/run.js';
import { refreshStaleSubscriptions } from '../../../src/daemon/subscription-service.js';
import { addUser } from '../../../src/daemon/user-service.js';
import { type RunningEmulator, startEmulator } from '../../../src/emulator/server.js';
import { KakaoClient } from '../../../src/kakao/client.js';
import { syncKeys } from '../../../src/sync/store/keys.js';
import { horizonWindows } from '../../../src/sync/verification/windows.js';
import { adminInject, deletePrefix, testConfig } from './helpers.js';

// Subscribed calendars end to end: the catalogue by category (admin key), subscribe/unsubscribe a
// user through the admin API (their token), the calendar's events listed into the user's snapshot
// and shown in their published feed, listed again only once publish.subscribedRefreshHours passed.

const baseball = 'subscribe_65f0000000000000000000b1';

describe('subscribed calendars (admin API, published feed)', () => {
  let emulator: RunningEmulator;
  let daemon: RunningDaemon;
  let config: ReturnType<typeof testConfig>;
  let userId: string;

  beforeAll(async () => {
    emulator = await startEmulator({ host: '127.0.0.1', port: 0 });
    config = testConfig({
      kakao: {
        apiBaseUrl: emulator.url,
        authBaseUrl: emulator.url,
        restApiKey: 'emulator-rest-api-key',
        adminKey: 'emulator-admin-key',
        retry: { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 50 },
      },
      quota: { dailyBudget: 30_000, perSecond: 1000, writeReserve: 0.2 },
    });
    daemon = await runDaemon(config, { api: true, worker: true });
    const k = emulator.admin.createUser();
    userId = k.userId;
    await addUser(daemon.ctx, {
      id: userId,
      tokens: { accessToken: k.accessToken, refreshToken: k.refreshToken, expiresIn: k.expiresIn },
    });
  });
  afterAll(async () => {
    await daemon?.stop();
    await emulator?.close();
    await deletePrefix(config.redis.keyPrefix);
  });

  const api = (method: 'GET' | 'POST' | 'DELETE', url: string, body?: object) =>
    adminInject(daemon.http as FastifyInstance, method, url, body);
  const windows = () =>
    horizonWindows(new Date(), config.sync.horizonPastDays, config.sync.horizonFutureDays);
  const listsOf = (calendarId: string) =>
    emulator.admin
      .requests()
      .filter((r) => r.endpoint === 'events.list' && r.query['calendar_id'] === calendarId);

  it('lists the catalogue by category; a subcategory without its category is refused', async () => {
    const all = (await api('GET', '/api/subscribable')).json() as {
      calendars: { id: string; category: string }[];
    };
    expect(all.calendars.map((c) => c.id)).toContain(baseball);
    const sports = (
      await api('GET', `/api/subscribable?category=${encodeURIComponent('스포츠')}`)
    ).json() as {
      calendars: { id: string; subcategory?: string }[];
    };
    expect(sports.calendars).toEqual([expect.objectContaining({ id: baseball, subcategory: '야구' })]);
    const orphan = await api('GET', `/api/subscribable?subcategory=${encodeURIComponent('야구')}`);
    expect(orphan.statusCode).toBe(400);
  });

  it('subscribes the user and shows the calendar read-only in their published feed', async () => {
    emulator.admin.clearRequests();
    const r = await api('POST', `/api/users/${userId}/subscriptions`, { calendarId: baseball });
    expect(r.statusCode).toBe(201);
    expect(emulator.state.users.get(userId)?.subscriptions.has(baseball)).toBe(true);
    expect(emulator.admin.requests().filter((q) => q.endpoint === 'subscribe')).toHaveLength(1);
    expect(listsOf(baseball)).toHaveLength(windows().length);

    const feed = (await api('POST', `/api/users/${userId}/feeds`, { kind: 'all' })).json() as { url: string };
    const body = (await (daemon.http as FastifyInstance).inject(new URL(feed.url).pathname)).body;
    expect(body).toContain('SUMMARY:Weekend game');
    const status = (await api('GET', `/api/users/${userId}/status`)).json() as {
      subscriptions: { calendarId: string; refreshedAt: string }[];
    };
    expect(status.subscriptions).toEqual([expect.objectContaining({ calendarId: baseball })]);
  });

  it('lists the subscribed calendar again only once publish.subscribedRefreshHours passed', async () => {
    emulator.admin.clearRequests();
    await api('POST', `/api/users/${userId}/sync?wait=true`);
    expect(listsOf(baseball)).toEqual([]);
    const client = new KakaoClient(config.kakao);
    const later = new Date(Date.now() + (config.publish.subscribedRefreshHours + 1) * 3_600_000);
    await refreshStaleSubscriptions(daemon.ctx, client, userId, later);
    expect(listsOf(baseball).length).toBeGreaterThan(0);
  });

  it('unsubscribes the user and drops the calendar from the feed', async () => {
    const before = await daemon.ctx.redis.hgetall(syncKeys(config.redis.keyPrefix).snapshot(userId));
    expect(Object.values(before).some((j) => j.includes(baseball))).toBe(true);
    const r = await api('DELETE', `/api/users/${userId}/subscriptions/${baseball}`);
    expect(r.statusCode).toBe(204);
    expect(emulator.state.users.get(userId)?.subscriptions.has(baseball)).toBe(false);
    const snapshot = await daemon.ctx.redis.hgetall(syncKeys(config.redis.keyPrefix).snapshot(userId));
    expect(Object.values(snapshot).some((j) => j.includes(baseball))).toBe(false);
    // A new feed is built afresh (the first one may still be served from its one-second cache).
    const fresh = (await api('POST', `/api/users/${userId}/feeds`, { kind: 'all' })).json() as {
      url: string;
    };
    const body = (await (daemon.http as FastifyInstance).inject(new URL(fresh.url).pathname)).body;
    expect(body).toContain('BEGIN:VCALENDAR');
    expect(body).not.toContain('Weekend game');
  });

  it('refuses a channel or an id that is not a subscribable calendar, in one line', async () => {
    const notSub = await api('POST', `/api/users/${userId}/subscriptions`, { calendarId: 'user_123' });
    expect(notSub.statusCode).toBe(400);
    expect((notSub.json() as { error: string }).error).toBe(
      'user_123 is not a subscribable calendar id (subscribe_…)',
    );
    const channel = await api('POST', '/api/users/channel_X1/subscriptions', { calendarId: baseball });
    expect(channel.statusCode).toBe(400);
  });
});
