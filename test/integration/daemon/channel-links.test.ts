import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelUserId } from '../../../src/channel/channel-user.js';
import { createDaemonContext, type DaemonContext } from '../../../src/daemon/context.js';
import { type FeedServer, serveFeedFile } from '../../../src/daemon/demo-feed.js';
import { type RunningDaemon, runDaemon } from '../../../src/daemon/run.js';
import { type RunningEmulator, startEmulator } from '../../../src/emulator/server.js';
import { buildHttpServer } from '../../../src/http/server.js';
import { icsStamp, utcDayAt } from '../../support/ics-text.js';
import { adminInject, cliEnv, deletePrefix, runTalkcal, testConfig } from './helpers.js';

// Channel links end to end: the admin API binds an ICS feed to a Talk Channel, the worker keeps it
// as public events through the real engine, and the emulator's request log shows what each run
// costs. Bad input is refused with a one-line typed error before anything is stored or sent.

const channel = '_Big500';

/** `count` one-hour events spread over the next 300 days; `title(i)` names each. */
function feed(count: number, title: (i: number) => string): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//talkcal-test//EN'];
  for (let i = 0; i < count; i++) {
    const start = utcDayAt(1 + Math.floor((i * 300) / count), 1 + (i % 10));
    lines.push(
      'BEGIN:VEVENT',
      `UID:show-${i}@example.com`,
      'DTSTAMP:20250101T000000Z',
      `DTSTART:${icsStamp(start)}`,
      `DTEND:${icsStamp(new Date(start.getTime() + 3_600_000))}`,
      `SUMMARY:${title(i)}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR', '');
  return lines.join('\r\n');
}

describe('channel links (admin API, worker, emulator)', () => {
  let emulator: RunningEmulator;
  let feedServer: FeedServer;
  let daemon: RunningDaemon;
  let config: ReturnType<typeof testConfig>;
  const dir = mkdtempSync(join(tmpdir(), 'talkcal-channel-'));
  const feedFile = join(dir, 'shows.ics');
  const userId = channelUserId(channel);

  beforeAll(async () => {
    emulator = await startEmulator({ host: '127.0.0.1', port: 0 });
    emulator.admin.addChannel({ channelPublicId: channel });
    writeFileSync(
      feedFile,
      feed(500, (i) => `Show ${i}`),
    );
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
      // 530 calls at the default 20/s would take most of the test's time; the rate is not under test.
      quota: { dailyBudget: 30_000, perSecond: 1000, writeReserve: 0.2 },
    });
    daemon = await runDaemon(config, { api: true, worker: true });
  });
  afterAll(async () => {
    await daemon?.stop();
    await feedServer?.close();
    await emulator?.close();
    await deletePrefix(config.redis.keyPrefix);
  });

  const api = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: object) =>
    adminInject(daemon.http as FastifyInstance, method, url, body);
  const byEndpoint = () => {
    const out: Record<string, number> = {};
    for (const q of emulator.admin.requests())
      out[`${q.method} ${q.path}`] = (out[`${q.method} ${q.path}`] ?? 0) + 1;
    return out;
  };
  const sync = async () =>
    (await api('POST', `/api/channels/${channel}/sync?wait=true`)).json() as {
      outcome: { result: { links: { counts: { kakao: Record<string, number> }; error?: string }[] } };
    };

  it('a feed of 500 events becomes 500 public events; unchanged it costs 0 calls; an edit costs one update', async () => {
    const added = await api('POST', `/api/channels/${channel}/links`, {
      id: 'shows',
      source: { type: 'ics', url: feedServer.url },
      target: { buttons: { before: { title: '예매하기', webUrl: 'https://tickets.example.com/' } } },
    });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({
      id: 'shows',
      target: { kind: 'channel', channelPublicId: channel },
    });

    const first = await sync();
    expect(first.outcome.result.links[0]?.error).toBeUndefined();
    const publicCount = () =>
      [...emulator.state.publicEvents.values()].filter((p) => p.channelPublicId === channel).length;
    expect(publicCount()).toBe(500);
    expect(await daemon.ctx.queue.isScheduled(userId)).toBe(true);

    emulator.admin.clearRequests();
    const unchanged = await sync();
    expect(unchanged.outcome.result.links[0]?.counts.kakao).toEqual({ created: 0, updated: 0, deleted: 0 });
    expect(emulator.admin.requests()).toEqual([]);

    writeFileSync(
      feedFile,
      feed(500, (i) => (i === 123 ? 'Show 123 (extra date)' : `Show ${i}`)),
    );
    const edited = await sync();
    expect(edited.outcome.result.links[0]?.counts.kakao).toEqual({ created: 0, updated: 1, deleted: 0 });
    expect(byEndpoint()).toEqual({ 'POST /v2/api/calendar/public/update/event': 1 });
    expect(publicCount()).toBe(500);
  });

  it('lists the channel with its link; its status is the pseudo-user’s', async () => {
    const list = (await api('GET', '/api/channels')).json() as {
      channels: { channelPublicId: string; links: { id: string }[] }[];
    };
    expect(list.channels).toEqual([
      expect.objectContaining({
        channelPublicId: channel,
        links: [expect.objectContaining({ id: 'shows' })],
      }),
    ]);
    const status = (await api('GET', `/api/users/${userId}/status`)).json() as { user: { channel: string } };
    expect(status.user.channel).toBe(channel);
  });

  it('refuses an undocumented button title in one line, before storing or calling anything', async () => {
    emulator.admin.clearRequests();
    const r = await api('POST', `/api/channels/${channel}/links`, {
      id: 'bad',
      source: { type: 'ics', url: feedServer.url },
      target: { buttons: { after: { title: 'Buy now', webUrl: 'https://x.example/' } } },
    });
    expect(r.statusCode).toBe(400);
    const body = r.json() as { error: string; kind: string };
    expect(body.kind).toBe('InvalidRegistryInputError');
    expect(body.error).toMatch(/^invalid link: target\.buttons\.after\.title: one of 시청하기, 예매하기/);
    expect(body.error).not.toContain('\n');
    const noUrl = await api('POST', `/api/channels/${channel}/links`, {
      id: 'bad',
      source: { type: 'ics', url: feedServer.url },
      target: { buttons: { before: { title: '예약하기' } } },
    });
    expect(noUrl.statusCode).toBe(400);
    expect((noUrl.json() as { error: string }).error).toContain('a button needs webUrl or mobileWebUrl');
    expect((await daemon.ctx.registry.links.list(userId)).map((l) => l.id)).toEqual(['shows']);
    expect(emulator.admin.requests()).toEqual([]);
  });

  it('keeps channel links and user links apart, and reserves channel_ ids', async () => {
    const asUser = await api('POST', '/api/users', { id: 'someone' });
    expect(asUser.statusCode).toBe(201);
    const misplaced = await api('POST', '/api/users/someone/links', {
      id: 'x',
      source: { type: 'ics', url: feedServer.url },
      target: { kind: 'channel', channelPublicId: channel },
    });
    expect(misplaced.statusCode).toBe(400);
    expect((misplaced.json() as { kind: string }).kind).toBe('ChannelLinkPlacementError');
    const reserved = await api('POST', '/api/users', { id: 'channel_Big500' });
    expect(reserved.statusCode).toBe(400);
    expect((reserved.json() as { error: string }).error).toMatch(/reserved for channel links/);
    const badChannel = await api('POST', '/api/channels/ZeUTxl/links', {
      id: 'x',
      source: { type: 'ics', url: feedServer.url },
    });
    expect(badChannel.statusCode).toBe(400);
  });

  it('refuses a channel link when the app has no admin key (409, one line)', async () => {
    const keyless = testConfig({
      kakao: { apiBaseUrl: emulator.url, authBaseUrl: emulator.url, adminKey: '' },
    });
    let ctx: DaemonContext | undefined;
    let app: FastifyInstance | undefined;
    try {
      ctx = createDaemonContext(keyless);
      app = await buildHttpServer(ctx);
      const r = await adminInject(app, 'POST', `/api/channels/${channel}/links`, {
        id: 'x',
        source: { type: 'ics', url: feedServer.url },
      });
      expect(r.statusCode).toBe(409);
      expect((r.json() as { error: string }).error).toBe(
        `channel ${channel}: channel links need the app's admin key; set kakao.adminKey (TALKCAL_KAKAO__ADMIN_KEY) and try again`,
      );
    } finally {
      await app?.close();
      await ctx?.close();
      await deletePrefix(keyless.redis.keyPrefix);
    }
  });

  it('the CLI refuses a malformed button option with one line on stderr', async () => {
    const env = cliEnv(config, { TALKCAL_KAKAO__ADMIN_KEY: 'emulator-admin-key' });
    const failed = await runTalkcal(env, [
      'channels',
      'link',
      channel,
      'cli',
      '--ics',
      feedServer.url,
      '--button-before',
      'https://no-title.example/',
    ]).catch((e: { stderr: string; code: number }) => e);
    expect((failed as { code: number }).code).toBe(1);
    expect((failed as { stderr: string }).stderr.trim()).toBe(
      'talkcal: --button-before takes TITLE=URL[,MOBILE_URL], e.g. 예약하기=https://example.com/book; got https://no-title.example/',
    );
  });
});
