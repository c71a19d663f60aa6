import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FeedServer, serveFeedFile } from '../../../src/daemon/demo-feed.js';
import { type RunningDaemon, runDaemon } from '../../../src/daemon/run.js';
import { addUser } from '../../../src/daemon/user-service.js';
import { type RunningEmulator, startEmulator } from '../../../src/emulator/server.js';
import { icsStamp, utcDayAt } from '../../support/ics-text.js';
import { adminInject, deletePrefix, testConfig } from './helpers.js';

// Follows end to end: a channel link's followers option and the follow API, each follower's
// Talk Channel relationship checked first (blocked, never added and unconsented users skipped and
// reported), follows made with the follower's token, shown in their status, undone by unfollow or
// by the public event's deletion. Asserted from the emulator's state and request log.

const channel = '_Fans01';

function feed(days: number[]): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//talkcal-test//EN'];
  for (const day of days) {
    const start = utcDayAt(day, 10);
    lines.push(
      'BEGIN:VEVENT',
      `UID:gig-${day}@example.com`,
      'DTSTAMP:20250101T000000Z',
      `DTSTART:${icsStamp(start)}`,
      `DTEND:${icsStamp(new Date(start.getTime() + 7_200_000))}`,
      `SUMMARY:Gig on day ${day}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR', '');
  return lines.join('\r\n');
}

describe('follows of channel public events (relationship checks first)', () => {
  let emulator: RunningEmulator;
  let feedServer: FeedServer;
  let daemon: RunningDaemon;
  let config: ReturnType<typeof testConfig>;
  const dir = mkdtempSync(join(tmpdir(), 'talkcal-follows-'));
  const feedFile = join(dir, 'gigs.ics');
  const users: Record<'fan' | 'blocker' | 'stranger' | 'unconsented', string> = {
    fan: '',
    blocker: '',
    stranger: '',
    unconsented: '',
  };

  beforeAll(async () => {
    emulator = await startEmulator({ host: '127.0.0.1', port: 0 });
    emulator.admin.addChannel({ channelPublicId: channel });
    writeFileSync(feedFile, feed([3, 6, 9]));
    feedServer = await serveFeedFile(feedFile);
    config = testConfig({
      kakao: {
        apiBaseUrl: emulator.url,
        authBaseUrl: emulator.url,
        restApiKey: 'emulator-rest-api-key',
        adminKey: 'emulator-admin-key',
        retry: { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 50 },
      },
      sources: { allowHosts: ['127.0.0.1'] },
      quota: { dailyBudget: 30_000, perSecond: 1000, writeReserve: 0.2 },
      channels: { relationRecheckHours: 24, maxFollowersPerLink: 3 },
    });
    daemon = await runDaemon(config, { api: true, worker: true });
    for (const name of Object.keys(users) as (keyof typeof users)[]) {
      const k = emulator.admin.createUser(
        name === 'unconsented' ? { scopes: ['talk_calendar', 'talk_calendar_task'] } : {},
      );
      users[name] = k.userId;
      await addUser(daemon.ctx, {
        id: k.userId,
        tokens: { accessToken: k.accessToken, refreshToken: k.refreshToken, expiresIn: k.expiresIn },
      });
    }
    emulator.admin.setRelation(channel, { userId: users.fan, relation: 'ADDED' });
    emulator.admin.setRelation(channel, { userId: users.blocker, relation: 'BLOCKED' });
  });
  afterAll(async () => {
    await daemon?.stop();
    await feedServer?.close();
    await emulator?.close();
    await deletePrefix(config.redis.keyPrefix);
  });

  const api = (method: 'GET' | 'POST', url: string, body?: object) =>
    adminInject(daemon.http as FastifyInstance, method, url, body);
  const sync = () => api('POST', `/api/channels/${channel}/sync?wait=true`);
  const followed = (userId: string) => [...(emulator.state.users.get(userId)?.follows.keys() ?? [])].sort();
  const publicIds = () =>
    [...emulator.state.publicEvents.values()]
      .filter((p) => p.channelPublicId === channel)
      .map((p) => p.event.id)
      .sort();
  const channelCalls = () =>
    emulator.admin
      .requests()
      .filter((r) => r.endpoint.startsWith('channel.') || r.endpoint === 'public.follow');

  it('the followers option follows every public event for users who added the channel, and reports the rest', async () => {
    const put = await api('POST', `/api/channels/${channel}/links`, {
      id: 'gigs',
      source: { type: 'ics', url: feedServer.url },
      target: { followers: [users.fan, users.blocker, users.stranger] },
    });
    expect(put.statusCode).toBe(201);
    emulator.admin.clearRequests();
    expect((await sync()).statusCode).toBe(200);

    expect(publicIds()).toHaveLength(3);
    expect(followed(users.fan)).toEqual(publicIds());
    expect(followed(users.blocker)).toEqual([]);
    expect(followed(users.stranger)).toEqual([]);
    // One multi-user relationship check for the three followers, then one follow per event.
    const calls = channelCalls();
    expect(calls.filter((c) => c.endpoint === 'channel.relationMulti')).toHaveLength(1);
    expect(calls.filter((c) => c.endpoint === 'public.follow')).toHaveLength(3);
    expect(calls.filter((c) => c.endpoint === 'public.follow').every((c) => c.userId === users.fan)).toBe(
      true,
    );

    const view = (await api('GET', `/api/channels/${channel}`)).json() as {
      relations: Record<string, { verdict: string }>;
      lastFollowReport: { skipped: { userId: string; reason: string }[] };
    };
    expect(view.relations[users.fan]?.verdict).toBe('added');
    expect(view.lastFollowReport.skipped).toEqual([
      { userId: users.blocker, reason: 'blocked' },
      { userId: users.stranger, reason: 'not-added' },
    ]);
  });

  it('an unchanged feed costs no call at all: skipped users are re-checked only once their check is stale', async () => {
    emulator.admin.clearRequests();
    await sync();
    expect(emulator.admin.requests()).toEqual([]);
  });

  it('the follower’s status shows what they follow', async () => {
    const status = (await api('GET', `/api/users/${users.fan}/status`)).json() as {
      follows: { eventId: string; channelPublicId: string; linkId: string }[];
    };
    expect(status.follows.map((f) => f.eventId).sort()).toEqual(publicIds());
    expect(status.follows[0]).toMatchObject({
      channelPublicId: channel,
      linkId: 'gigs',
      calendarId: 'primary',
    });
  });

  it('a new event is created once and followed once; a deleted one leaves the followers too', async () => {
    writeFileSync(feedFile, feed([3, 6, 12]));
    emulator.admin.clearRequests();
    await sync();
    const endpoints = emulator.admin
      .requests()
      .map((r) => r.endpoint)
      .sort();
    expect(endpoints).toEqual(['public.create', 'public.delete', 'public.follow']);
    expect(publicIds()).toHaveLength(3);
    expect(followed(users.fan)).toEqual(publicIds());
    const status = (await api('GET', `/api/users/${users.fan}/status`)).json() as {
      follows: { eventId: string }[];
    };
    expect(status.follows.map((f) => f.eventId).sort()).toEqual(publicIds());
  });

  it('a follow asked for checks each user now: once the stranger added the channel they are followed for', async () => {
    emulator.admin.setRelation(channel, { userId: users.stranger, relation: 'ADDED' });
    emulator.admin.clearRequests();
    const r = await api('POST', `/api/channels/${channel}/follow`, {
      linkId: 'gigs',
      userIds: [users.stranger],
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ followed: { [users.stranger]: publicIds() }, skipped: [], failed: [] });
    // One user: the single-user endpoint, with the admin key.
    expect(channelCalls().map((c) => c.endpoint)).toEqual([
      'channel.relation',
      'public.follow',
      'public.follow',
      'public.follow',
    ]);
    expect(followed(users.stranger)).toEqual(publicIds());
  });

  it('skips users without the consent or who blocked the channel, naming the reason', async () => {
    const [eventId] = publicIds();
    const r = await api('POST', `/api/channels/${channel}/follow`, {
      eventIds: [eventId],
      userIds: [users.unconsented],
    });
    expect(r.json()).toMatchObject({
      followed: {},
      skipped: [{ userId: users.unconsented, reason: 'no-consent' }],
    });
    const b = await api('POST', `/api/channels/${channel}/follow`, {
      eventIds: [eventId],
      userIds: [users.blocker, users.fan],
    });
    expect(b.json()).toMatchObject({ followed: {}, skipped: [{ userId: users.blocker, reason: 'blocked' }] });
  });

  it('unfollow deletes the event from the user’s calendar and from their status', async () => {
    const [eventId] = publicIds();
    const r = await api('POST', `/api/channels/${channel}/unfollow`, {
      eventIds: [eventId],
      userIds: [users.stranger],
    });
    expect(r.json()).toMatchObject({ unfollowed: { [users.stranger]: [eventId] } });
    expect(followed(users.stranger)).not.toContain(eventId);
    const status = (await api('GET', `/api/users/${users.stranger}/status`)).json() as {
      follows: { eventId: string }[];
    };
    expect(status.follows.map((f) => f.eventId)).not.toContain(eventId);
  });

  it('refuses bad follow input and too many followers in one line, before any call', async () => {
    emulator.admin.clearRequests();
    const both = await api('POST', `/api/channels/${channel}/follow`, {
      eventIds: ['x'],
      linkId: 'gigs',
      userIds: [users.fan],
    });
    expect(both.statusCode).toBe(400);
    expect((both.json() as { error: string }).error).toBe(
      'give eventIds or linkId (every public event of that link), not both',
    );
    const many = await api('POST', `/api/channels/${channel}/links`, {
      id: 'crowd',
      source: { type: 'ics', url: feedServer.url },
      target: { followers: ['1', '2', '3', '4'] },
    });
    expect(many.statusCode).toBe(400);
    expect((many.json() as { error: string }).error).toMatch(
      /at most 3 \(config channels\.maxFollowersPerLink\)/,
    );
    expect(emulator.admin.requests()).toEqual([]);
  });
});
