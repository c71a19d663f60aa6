import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { icsStamp } from '../../support/ics-text.js';
import { emulatorOccurrences, type PublishRig, pythonOccurrences, startPublishRig } from './harness.js';

// Published feeds over the running daemon's HTTP server: tokens (unknown / revoked / rotated →
// the same 404), conditional GETs (304), HEAD, gzip, and Python's icalendar reading the feed with
// the same occurrences the emulator lists.

const day = 86_400_000;
const at = (days: number, hour: number) => {
  const d = new Date(Math.floor(Date.now() / day) * day + days * day);
  d.setUTCHours(hour, 0, 0, 0);
  return d;
};
const dateOf = (days: number) => icsStamp(at(days, 0)).slice(0, 8);

function sourceIcs(standupTitle = 'Standup'): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//talkcal-test//EN',
    'BEGIN:VEVENT',
    'UID:dentist@test',
    'DTSTAMP:20250101T000000Z',
    `DTSTART:${icsStamp(at(3, 2))}`,
    `DTEND:${icsStamp(at(3, 3))}`,
    'SUMMARY:Dentist',
    'BEGIN:VALARM',
    'ACTION:DISPLAY',
    'DESCRIPTION:x',
    'TRIGGER:-PT30M',
    'END:VALARM',
    'END:VEVENT',
    'BEGIN:VEVENT',
    'UID:standup@test',
    'DTSTAMP:20250101T000000Z',
    `DTSTART;TZID=Europe/Berlin:${icsStamp(at(1, 9)).slice(0, 15)}`,
    `DTEND;TZID=Europe/Berlin:${icsStamp(at(1, 9)).slice(0, 9)}093000`,
    'RRULE:FREQ=WEEKLY;COUNT=10',
    `EXDATE;TZID=Europe/Berlin:${icsStamp(at(15, 9)).slice(0, 15)}`,
    `SUMMARY:${standupTitle}`,
    'END:VEVENT',
    'BEGIN:VEVENT',
    'UID:holiday@test',
    'DTSTAMP:20250101T000000Z',
    `DTSTART;VALUE=DATE:${dateOf(5)}`,
    `DTEND;VALUE=DATE:${dateOf(7)}`,
    'SUMMARY:Trip',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

interface Issued {
  feed: { id: string; kind: string };
  token: string;
  url: string;
  webcal: string;
}

describe('published feeds over the daemon HTTP server', () => {
  let rig: PublishRig;
  let userId: string;
  let write: (ics: string) => Promise<void>;
  let all: Issued;

  beforeAll(async () => {
    rig = await startPublishRig();
    ({ userId, write } = await rig.userWithFeed(sourceIcs()));
    rig.emulator.admin.seedEvent(userId, {
      foreign: true,
      time: {
        start_at: at(4, 5).toISOString().replace('.000', ''),
        end_at: at(4, 6).toISOString().replace('.000', ''),
      },
    });
    await rig.daemon.ctx.queue.triggerAndWait(userId, { force: true });
    const made = await rig.api<Issued>('POST', `/api/users/${userId}/feeds`, { kind: 'all' });
    expect(made.status).toBe(201);
    all = made.json;
  }, 60_000);
  afterAll(async () => {
    await rig?.close();
  });

  it('issues a 256-bit base64url token, https and webcal:// links, and lists feeds without tokens', async () => {
    expect(all.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(all.url).toBe(`https://cal.example.org/feeds/${all.token}.ics`);
    expect(all.webcal).toBe(`webcal://cal.example.org/feeds/${all.token}.ics`);
    const listed = await rig.api<{ feeds: Record<string, unknown>[] }>('GET', `/api/users/${userId}/feeds`);
    expect(listed.json.feeds.map((f) => f['id'])).toEqual([all.feed.id]);
    expect(JSON.stringify(listed.json)).not.toContain(all.token);
    expect(JSON.stringify(listed.json)).not.toContain('tokenHash');
  });

  it('serves text/calendar with cache headers, refresh interval and freshness', async () => {
    const res = await fetch(rig.feedUrl(all.token));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('private, max-age=3600');
    expect(res.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]+(-gz)?"$/);
    expect(Date.parse(res.headers.get('last-modified') ?? '')).not.toBeNaN();
    const body = await res.text();
    expect(body).toContain('REFRESH-INTERVAL;VALUE=DURATION:PT60M');
    expect(body).toContain('X-PUBLISHED-TTL:PT60M');
    expect(body.replace(/\r\n /g, '')).toMatch(
      /X-WR-CALDESC:Talk Calendar as last verified against Kakao on \d{4}-\d\d-\d\d UTC/,
    );
    expect(Date.parse(res.headers.get('x-talkcal-verified-at') ?? '')).not.toBeNaN();
    expect(body).toContain('BEGIN:VTIMEZONE');
    expect(body).toMatch(/RRULE:FREQ=WEEKLY/);
    expect(body).toContain('BEGIN:VALARM');
    expect(body).toMatch(/DTSTART;VALUE=DATE:\d{8}/);
    expect(body).toContain('SUMMARY:Busy');
    expect(body).toContain('CLASS:PRIVATE');
    expect(body).toMatch(/LAST-MODIFIED:\d{8}T\d{6}Z/);
    expect(body).toMatch(/SEQUENCE:0/);
  });

  it('Python icalendar parses it and recurring_ical_events expands what the emulator lists', async () => {
    const body = await (await fetch(rig.feedUrl(all.token))).text();
    const from = new Date(Date.now() - 20 * day);
    const to = new Date(Date.now() + 300 * day);
    const published = await pythonOccurrences(body, from, to, rig.dir);
    const kakao = emulatorOccurrences(rig.emulator, userId, from, to);
    expect(kakao.length).toBeGreaterThanOrEqual(12);
    expect(published).toEqual(kakao);
  });

  it('answers 304 to If-None-Match (either representation) and If-Modified-Since', async () => {
    const first = await fetch(rig.feedUrl(all.token), { headers: { 'accept-encoding': 'identity' } });
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;
    const again = await fetch(rig.feedUrl(all.token), { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const gz = await fetch(rig.feedUrl(all.token), {
      headers: { 'if-none-match': `"${etag.slice(1, -1)}-gz"`, 'accept-encoding': 'gzip' },
    });
    expect(gz.status).toBe(304);
    const since = await fetch(rig.feedUrl(all.token), { headers: { 'if-modified-since': lastModified } });
    expect(since.status).toBe(304);
    const stale = await fetch(rig.feedUrl(all.token), { headers: { 'if-none-match': '"other"' } });
    expect(stale.status).toBe(200);
  });

  it('gzips for clients that accept it (raw bytes checked over a plain socket)', async () => {
    const { request } = await import('node:http');
    const raw = await new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
      const req = request(rig.feedUrl(all.token), { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(raw.headers['content-encoding']).toBe('gzip');
    expect(raw.headers['vary']).toBe('Accept-Encoding');
    expect(String(raw.headers['etag'])).toMatch(/-gz"$/);
    const plain = await (
      await fetch(rig.feedUrl(all.token), { headers: { 'accept-encoding': 'identity' } })
    ).text();
    expect(gunzipSync(raw.body).toString('utf8')).toBe(plain);
  });

  it('answers HEAD with the headers and no body', async () => {
    const res = await fetch(rig.feedUrl(all.token), {
      method: 'HEAD',
      headers: { 'accept-encoding': 'identity' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(res.headers.get('etag')).toMatch(/^"/);
    expect(await res.text()).toBe('');
    const missing = await fetch(rig.feedUrl('A'.repeat(43)), { method: 'HEAD' });
    expect(missing.status).toBe(404);
  });

  it('answers the same 404 to unknown, malformed, rotated and revoked tokens', async () => {
    const made = (
      await rig.api<Issued>('POST', `/api/users/${userId}/feeds`, { kind: 'calendar', calendarId: 'primary' })
    ).json;
    expect((await fetch(rig.feedUrl(made.token))).status).toBe(200);
    const rotated = await rig.api<Issued>('POST', `/api/users/${userId}/feeds/${made.feed.id}/rotate`);
    expect(rotated.status).toBe(200);
    expect(rotated.json.token).not.toBe(made.token);
    const answers = [];
    for (const token of [
      made.token,
      'A'.repeat(43),
      'short',
      `${made.token.slice(0, -1)}x`,
      'A'.repeat(300),
      `a/${made.token}`,
    ]) {
      const res = await fetch(rig.feedUrl(token));
      answers.push([res.status, await res.text()]);
    }
    expect((await fetch(rig.feedUrl(rotated.json.token))).status).toBe(200);
    const revoked = await rig.api('DELETE', `/api/users/${userId}/feeds/${made.feed.id}`);
    expect(revoked.status).toBe(204);
    const afterRevoke = await fetch(rig.feedUrl(rotated.json.token));
    answers.push([afterRevoke.status, await afterRevoke.text()]);
    expect(new Set(answers.map((a) => JSON.stringify(a)))).toEqual(
      new Set([JSON.stringify([404, 'not found\n'])]),
    );
    expect((await rig.api('DELETE', `/api/users/${userId}/feeds/${made.feed.id}`)).status).toBe(404);
    expect((await rig.api('POST', `/api/users/${userId}/feeds/${made.feed.id}/rotate`)).status).toBe(404);
  });

  it('refuses feed admin calls without the admin token and bad feed definitions', async () => {
    const res = await fetch(`${rig.daemon.url}/api/users/${userId}/feeds`);
    expect(res.status).toBe(401);
    expect((await rig.api('POST', `/api/users/${userId}/feeds`, { kind: 'calendar' })).status).toBe(400);
    expect((await rig.api('POST', `/api/users/${userId}/feeds`, { kind: 'holidays' })).status).toBe(400);
    expect((await rig.api('POST', '/api/users/nobody/feeds', { kind: 'all' })).status).toBe(404);
  });

  it('raises SEQUENCE and LAST-MODIFIED of a changed event only, keeping UIDs', async () => {
    const before = await (await fetch(rig.feedUrl(all.token))).text();
    await write(sourceIcs('Daily sync'));
    await new Promise((r) => setTimeout(r, 1100));
    const after = await (await fetch(rig.feedUrl(all.token))).text();
    const events = (text: string) =>
      new Map(
        text
          .replace(/\r\n /g, '')
          .split('BEGIN:VEVENT')
          .slice(1)
          .map((e) => [/UID:(.*)/.exec(e)?.[1] ?? '', e] as const)
          .filter(([, e]) => !/RECURRENCE-ID/.test(e)),
      );
    const b = events(before);
    const a = events(after);
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    for (const [uid, e] of a) {
      const old = b.get(uid)!;
      const seq = (x: string) => Number(/SEQUENCE:(\d+)/.exec(x)?.[1]);
      if (e.includes('Daily sync')) expect(seq(e)).toBe(seq(old) + 1);
      else expect(seq(e)).toBe(seq(old));
    }
  });
});
