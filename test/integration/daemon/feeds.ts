import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { icsStamp } from '../../support/ics-text.js';

// Generated ICS feeds on a loopback HTTP server: /<name>.ics → the feed registered under <name>.

/** `count` one-hour events on consecutive days from tomorrow 09:00 UTC. */
export function feedWithEvents(count: number, prefix: string, from = new Date()): string {
  const day0 = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() + 1, 9);
  const events = Array.from({ length: count }, (_, i) => {
    const start = new Date(day0 + (i % 28) * 86_400_000 + Math.floor(i / 28) * 3_600_000);
    const end = new Date(start.getTime() + 3_600_000);
    return [
      'BEGIN:VEVENT',
      `UID:${prefix}-${i}@test`,
      `DTSTAMP:${icsStamp(from)}`,
      `DTSTART:${icsStamp(start)}`,
      `DTEND:${icsStamp(end)}`,
      `SUMMARY:${prefix} event ${i}`,
      'END:VEVENT',
    ].join('\r\n');
  });
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//talkcal test//EN',
    ...events,
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

export interface FeedHost {
  url(name: string): string;
  set(name: string, ics: string): void;
  close(): Promise<void>;
}

export async function startFeedHost(): Promise<FeedHost> {
  const feeds = new Map<string, string>();
  const server = createServer((request, response) => {
    const name = /^\/([^/]+)\.ics$/.exec(request.url ?? '')?.[1];
    const body = name ? feeds.get(name) : undefined;
    if (body === undefined) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/calendar; charset=utf-8' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (name) => `http://127.0.0.1:${port}/${name}.ics`,
    set: (name, ics) => {
      feeds.set(name, ics);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
