import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCollections } from '../../../src/sources/caldav/discovery.js';
import { CaldavAuthError } from '../../../src/sources/caldav/errors.js';
import { CaldavStorage } from '../../../src/sources/caldav/storage.js';
import {
  type CaldavTestServer,
  makeCalendar,
  startRadicale,
  startXandikos,
} from '../helpers/caldav-servers.js';
import { event, recordingFetch, testAllowHosts } from './caldav-fixtures.js';

describe('CalDAV Basic authentication (Radicale with htpasswd)', () => {
  const password = `pw-${randomUUID()}`;
  let server: CaldavTestServer;
  let collectionUrl: string;

  beforeAll(async () => {
    server = await startRadicale({ user: 'minji', password });
    const basic = `Basic ${Buffer.from(`minji:${password}`).toString('base64')}`;
    collectionUrl = await makeCalendar(server, { displayName: 'Private', auth: basic });
  });
  afterAll(async () => {
    await server?.stop();
  });

  const connection = (pw: string) => ({
    auth: { kind: 'basic' as const, username: 'minji', password: pw },
    timeoutMs: 10_000,
    allowHosts: testAllowHosts,
  });

  it('discovers and writes with the right password', async () => {
    const collections = await listCollections({ url: server.baseUrl, ...connection(password) });
    expect(collections.map((c) => c.displayName)).toContain('Private');
    const storage = new CaldavStorage({ url: collectionUrl, kind: 'event', ...connection(password) });
    const ref = await storage.upload(event(`auth-${randomUUID()}`, 'Secret'));
    expect((await storage.list()).items).toEqual([ref]);
  });

  it('a wrong password is a CaldavAuthError that never shows the password', async () => {
    const wrong = `wrong-${randomUUID()}`;
    const discovery = listCollections({ url: server.baseUrl, ...connection(wrong) });
    await expect(discovery).rejects.toBeInstanceOf(CaldavAuthError);
    const storage = new CaldavStorage({ url: collectionUrl, kind: 'event', ...connection(wrong) });
    const error = await storage.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaldavAuthError);
    expect((error as CaldavAuthError).scope).toBe('user');
    expect(String((error as Error).message)).not.toContain(wrong);
    await expect(storage.upload(event(`x-${randomUUID()}`, 'No'))).rejects.toBeInstanceOf(CaldavAuthError);
  });

  it('credentials in the URL are not repeated in errors or the description', async () => {
    const url = new URL(collectionUrl);
    url.username = 'minji';
    url.password = 'leaked-secret';
    const storage = new CaldavStorage({ url: url.href, kind: 'event', ...connection('also-wrong') });
    expect(storage.description).not.toContain('leaked-secret');
    const error = await storage.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaldavAuthError);
    expect((error as Error).message).not.toContain('leaked-secret');
  });
});

// Neither test server checks bearer tokens; Xandikos (no authentication) shows what is sent.
describe('CalDAV bearer authentication (what Xandikos receives)', () => {
  let server: CaldavTestServer;

  beforeAll(async () => {
    server = await startXandikos();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('sends the token on every discovery and storage request', async () => {
    const url = await makeCalendar(server, { displayName: 'Bearer' });
    const recorder = recordingFetch();
    const auth = { kind: 'bearer' as const, token: 'opaque-token' };
    const collections = await listCollections({
      url: server.baseUrl,
      auth,
      timeoutMs: 10_000,
      allowHosts: testAllowHosts,
      fetch: recorder.fetch,
    });
    expect(collections.map((c) => c.url)).toContain(url);
    const storage = new CaldavStorage({
      url,
      kind: 'event',
      auth,
      timeoutMs: 10_000,
      allowHosts: testAllowHosts,
      fetch: recorder.fetch,
    });
    await storage.upload(event(`b-${randomUUID()}`, 'Bearer'));
    await storage.list();
    expect(recorder.exchanges.length).toBeGreaterThan(4);
    expect(recorder.exchanges.every((e) => e.authorization === 'Bearer opaque-token')).toBe(true);
  });
});
