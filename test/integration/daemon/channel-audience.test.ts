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

// The audience option end to end: a channel link's followers kept as a Talk Channel customer file
// (created on first use, users added and removed as they follow and unfollow), asserted from the
// emulator's channel state and request log.

const channel = '_Aud01';
const fileName = 'gig followers';

function feed(): string {
  const start = utcDayAt(4, 10);
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//talkcal-test//EN',
    'BEGIN:VEVENT',
    'UID:gig@example.com',
    'DTSTAMP:20250101T000000Z',
    `DTSTART:${icsStamp(start)}`,
    `DTEND:${icsStamp(new Date(start.getTime() + 3_600_000))}`,
    'SUMMARY:Gig',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

describe('audience customer file of a channel link', () => {
  let emulator: RunningEmulator;
  let feedServer: FeedServer;
  let daemon: RunningDaemon;
  let config: ReturnType<typeof testConfig>;
  const fans: string[] = [];
  let blocker = '';

  beforeAll(async () => {
    emulator = await startEmulator({ host: '127.0.0.1', port: 0 });
    emulator.admin.addChannel({ channelPublicId: channel });
    const dir = mkdtempSync(join(tmpdir(), 'talkcal-audience-'));
    writeFileSync(join(dir, 'gigs.ics'), feed());
    feedServer = await serveFeedFile(join(dir, 'gigs.ics'));
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
    });
    daemon = await runDaemon(config, { api: true, worker: true });
    for (let i = 0; i < 3; i++) {
      const k = emulator.admin.createUser();
      await addUser(daemon.ctx, {
        id: k.userId,
        tokens: { accessToken: k.accessToken, refreshToken: k.refreshToken, expiresIn: k.expiresIn },
      });
      if (i < 2) fans.push(k.userId);
      else blocker = k.userId;
      emulator.admin.setRelation(channel, { userId: k.userId, relation: i < 2 ? 'ADDED' : 'BLOCKED' });
    }
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
  const fileMembers = () => {
    const file = emulator.admin.channel(channel).files.find((f) => f.file_name === fileName);
    return file ? Object.keys(file.users).sort() : undefined;
  };
  const fileCalls = () => emulator.admin.requests().filter((r) => r.endpoint.startsWith('customerFile.'));

  it('creates the file on first use and adds exactly the users who follow', async () => {
    const put = await api('POST', `/api/channels/${channel}/links`, {
      id: 'gigs',
      source: { type: 'ics', url: feedServer.url },
      target: { followers: [...fans, blocker], audience: { fileName } },
    });
    expect(put.statusCode).toBe(201);
    await sync();
    expect(fileMembers()).toEqual(fans.map((id) => `app:${id}`).sort());
    const view = (await api('GET', `/api/channels/${channel}`)).json() as {
      audiences: Record<string, { added: number; accepted: number }>;
    };
    expect(view.audiences['gigs']).toMatchObject({ added: 2, accepted: 2, removed: 0 });
  });

  it('costs nothing while the followers do not change', async () => {
    emulator.admin.clearRequests();
    await sync();
    expect(emulator.admin.requests()).toEqual([]);
  });

  it('removes a user who unfollowed every event of the link', async () => {
    const unfollow = await api('POST', `/api/channels/${channel}/unfollow`, {
      linkId: 'gigs',
      userIds: [fans[0]],
    });
    expect(unfollow.statusCode).toBe(200);
    emulator.admin.clearRequests();
    // The followers option would follow again for fans[0]: take them out of the link first.
    await api('POST', `/api/channels/${channel}/links`, {
      id: 'gigs',
      source: { type: 'ics', url: feedServer.url },
      target: { followers: [fans[1], blocker], audience: { fileName } },
    });
    await sync();
    expect(fileMembers()).toEqual([`app:${fans[1]}`]);
    expect(fileCalls().map((c) => c.endpoint)).toEqual(['customerFile.deleteUsers']);
  });
});
