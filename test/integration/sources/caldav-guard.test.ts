import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { listCollections } from '../../../src/sources/caldav/discovery.js';
import { CaldavBlockedAddressError, CaldavCrossOriginError } from '../../../src/sources/caldav/errors.js';
import { caldavStorageFor } from '../../../src/sources/caldav/from-link.js';
import { CaldavStorage } from '../../../src/sources/caldav/storage.js';
import { DavTransport } from '../../../src/sources/caldav/transport.js';
import { type CaldavTestServer, makeCalendar, startRadicale } from '../helpers/caldav-servers.js';
import { recordingFetch } from './caldav-fixtures.js';

// CalDAV goes through the same SSRF guard as ICS feeds: loopback and private servers are refused
// unless listed in sources.allowHosts, redirects are checked hop by hop, and credentials stay with
// the configured origin.

describe('a CalDAV server on 127.0.0.1 without sources.allowHosts (Radicale with htpasswd)', () => {
  const password = `pw-${randomUUID()}`;
  const auth = { kind: 'basic' as const, username: 'minji', password };
  let server: CaldavTestServer;
  let collectionUrl: string;

  beforeAll(async () => {
    server = await startRadicale({ user: 'minji', password });
    const basic = `Basic ${Buffer.from(`minji:${password}`).toString('base64')}`;
    collectionUrl = await makeCalendar(server, { displayName: 'Guarded', auth: basic });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('is refused before any request carries the credentials, by storage and discovery', async () => {
    const recorder = recordingFetch();
    const common = { auth, timeoutMs: 10_000, allowHosts: [], fetch: recorder.fetch };
    const storage = new CaldavStorage({ url: collectionUrl, kind: 'event', ...common });
    const error = await storage.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaldavBlockedAddressError);
    expect((error as Error).message).toMatch(
      /^refusing to connect to 127\.0\.0\.1 .*loopback.*sources\.allowHosts/,
    );
    expect((error as Error).message).not.toMatch(/\n|pw-/);
    await expect(listCollections({ url: server.baseUrl, ...common })).rejects.toBeInstanceOf(
      CaldavBlockedAddressError,
    );
    expect(recorder.exchanges).toEqual([]);
  });

  it('is refused by the daemon wiring under the default configuration, and read once allowed', async () => {
    const source = {
      type: 'caldav' as const,
      url: collectionUrl,
      component: 'event' as const,
      username: 'minji',
      password,
    };
    const recorder = recordingFetch();
    const defaults = loadConfig({ env: {} }).sources;
    const refused = caldavStorageFor(source, defaults, { readOnly: true, fetch: recorder.fetch });
    await expect(refused.list()).rejects.toBeInstanceOf(CaldavBlockedAddressError);
    expect(recorder.exchanges).toEqual([]);
    const allowed = loadConfig({ env: { TALKCAL_SOURCES__ALLOW_HOSTS: '["127.0.0.1"]' } }).sources;
    const storage = caldavStorageFor(source, allowed, { readOnly: true, fetch: recorder.fetch });
    expect((await storage.list()).items).toEqual([]);
    expect(recorder.exchanges.length).toBeGreaterThan(0);
  });
});

interface Recorder {
  origin: string;
  requests: IncomingMessage[];
  close: () => Promise<void>;
}

async function listen(
  host: string,
  handle: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<Recorder> {
  const requests: IncomingMessage[] = [];
  const http = createServer((req, res) => {
    requests.push(req);
    handle(req, res);
  });
  await new Promise<void>((resolve) => http.listen(0, host, resolve));
  return {
    origin: `http://${host}:${(http.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

describe('CalDAV redirects', () => {
  // 127.0.0.2 is loopback too but not allowed; "elsewhere" is an allowed address on another origin.
  let inside: Recorder;
  let elsewhere: Recorder;
  let front: Recorder;
  let wellKnownTarget = () => elsewhere;
  const basic = { kind: 'basic' as const, username: 'u', password: 'secret-pw' };

  beforeAll(async () => {
    const answer = (res: ServerResponse) => {
      res.writeHead(207, { 'content-type': 'application/xml' });
      res.end('<?xml version="1.0"?><d:multistatus xmlns:d="DAV:"/>');
    };
    inside = await listen('127.0.0.2', (_req, res) => answer(res));
    elsewhere = await listen('127.0.0.1', (_req, res) => answer(res));
    front = await listen('127.0.0.1', (req, res) => {
      if (req.url === '/pinned/') return answer(res);
      const location = req.url?.startsWith('/in/')
        ? `${inside.origin}/cal/`
        : req.url?.startsWith('/away/')
          ? `${elsewhere.origin}/cal/`
          : req.url === '/.well-known/caldav'
            ? `${wellKnownTarget().origin}/`
            : undefined;
      res.writeHead(location ? 301 : 404, location ? { location } : {});
      res.end();
    });
  });
  afterAll(async () => {
    await Promise.all([inside, elsewhere, front].map((r) => r?.close()));
  });

  const options = (auth: typeof basic | { kind: 'none' }) => ({
    auth,
    timeoutMs: 10_000,
    allowHosts: ['127.0.0.1'],
  });

  it('does not follow a redirect to a refused address (storage)', async () => {
    const storage = new CaldavStorage({
      url: `${front.origin}/in/`,
      kind: 'event',
      ...options({ kind: 'none' }),
    });
    const error = await storage.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaldavBlockedAddressError);
    expect((error as CaldavBlockedAddressError).host).toBe('127.0.0.2');
    expect(inside.requests).toEqual([]);
  });

  it('does not send the credentials to another origin a redirect names (storage)', async () => {
    const storage = new CaldavStorage({ url: `${front.origin}/away/`, kind: 'event', ...options(basic) });
    const error = await storage.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaldavCrossOriginError);
    expect((error as Error).message).toContain(`CalDAV redirect to ${elsewhere.origin} refused`);
    expect(elsewhere.requests).toEqual([]);
  });

  it('does not follow /.well-known/caldav to another origin with the credentials (tsdav discovery)', async () => {
    const error = await listCollections({ url: `${front.origin}/`, ...options(basic) }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CaldavCrossOriginError);
    expect(elsewhere.requests).toEqual([]);
    expect(front.requests.some((r) => r.url === '/.well-known/caldav')).toBe(true);
  });

  it('does not follow /.well-known/caldav to a refused address (tsdav discovery)', async () => {
    wellKnownTarget = () => inside;
    const error = await listCollections({ url: `${front.origin}/`, ...options({ kind: 'none' }) }).catch(
      (e: unknown) => e,
    );
    wellKnownTarget = () => elsewhere;
    expect(error).toBeInstanceOf(CaldavBlockedAddressError);
    expect((error as CaldavBlockedAddressError).host).toBe('127.0.0.2');
    expect(inside.requests).toEqual([]);
  });

  it('dials the address the guard checked, not a fresh DNS answer', async () => {
    const port = new URL(front.origin).port;
    const before = front.requests.length;
    const transport = new DavTransport({
      url: `http://dav.test:${port}/`,
      ...options({ kind: 'none' }),
      resolveAll: async () => [{ address: '127.0.0.1', family: 4 }],
    });
    const response = await transport.send('PROPFIND', `http://dav.test:${port}/pinned/`);
    expect(response.status).toBe(207);
    expect(front.requests[before]?.headers.host).toBe(`dav.test:${port}`);
    // A fully qualified name (trailing dot) is pinned under the same key the lookup asks for.
    const fresh = new DavTransport({
      url: `http://DAV.test.:${port}/`,
      ...options({ kind: 'none' }),
      resolveAll: async () => [{ address: '127.0.0.1', family: 4 }],
    });
    const dotted = await fresh.send('PROPFIND', `http://DAV.test.:${port}/pinned/`);
    expect(dotted.status).toBe(207);
  });
});
