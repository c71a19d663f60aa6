import { createServer, request } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  type CaldavTestServer,
  makeCalendar,
  startRadicale,
} from '../../test/integration/helpers/caldav-servers.js';
import { type FeedEvent, renderIcs } from './feed-model.js';

// The one fake of the harness: a CalDAV endpoint that must answer malformed XML. It is a loopback
// proxy in front of a real Radicale — faithful while `hostile` is off (the good version the user
// syncs first), then answering every PROPFIND and REPORT with a broken multistatus.

export interface FakeCaldav {
  /** The calendar collection, through the proxy. */
  collectionUrl: string;
  username: string;
  password: string;
  setHostile(on: boolean): void;
  close(): Promise<void>;
}

/** A multistatus that breaks every rule at once: a DOCTYPE with nested entities, 100,000 unclosed elements. */
export function malformedMultistatus(): string {
  const entities = ['<!ENTITY l0 "lol">'];
  for (let i = 1; i <= 9; i++) entities.push(`<!ENTITY l${i} "${`&l${i - 1};`.repeat(10)}">`);
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<!DOCTYPE d:multistatus [${entities.join('')}]>`,
    '<d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">',
    '<d:response><d:href>/alice/&l9;.ics</d:href>',
    '<d:propstat>'.repeat(100_000),
    '<d:prop><d:getetag>"unterminated</d:getetag><c:calendar-data><![CDATA[BEGIN:VCALENDAR',
    '</d:multistatus',
  ].join('\n');
}

async function seed(
  server: CaldavTestServer,
  collection: string,
  events: readonly FeedEvent[],
): Promise<void> {
  const auth = `Basic ${Buffer.from(`${server.user}:unused`).toString('base64')}`;
  for (const e of events) {
    const res = await fetch(new URL(`${encodeURIComponent(e.uid)}.ics`, collection), {
      method: 'PUT',
      headers: { 'content-type': 'text/calendar; charset=utf-8', authorization: auth },
      body: renderIcs([e]),
    });
    await res.body?.cancel();
    if (res.status >= 300) throw new Error(`Radicale refused the PUT of ${e.uid}: HTTP ${res.status}`);
  }
}

/** Radicale with a collection holding `events`, behind the proxy. */
export async function startFakeCaldav(events: readonly FeedEvent[]): Promise<FakeCaldav> {
  const radicale = await startRadicale();
  const upstream = new URL(radicale.baseUrl);
  const collection = await makeCalendar(radicale, { components: ['VEVENT'] });
  await seed(radicale, collection, events);
  let hostile = false;
  const body = malformedMultistatus();
  const sockets = new Set<Socket>();
  const proxy = createServer((req, res) => {
    if (hostile && (req.method === 'PROPFIND' || req.method === 'REPORT')) {
      req.resume();
      res.writeHead(207, { 'content-type': 'application/xml; charset=utf-8' }).end(body);
      return;
    }
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.once('error', () => res.destroy());
    req.pipe(forward);
  });
  proxy.on('connection', (s) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as AddressInfo;
  const path = new URL(collection).pathname;
  return {
    collectionUrl: `http://127.0.0.1:${port}${path}`,
    username: radicale.user,
    password: 'unused',
    setHostile: (on) => {
      hostile = on;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      await radicale.stop();
    },
  };
}
