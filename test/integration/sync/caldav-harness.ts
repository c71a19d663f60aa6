import { CaldavStorage } from '../../../src/sources/caldav/storage.js';
import { type CaldavTestServer, startRadicale, startXandikos } from '../helpers/caldav-servers.js';

// The real CalDAV servers the two-way tests run against, and small helpers to read an object back.

export const caldavServers: Array<{ name: string; start: () => Promise<CaldavTestServer> }> = [
  { name: 'Radicale', start: () => startRadicale() },
  { name: 'Xandikos', start: () => startXandikos() },
];

export function storageOn(server: CaldavTestServer, url: string, kind: 'event' | 'todo'): CaldavStorage {
  return new CaldavStorage({ url, kind, auth: server.auth, timeoutMs: 10_000, allowHosts: ['127.0.0.1'] });
}

/** Every object of the collection, unfolded (continuation lines joined), in listing order. */
export async function readAll(
  storage: CaldavStorage,
): Promise<Array<{ href: string; etag: string; ics: string }>> {
  const list = await storage.list();
  const fetched = await storage.getMany(list.items.map((i) => i.href));
  return fetched.map((f) => ({ href: f.href, etag: f.etag, ics: f.item.ics.replace(/\r\n[ \t]/g, '') }));
}
