import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IcsFeedStorage } from '../../../src/sources/ics-feed/storage.js';
import type { Storage } from '../../../src/sources/storage.js';
import { syncUser } from '../../../src/sync/sync-user.js';
import { icsStamp } from '../../support/ics-text.js';
import { clearLog, requestLog } from '../kakao/harness.js';
import { calendarText, type FeedServer, startFeedServer } from '../sources/feed-server.js';
import { feedLink, useSyncEnv } from './harness.js';

// A feed's versions across syncs: validators are kept even when its body did not change (a server
// that starts sending an ETag, or rotates it, for the same calendar is asked conditionally from the
// next poll on); item versions of an older form cost one re-read, never a write of what is unchanged.

const feedSettings = { timeoutMs: 5_000, maxBytes: 1 << 20, maxRedirects: 5, userAgent: 'talkcal-test' };

const env = useSyncEnv();
let server: FeedServer;
beforeAll(async () => {
  server = await startFeedServer();
});
afterAll(() => server.close());

describe('ICS feed validators across syncs (real Redis, emulator, HTTP feed)', () => {
  it('an ETag that appears or changes for the same body is sent back on the next poll', async () => {
    const body = calendarText('a', 'b');
    let etag: string | undefined;
    server.handle((req, res) => {
      if (etag !== undefined && req.headers['if-none-match'] === etag) {
        res.writeHead(304, { etag });
        res.end();
        return;
      }
      res.writeHead(200, etag ? { etag } : {});
      res.end(body);
    });
    const { userId, port, t } = await env.newUser();
    const storage = new IcsFeedStorage({
      url: server.url(),
      settings: feedSettings,
      allowHosts: ['127.0.0.1'],
    });
    const deps = { ...t.deps(port), storageFor: () => storage };
    const poll = async () => {
      const result = await syncUser({ userId, timeZone: 'Asia/Seoul', links: [feedLink()] }, deps);
      expect(result.links.map((l) => l.error)).toEqual([undefined]);
      const req = server.requests.at(-1);
      return { ifNoneMatch: req?.headers['if-none-match'] };
    };

    expect(await poll()).toEqual({ ifNoneMatch: undefined });
    etag = '"v1"';
    expect(await poll()).toEqual({ ifNoneMatch: undefined }); // 200: the same body, now with an ETag
    expect(await poll()).toEqual({ ifNoneMatch: '"v1"' }); // 304
    etag = '"v2"';
    expect(await poll()).toEqual({ ifNoneMatch: '"v1"' }); // 200: the same body, a new ETag
    expect(await poll()).toEqual({ ifNoneMatch: '"v2"' }); // 304
    expect(server.requests).toHaveLength(5);
  });
});

/** A feed of three events in the coming days; `second` is the title of the second. */
function nearCalendar(second: string): string {
  const at = (days: number, hours: number) =>
    icsStamp(new Date(Date.now() + days * 86_400_000 + hours * 3600_000));
  const event = (uid: string, title: string, days: number) => [
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20240101T000000Z',
    `DTSTART:${at(days, 0)}`,
    `DTEND:${at(days, 1)}`,
    `SUMMARY:${title}`,
    'END:VEVENT',
  ];
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//test//feed//EN',
    ...event('v1@test', 'First', 2),
    ...event('v2@test', second, 3),
    ...event('v3@test', 'Third', 4),
    'END:VCALENDAR',
  ];
  return `${lines.join('\r\n')}\r\n`;
}

/** The feed as an older version stored it: every item version in another form (sha256 hex of it). */
function olderVersions(feed: Storage): Storage {
  const older = <T extends { etag: string }>(i: T): T => ({
    ...i,
    etag: createHash('sha256').update(i.etag).digest('hex'),
  });
  return {
    readOnly: feed.readOnly,
    description: feed.description,
    list: async (cursor) => {
      const listed = await feed.list(cursor);
      return { ...listed, items: listed.items.map(older) };
    },
    getMany: async (hrefs) => (await feed.getMany(hrefs)).map(older),
    upload: (item) => feed.upload(item),
    update: (href, item, etag) => feed.update(href, item, etag),
    delete: (href, etag) => feed.delete(href, etag),
  };
}

describe('ICS item versions of an older form (real Redis, emulator, HTTP feed)', () => {
  it('are read again once the feed changes, and only the changed event is written', async () => {
    let body = nearCalendar('Second');
    server.handle((_req, res) => {
      res.writeHead(200);
      res.end(body);
    });
    const { userId, port, t } = await env.newUser();
    const feed = new IcsFeedStorage({ url: server.url(), settings: feedSettings, allowHosts: ['127.0.0.1'] });
    const sync = (storage: Storage) =>
      syncUser(
        { userId, timeZone: 'Asia/Seoul', links: [feedLink()] },
        { ...t.deps(port), storageFor: () => storage },
      );
    expect((await sync(olderVersions(feed))).links[0]!.failed).toEqual([]);
    expect(
      env.emu.admin
        .events(userId)
        .map((e) => e.title)
        .sort(),
    ).toEqual(['First', 'Second', 'Third']);

    body = nearCalendar('Second, moved to noon');
    await clearLog(env.emu);
    expect((await sync(feed)).links[0]!.failed).toEqual([]);
    const writes = (await requestLog(env.emu)).filter((q) => q.method !== 'GET').map((q) => q.endpoint);
    expect(writes).toEqual(['events.update']);
    expect(
      env.emu.admin
        .events(userId)
        .map((e) => e.title)
        .sort(),
    ).toEqual(['First', 'Second, moved to noon', 'Third']);
  });
});
