import { CaldavStorage } from '../../../src/sources/caldav/storage.js';
import { type CaldavAuth, defaultFetch, type FetchLike } from '../../../src/sources/caldav/transport.js';
import type { SourceItem } from '../../../src/sources/storage.js';

// Small iCalendar objects and a fetch wrapper that records every exchange with the server.

/** The test servers listen on loopback, which the SSRF guard refuses unless allowed. */
export const testAllowHosts = ['127.0.0.1'];

export function eventIcs(uid: string, summary: string): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//talkcal-sync//test//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20260101T000000Z',
    'DTSTART:20260310T090000Z',
    'DTEND:20260310T100000Z',
    `SUMMARY:${summary}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

export function todoIcs(uid: string, summary: string): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//talkcal-sync//test//EN',
    'BEGIN:VTODO',
    `UID:${uid}`,
    'DTSTAMP:20260101T000000Z',
    'DUE:20260311T170000Z',
    `SUMMARY:${summary}`,
    'STATUS:NEEDS-ACTION',
    'END:VTODO',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

export function event(uid: string, summary: string): SourceItem {
  return { uid, kind: 'event', ics: eventIcs(uid, summary) };
}

export function todo(uid: string, summary: string): SourceItem {
  return { uid, kind: 'todo', ics: todoIcs(uid, summary) };
}

export interface Exchange {
  method: string;
  url: string;
  requestBody: string;
  /** The Authorization header sent, if any. */
  authorization: string | undefined;
  status: number;
  responseBody: string;
}

/** A fetch that forwards to the real one and keeps a copy of every request and response. */
export function recordingFetch(): { fetch: FetchLike; exchanges: Exchange[] } {
  const exchanges: Exchange[] = [];
  const fetch: FetchLike = async (input, init) => {
    const response = await defaultFetch(input, init);
    exchanges.push({
      method: init?.method ?? 'GET',
      url: String(input),
      requestBody: typeof init?.body === 'string' ? init.body : '',
      authorization: new Headers(init?.headers).get('authorization') ?? undefined,
      status: response.status,
      responseBody: await response.clone().text(),
    });
    return response;
  };
  return { fetch, exchanges };
}

export function storageFor(
  server: { auth: CaldavAuth },
  url: string,
  kind: 'event' | 'todo',
  fetch?: FetchLike,
  maxItems?: number,
): CaldavStorage {
  return new CaldavStorage({
    url,
    kind,
    auth: server.auth,
    timeoutMs: 10_000,
    allowHosts: testAllowHosts,
    ...(fetch ? { fetch } : {}),
    ...(maxItems !== undefined ? { maxItems } : {}),
  });
}
