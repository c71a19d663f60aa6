import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DateTime } from 'luxon';

// The demo's ICS feed: config/demo/sample.ics moved to the current weeks (so its events fall in the
// sync horizon whatever the date), served over loopback HTTP from a file the user may edit.

const anchorMonday = DateTime.fromISO('2026-01-05', { zone: 'UTC' });
const datedProperty = /^(DTSTART|DTEND|RECURRENCE-ID|EXDATE|RDATE|DUE)([;:])/;

/** Moves every event date by whole weeks (weekdays and times stay) so the anchor week is `today`'s. */
export function shiftToWeekOf(ics: string, today: Date): string {
  const monday = DateTime.fromJSDate(today, { zone: 'UTC' }).startOf('week');
  const days = Math.round(monday.diff(anchorMonday, 'days').days / 7) * 7;
  let inTimezone = false;
  return ics
    .split(/\r?\n/)
    .map((line) => {
      if (line.startsWith('BEGIN:VTIMEZONE')) inTimezone = true;
      if (line.startsWith('END:VTIMEZONE')) inTimezone = false;
      if (inTimezone || !datedProperty.test(line)) return line;
      const colon = line.indexOf(':');
      const values = line
        .slice(colon + 1)
        .split(',')
        .map((v) => {
          const m = /^(\d{8})(T\d{6}Z?)?$/.exec(v);
          if (!m) return v;
          const date = DateTime.fromFormat(m[1] ?? '', 'yyyyMMdd', { zone: 'UTC' }).plus({ days });
          return `${date.toFormat('yyyyMMdd')}${m[2] ?? ''}`;
        });
      return `${line.slice(0, colon + 1)}${values.join(',')}`;
    })
    .join('\r\n');
}

export interface FeedServer {
  url: string;
  close(): Promise<void>;
}

/** Serves `file` (read on every request, so edits show at the next sync) at http://127.0.0.1:<port>/demo.ics. */
export async function serveFeedFile(file: string): Promise<FeedServer> {
  const server: Server = createServer((request, response) => {
    if (request.url !== '/demo.ics') {
      response.writeHead(404).end();
      return;
    }
    readFile(file, 'utf8').then(
      (body) => response.writeHead(200, { 'content-type': 'text/calendar; charset=utf-8' }).end(body),
      () => response.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/demo.ics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
