import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IcsFeedStorage } from '../../../src/sources/ics-feed/storage.js';
import { calendarText, type FeedServer, startFeedServer } from '../sources/feed-server.js';
import { feedLink, useSyncEnv } from './harness.js';

// A feed's validators are kept even when its body did not change: a server that starts sending an
// ETag (or rotates it) for the same calendar is asked conditionally from the next poll on, instead
// of sending the whole body on every poll until the calendar changes.

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
      settings: { timeoutMs: 5_000, maxBytes: 1 << 20, maxRedirects: 5, userAgent: 'talkcal-test' },
      allowHosts: ['127.0.0.1'],
    });
    const deps = { ...t.deps(port), storageFor: () => storage };
    const poll = async () => {
      const { syncUser } = await import('../../../src/sync/sync-user.js');
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
