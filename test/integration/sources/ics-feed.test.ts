import diagnosticsChannel from 'node:diagnostics_channel';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Config } from '../../../src/config/schema.js';
import { createLogger } from '../../../src/log.js';
import {
  FeedBlockedAddressError,
  FeedHttpError,
  FeedParseError,
  FeedRedirectError,
  FeedTimeoutError,
  FeedTooLargeError,
  FeedUrlError,
  NotACalendarError,
  ReadOnlyStorageError,
} from '../../../src/sources/ics-feed/errors.js';
import { fetchFeed } from '../../../src/sources/ics-feed/fetch.js';
import { icsStorageFor } from '../../../src/sources/ics-feed/from-link.js';
import { IcsFeedStorage } from '../../../src/sources/ics-feed/storage.js';
import * as split from '../../../src/sources/ics-split.js';
import { calendarText, type FeedServer, startFeedServer } from './feed-server.js';

vi.mock('../../../src/sources/ics-split.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../src/sources/ics-split.js')>();
  return { ...original, splitCalendar: vi.fn(original.splitCalendar) };
});

const settings: Config['sources']['ics'] = {
  timeoutMs: 5_000,
  maxBytes: 1024 * 1024,
  maxRedirects: 5,
  userAgent: 'talkcal-test',
};
const allowHosts = ['127.0.0.1'];

/** Every host undici tried to connect to during the test. */
const connectAttempts: string[] = [];
const onConnect = (message: unknown) => {
  connectAttempts.push((message as { connectParams: { hostname: string } }).connectParams.hostname);
};

let server: FeedServer;
beforeAll(async () => {
  server = await startFeedServer();
  diagnosticsChannel.subscribe('undici:client:beforeConnect', onConnect);
});
afterAll(async () => {
  diagnosticsChannel.unsubscribe('undici:client:beforeConnect', onConnect);
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
  connectAttempts.length = 0;
  vi.mocked(split.splitCalendar).mockClear();
});
afterEach(() => {
  server.handle((_req, res) => {
    res.writeHead(500);
    res.end();
  });
});

const storage = (url = server.url(), extra: Partial<Config['sources']['ics']> = {}) =>
  new IcsFeedStorage({ url, settings: { ...settings, ...extra }, allowHosts });

describe('IcsFeedStorage change detection', () => {
  it('answers a second list with one 304 request and no parsing', async () => {
    server.handle((req, res) => {
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304, { etag: '"v1"' });
        res.end();
        return;
      }
      res.writeHead(200, { etag: '"v1"', 'last-modified': 'Mon, 01 Jan 2024 00:00:00 GMT' });
      res.end(calendarText('a', 'b'));
    });
    const feed = storage();
    const first = await feed.list();
    expect(first).toMatchObject({ unchanged: false, full: true, deleted: [] });
    expect(first.items.map((i) => i.href).sort()).toEqual(['a', 'b']);
    expect(split.splitCalendar).toHaveBeenCalledTimes(1);

    const second = await feed.list(first.cursor);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]?.headers['if-none-match']).toBe('"v1"');
    expect(server.requests[1]?.headers['if-modified-since']).toBe('Mon, 01 Jan 2024 00:00:00 GMT');
    expect(second.unchanged).toBe(true);
    expect(second.items).toEqual(first.items);
    expect(split.splitCalendar).toHaveBeenCalledTimes(1);
  });

  it('detects an unchanged body by its hash when the server ignores validators', async () => {
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/calendar' });
      res.end(calendarText('a'));
    });
    const feed = storage();
    const first = await feed.list();
    const second = await feed.list(first.cursor);
    expect(second.unchanged).toBe(true);
    expect(second.items).toEqual(first.items);
    expect(split.splitCalendar).toHaveBeenCalledTimes(1);
  });

  it('reports a changed feed in full with per-item etags that only change for changed items', async () => {
    let body = calendarText('a', 'b');
    server.handle((_req, res) => {
      res.writeHead(200);
      res.end(body);
    });
    const feed = storage();
    const first = await feed.list();
    body = calendarText('a', 'c').replace('DTSTAMP:20240101T000000Z', 'DTSTAMP:20990101T000000Z');
    const second = await feed.list(first.cursor);
    expect(second.unchanged).toBe(false);
    expect(second.items.map((i) => i.href).sort()).toEqual(['a', 'c']);
    const etag = (r: typeof first, href: string) => r.items.find((i) => i.href === href)?.etag;
    expect(etag(second, 'a')).toBe(etag(first, 'a'));
  });

  it('answers getMany from the last download without another request', async () => {
    server.handle((_req, res) => {
      res.writeHead(200);
      res.end(calendarText('a', 'b'));
    });
    const feed = storage();
    const listed = await feed.list();
    const items = await feed.getMany(['b', 'missing', 'a']);
    expect(server.requests).toHaveLength(1);
    expect(items.map((i) => i.href)).toEqual(['b', 'a']);
    expect(items[0]?.etag).toBe(listed.items.find((i) => i.href === 'b')?.etag);
    expect(items[0]?.item).toMatchObject({ uid: 'b', kind: 'event' });
    expect(items[0]?.item.ics).toContain('SUMMARY:Event b');
  });

  it('downloads again in getMany when the cursor is newer than what this instance holds', async () => {
    let body = calendarText('old');
    server.handle((req, res) => {
      if (req.headers['if-none-match'] === `"${body.length}"`) {
        res.writeHead(304);
        res.end();
        return;
      }
      res.writeHead(200, { etag: `"${body.length}"` });
      res.end(body);
    });
    const stale = storage();
    await stale.list();
    body = calendarText('new-item');
    const fresh = await storage().list();
    // The stale instance is handed the newer cursor (another worker listed it) and gets a 304.
    expect((await stale.list(fresh.cursor)).unchanged).toBe(true);
    expect((await stale.getMany(['new-item'])).map((i) => i.href)).toEqual(['new-item']);
  });

  it('throws the typed error on a failed fetch and keeps answering getMany from the previous snapshot', async () => {
    server.handle((_req, res) => {
      res.writeHead(200);
      res.end(calendarText('a'));
    });
    const feed = storage();
    const first = await feed.list();
    server.handle((_req, res) => {
      res.writeHead(503);
      res.end('down');
    });
    const err = await feed.list(first.cursor).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeedHttpError);
    expect(err).toMatchObject({ status: 503, scope: 'retryable' });
    expect((await feed.getMany(['a'])).map((i) => i.href)).toEqual(['a']);
  });

  it('keeps a hostile UID such as __proto__ through the cursor', async () => {
    server.handle((_req, res) => {
      res.writeHead(200);
      res.end(calendarText('__proto__', 'constructor'));
    });
    const feed = storage();
    const first = await feed.list();
    const second = await feed.list(first.cursor);
    expect(second.unchanged).toBe(true);
    expect(second.items.map((i) => i.href).sort()).toEqual(['__proto__', 'constructor']);
    expect((await feed.getMany(['__proto__'])).map((i) => i.href)).toEqual(['__proto__']);
  });

  it('refuses writes with ReadOnlyStorageError', async () => {
    const feed = storage();
    expect(feed.readOnly).toBe(true);
    const item = { uid: 'x', kind: 'event' as const, ics: calendarText('x') };
    await expect(feed.upload(item)).rejects.toBeInstanceOf(ReadOnlyStorageError);
    await expect(feed.update('x', item, 'e')).rejects.toBeInstanceOf(ReadOnlyStorageError);
    await expect(feed.delete('x', 'e')).rejects.toBeInstanceOf(ReadOnlyStorageError);
  });
});

describe('fetchFeed redirects', () => {
  const chain = (hops: number) =>
    server.handle((req, res) => {
      const n = Number(/\/r(\d+)/.exec(req.url ?? '')?.[1] ?? 0);
      if (n < hops) {
        res.writeHead(n % 2 === 0 ? 302 : 301, { location: `/r${n + 1}` });
        res.end();
      } else {
        res.writeHead(200);
        res.end(calendarText('end'));
      }
    });

  it('follows up to five redirects', async () => {
    chain(5);
    const res = await fetchFeed(server.url('/r0'), { allowHosts: ['127.0.0.1'] });
    expect(res.notModified).toBe(false);
    expect(res.finalUrl).toBe(server.url('/r5'));
    expect(server.requests).toHaveLength(6);
  });

  it('refuses a sixth redirect', async () => {
    chain(6);
    await expect(fetchFeed(server.url('/r0'), { allowHosts: ['127.0.0.1'] })).rejects.toBeInstanceOf(
      FeedRedirectError,
    );
    expect(server.requests).toHaveLength(6);
  });

  it('refuses a redirect to a non-http scheme', async () => {
    server.handle((_req, res) => {
      res.writeHead(302, { location: 'file:///etc/passwd' });
      res.end();
    });
    await expect(fetchFeed(server.url(), { allowHosts: ['127.0.0.1'] })).rejects.toBeInstanceOf(
      FeedRedirectError,
    );
  });
});

describe('fetchFeed limits', () => {
  it('cuts a streamed body at the cap without receiving all of it', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const total = 200 * 1024 * 1024;
    let written = 0;
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/calendar' });
      const pump = () => {
        while (written < total && !res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      res.on('close', () => res.removeAllListeners('drain'));
      pump();
    });
    await expect(
      fetchFeed(server.url(), { allowHosts: ['127.0.0.1'], maxBytes: 1024 * 1024 }),
    ).rejects.toBeInstanceOf(FeedTooLargeError);
    await new Promise((r) => setTimeout(r, 50));
    expect(written).toBeLessThan(total / 4);
  });

  it('refuses early on a Content-Length over the cap', async () => {
    let sent = 0;
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-length': String(50 * 1024 * 1024) });
      res.write(Buffer.alloc(1024, 'x'), () => {
        sent += 1024;
      });
      // The rest never comes: only an early refusal can end this exchange before the timeout.
    });
    const err = await fetchFeed(server.url(), {
      allowHosts: ['127.0.0.1'],
      maxBytes: 1024 * 1024,
      timeoutMs: 4_000,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeedTooLargeError);
    expect(sent).toBeLessThanOrEqual(1024);
  });

  it('caps a compressed body by its decoded size (compression bomb)', async () => {
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024, 'a'));
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end(bomb);
    });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    await expect(
      fetchFeed(server.url(), { allowHosts: ['127.0.0.1'], maxBytes: 1024 * 1024 }),
    ).rejects.toBeInstanceOf(FeedTooLargeError);
  });

  it('times out on a server that sends headers and then stalls', async () => {
    server.handle((_req, res) => {
      res.writeHead(200);
      res.write('BEGIN:VCALENDAR\r\n');
    });
    await expect(
      fetchFeed(server.url(), { allowHosts: ['127.0.0.1'], timeoutMs: 300 }),
    ).rejects.toBeInstanceOf(FeedTimeoutError);
  });

  it('times out on a server that never answers', async () => {
    server.handle(() => {});
    const err = await fetchFeed(server.url(), { allowHosts: ['127.0.0.1'], timeoutMs: 300 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(FeedTimeoutError);
    expect(err).toMatchObject({ scope: 'retryable', timeoutMs: 300 });
  });
});

describe('fetchFeed bodies and encodings', () => {
  const text = calendarText('enc').replace('SUMMARY:Event enc', 'SUMMARY:Café 회의');
  const serve = (body: Buffer, headers: Record<string, string> = {}) =>
    server.handle((_req, res) => {
      res.writeHead(200, headers);
      res.end(body);
    });
  const fetchText = async () => {
    const res = await fetchFeed(server.url(), { allowHosts: ['127.0.0.1'] });
    if (res.notModified) throw new Error('unexpected 304');
    return res;
  };

  it.each([
    ['gzip', gzipSync],
    ['br', brotliCompressSync],
    ['deflate', deflateSync],
    ['deflate', deflateRawSync],
  ] as const)('decodes a %s body', async (encoding, compress) => {
    serve(compress(Buffer.from(text)), { 'content-encoding': encoding });
    expect((await fetchText()).text).toBe(text);
    expect(server.requests[0]?.headers['accept-encoding']).toMatch(/gzip.*br/);
  });

  it('strips a UTF-8 BOM', async () => {
    serve(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    expect((await fetchText()).text).toBe(text);
  });

  it('decodes a declared latin1 charset and a UTF-16 BOM', async () => {
    const latin = 'BEGIN:VCALENDAR\r\nSUMMARY:Caf\xe9\r\nEND:VCALENDAR\r\n';
    serve(Buffer.from(latin, 'latin1'), { 'content-type': 'text/calendar; charset=ISO-8859-1' });
    expect((await fetchText()).text).toContain('SUMMARY:Café');
    serve(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    expect((await fetchText()).text).toBe(text);
  });

  it('times out while resolving a host name that never answers', async () => {
    const resolveAll = () => new Promise<never>(() => {});
    const err = await fetchFeed('http://slow-dns.example/x.ics', { timeoutMs: 200, resolveAll }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(FeedTimeoutError);
  });

  it('refuses an HTML error page served with status 200', async () => {
    serve(Buffer.from('<html><body>Login required</body></html>'), { 'content-type': 'text/html' });
    const err = await fetchFeed(server.url(), { allowHosts: ['127.0.0.1'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotACalendarError);
    expect(String(err)).toContain('text/html');
  });

  it.each([
    [404, 'user'],
    [500, 'retryable'],
  ])('maps HTTP %i to FeedHttpError (%s)', async (status, scope) => {
    server.handle((_req, res) => {
      res.writeHead(status);
      res.end('nope');
    });
    const err = await fetchFeed(server.url(), { allowHosts: ['127.0.0.1'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeedHttpError);
    expect(err).toMatchObject({ status, scope });
  });

  it('refuses a truncated file as a whole in IcsFeedStorage (nothing is taken from it)', async () => {
    const full = calendarText('a', 'b', 'c');
    serve(Buffer.from(full.slice(0, full.indexOf('UID:c') + 5)));
    const err = await storage()
      .list()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeedParseError);
    expect((err as FeedParseError).line).toBe(1);
  });

  it('reads a feed of bare VEVENTs (no VCALENDAR) and says so in the list warnings', async () => {
    const bare = calendarText('a', 'b')
      .replace(/^BEGIN:VCALENDAR\r\n(?:(?!BEGIN:)[^\r\n]*\r\n)*/, '')
      .replace('END:VCALENDAR\r\n', '');
    expect(bare).not.toMatch(/VCALENDAR/);
    serve(Buffer.from(bare));
    const listed = await storage().list();
    expect(listed.items.map((i) => i.href)).toEqual(['a', 'b']);
    expect(listed.warnings).toEqual([
      expect.stringMatching(/^feed: line 1: BEGIN:VEVENT without a VCALENDAR/),
    ]);
  });

  it('keeps good components of a file with a broken one (an event that never ends)', async () => {
    const text = calendarText('a', 'b');
    // The first END:VEVENT is a's: without it, a is still open when b begins.
    serve(Buffer.from(text.replace('END:VEVENT\r\n', '')));
    const listed = await storage().list();
    expect(listed.items.map((i) => i.href)).toEqual(['b']);
  });
});

describe('SSRF guard', () => {
  it.each([
    'http://10.0.0.1/feed.ics',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::1]/x',
    'http://[::ffff:127.0.0.1]/x',
  ])('refuses %s before connecting', async (url) => {
    const err = await fetchFeed(url, { allowHosts: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeedBlockedAddressError);
    expect(connectAttempts).toEqual([]);
  });

  it('refuses the metadata host name', async () => {
    await expect(fetchFeed('http://metadata.google.internal/computeMetadata/v1/', {})).rejects.toBeInstanceOf(
      FeedBlockedAddressError,
    );
    expect(connectAttempts).toEqual([]);
  });

  it.each(['http://169.254.169.254/', 'http://192.168.1.1/'])(
    'refuses a redirect from the allowed server to %s at the hop',
    async (target) => {
      server.handle((_req, res) => {
        res.writeHead(302, { location: target });
        res.end();
      });
      const err = await fetchFeed(server.url(), { allowHosts: ['127.0.0.1'] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(FeedBlockedAddressError);
      expect(server.requests).toHaveLength(1);
      expect(connectAttempts).toEqual(['127.0.0.1']);
    },
  );

  it('refuses localhost when it is not allowlisted', async () => {
    await expect(
      fetchFeed(`http://localhost:${server.port}/feed.ics`, { allowHosts: [] }),
    ).rejects.toBeInstanceOf(FeedBlockedAddressError);
    expect(server.requests).toHaveLength(0);
  });

  it('refuses the unallowed loopback server itself', async () => {
    await expect(fetchFeed(server.url(), { allowHosts: [] })).rejects.toBeInstanceOf(FeedBlockedAddressError);
    expect(server.requests).toHaveLength(0);
  });

  it.each(['file:///etc/passwd', 'ftp://127.0.0.1/feed.ics', 'gopher://x/'])(
    'refuses the URL %s',
    async (url) => {
      await expect(fetchFeed(url, { allowHosts: ['127.0.0.1'] })).rejects.toBeInstanceOf(FeedUrlError);
      expect(connectAttempts).toEqual([]);
    },
  );

  it('connects to the address that was checked, not to a fresh DNS answer', async () => {
    server.handle((_req, res) => {
      res.writeHead(200);
      res.end(calendarText('pinned'));
    });
    // "feed.invalid" has no DNS entry: the request only succeeds through the pinned, checked address.
    const resolveAll = vi.fn(async () => [{ address: '127.0.0.1', family: 4 }]);
    const res = await fetchFeed(`http://feed.invalid:${server.port}/feed.ics`, {
      allowHosts: ['127.0.0.1'],
      resolveAll,
    });
    expect(res.notModified).toBe(false);
    expect(resolveAll).toHaveBeenCalledTimes(1);
    expect(server.requests[0]?.headers.host).toBe(`feed.invalid:${server.port}`);
    // A fully qualified name (trailing dot) is pinned under the key the lookup asks for.
    const dotted = await fetchFeed(`http://Feed.invalid.:${server.port}/feed.ics`, {
      allowHosts: ['127.0.0.1'],
      resolveAll,
    });
    expect(dotted.notModified).toBe(false);
  });
});

describe('credentials', () => {
  it('sends URL credentials as Basic auth and keeps them out of errors', async () => {
    server.handle((_req, res) => {
      res.writeHead(404);
      res.end();
    });
    const url = server.url().replace('http://', 'http://alice:s3cr%3At@');
    const err = await fetchFeed(url, { allowHosts: ['127.0.0.1'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeedHttpError);
    const auth = server.requests[0]?.headers.authorization ?? '';
    expect(Buffer.from(auth.replace(/^Basic /, ''), 'base64').toString()).toBe('alice:s3cr:t');
    expect(String((err as Error).message)).not.toMatch(/alice|s3cr/);
    expect(JSON.stringify(err)).not.toMatch(/alice|s3cr/);
    expect(new IcsFeedStorage({ url, settings, allowHosts }).description).not.toMatch(/alice|s3cr/);
  });

  it('logs feed problems without the credentials', async () => {
    server.handle((_req, res) => {
      res.writeHead(200);
      res.end(calendarText('a', 'b').replace('UID:a', 'UID:a\r\nBEGIN:VALARM'));
    });
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    const url = server.url().replace('http://', 'http://alice:s3cret@');
    await new IcsFeedStorage({
      url,
      settings,
      allowHosts,
      logger,
      headers: { authorization: 'Bearer tok3n' },
    }).list();
    expect(lines.join('')).toContain('broken components');
    expect(lines.join('')).not.toMatch(/alice|s3cret|tok3n/);
  });

  it('sends a configured header to the feed origin but not to a redirect target on another origin', async () => {
    const other = await startFeedServer();
    try {
      other.handle((_req, res) => {
        res.writeHead(200);
        res.end(calendarText('x'));
      });
      server.handle((_req, res) => {
        res.writeHead(302, { location: other.url() });
        res.end();
      });
      await fetchFeed(server.url().replace('http://', 'http://u:p@'), {
        allowHosts: ['127.0.0.1'],
        headers: { 'X-Api-Key': 'k' },
      });
      expect(server.requests[0]?.headers.authorization).toMatch(/^Basic /);
      expect(server.requests[0]?.headers['x-api-key']).toBe('k');
      expect(other.requests[0]?.headers.authorization).toBeUndefined();
      expect(other.requests[0]?.headers['x-api-key']).toBeUndefined();
    } finally {
      await other.close();
    }
  });
});

describe('icsStorageFor', () => {
  it('builds a read-only feed storage that sends the link headers', async () => {
    server.handle((_req, res) => {
      res.writeHead(200);
      res.end(calendarText('linked'));
    });
    const feed = icsStorageFor(
      { type: 'ics', url: server.url(), headers: { Authorization: 'Bearer t' } },
      { ics: settings, allowHosts },
    );
    expect(feed.readOnly).toBe(true);
    expect((await feed.list()).items.map((i) => i.href)).toEqual(['linked']);
    expect(server.requests[0]?.headers.authorization).toBe('Bearer t');
  });
});
