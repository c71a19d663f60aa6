import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from 'vitest';
import { type FeedServer, serveFeedFile } from '../../../src/daemon/demo-feed.js';
import { type RunningDaemon, runDaemon } from '../../../src/daemon/run.js';
import { addUser } from '../../../src/daemon/user-service.js';
import { listInstances } from '../../../src/emulator/event-list.js';
import { type RunningEmulator, startEmulator } from '../../../src/emulator/server.js';
import type { EventBrief } from '../../../src/kakao/types.js';
import { deletePrefix, testConfig } from '../daemon/helpers.js';

// The daemon as subscribers meet it: emulator, a local ICS source, the real engine filling the
// snapshot, and the daemon's HTTP server publishing feeds. Plus helpers to read feeds with
// Python's icalendar / recurring_ical_events.

export const run = promisify(execFile);
export const adminToken = 'admin-secret-token';

export interface Occurrence {
  start: string;
  end: string;
  summary: string;
  allDay: boolean;
  /** STATUS:CANCELLED (source files only: nothing cancelled is published). */
  cancelled?: boolean;
}

export interface PublishRig {
  emulator: RunningEmulator;
  daemon: RunningDaemon;
  dir: string;
  /** Serves `ics` at a local URL (a source for links). */
  serve(ics: string): Promise<string>;
  /** A registered user without links. */
  bareUser(): Promise<string>;
  /** A user with one ICS link to `ics` (written to a file the feed server serves), synced once. */
  userWithFeed(ics: string): Promise<{ userId: string; write: (ics: string) => Promise<void> }>;
  api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }>;
  feedUrl(token: string): string;
  close(): Promise<void>;
}

/** One rig for the calling file or describe block: started before its tests, closed after them. */
export function usePublishRig(): { readonly rig: PublishRig } {
  let started: PublishRig | undefined;
  beforeAll(async () => {
    started = await startPublishRig();
  }, 60_000);
  afterAll(async () => {
    await started?.close();
  });
  return {
    get rig(): PublishRig {
      if (!started) throw new Error('the publish rig is not started yet (use it inside a test or hook)');
      return started;
    },
  };
}

export async function startPublishRig(
  options: { includeHolidays?: boolean; holidaySchedule?: boolean } = {},
): Promise<PublishRig> {
  const emulator = await startEmulator({ host: '127.0.0.1', port: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'talkcal-publish-'));
  const config = testConfig({
    kakao: {
      apiBaseUrl: emulator.url,
      authBaseUrl: emulator.url,
      restApiKey: 'emulator-rest-api-key',
      adminKey: 'emulator-admin-key',
      retry: { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 50 },
    },
    sources: { allowHosts: ['127.0.0.1'] },
    http: { host: '127.0.0.1', port: 0, adminToken, publicBaseUrl: 'https://cal.example.org' },
    ...(options.includeHolidays ? { publish: { includeHolidays: true } } : {}),
  });
  const daemon = await runDaemon(config, {
    api: true,
    worker: true,
    ...(options.holidaySchedule === false ? { holidaySchedule: false } : {}),
  });
  const servers: FeedServer[] = [];
  const base = daemon.url!;
  return {
    emulator,
    daemon,
    dir,
    async serve(ics) {
      const file = join(dir, `s${servers.length}.ics`);
      writeFileSync(file, ics);
      const server = await serveFeedFile(file);
      servers.push(server);
      return server.url;
    },
    async bareUser() {
      const made = emulator.admin.createUser();
      await addUser(daemon.ctx, {
        id: made.userId,
        timeZone: 'Asia/Seoul',
        tokens: { accessToken: made.accessToken, refreshToken: made.refreshToken, expiresIn: made.expiresIn },
      });
      return made.userId;
    },
    async userWithFeed(ics) {
      const file = join(dir, `${servers.length}.ics`);
      writeFileSync(file, ics);
      const server = await serveFeedFile(file);
      servers.push(server);
      const made = emulator.admin.createUser();
      await addUser(daemon.ctx, {
        id: made.userId,
        timeZone: 'Asia/Seoul',
        tokens: { accessToken: made.accessToken, refreshToken: made.refreshToken, expiresIn: made.expiresIn },
      });
      await daemon.ctx.registry.links.put(made.userId, {
        id: 'src',
        source: { type: 'ics', url: server.url },
        target: { kind: 'primary' },
      });
      const sync = async () => {
        const { outcome } = await daemon.ctx.queue.triggerAndWait(made.userId, { force: true });
        return outcome;
      };
      await sync();
      return {
        userId: made.userId,
        write: async (next) => {
          writeFileSync(file, next);
          await sync();
        },
      };
    },
    async api<T>(method: string, path: string, body?: unknown) {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${adminToken}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, json: (text ? JSON.parse(text) : undefined) as T };
    },
    feedUrl: (token) => `${base}/feeds/${token}.ics`,
    async close() {
      await daemon.stop();
      for (const s of servers) await s.close();
      await emulator.close();
      await deletePrefix(config.redis.keyPrefix);
    },
  };
}

/** Occurrences Python's recurring_ical_events expands from an ICS text, starts in [from, to). */
export async function pythonOccurrences(
  ics: string,
  from: Date,
  to: Date,
  dir: string,
  floatingZone = 'UTC',
): Promise<Occurrence[]> {
  const file = join(dir, `py-${Date.now()}-${Math.random().toString(36).slice(2)}.ics`);
  writeFileSync(file, ics);
  const script = `
import sys, json, datetime, zoneinfo, icalendar, recurring_ical_events
floating = zoneinfo.ZoneInfo(sys.argv[4])
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
f = datetime.datetime.fromisoformat(sys.argv[2]); t = datetime.datetime.fromisoformat(sys.argv[3])
out = []
def iso(v):
    if isinstance(v, datetime.datetime):
        if v.tzinfo is None: v = v.replace(tzinfo=floating)
        return v.astimezone(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'), False
    return v.isoformat(), True
for e in recurring_ical_events.of(cal).between(f - datetime.timedelta(days=2), t + datetime.timedelta(days=2)):
    if e.name != 'VEVENT': continue
    s, all_day = iso(e['DTSTART'].dt)
    en = e.get('DTEND')
    end = iso(en.dt)[0] if en is not None else s
    o = {'start': s, 'end': end, 'summary': str(e.get('SUMMARY', '')), 'allDay': all_day}
    if str(e.get('STATUS', '')).upper() == 'CANCELLED': o['cancelled'] = True
    out.append(o)
print(json.dumps(out))
`;
  const { stdout } = await run(
    '/usr/bin/python3',
    ['-c', script, file, from.toISOString(), to.toISOString(), floatingZone],
    {
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return inRange(JSON.parse(stdout) as Occurrence[], from, to);
}

function startMs(o: Occurrence): number {
  return Date.parse(o.allDay ? `${o.start}T00:00:00Z` : o.start);
}

export function inRange(list: Occurrence[], from: Date, to: Date): Occurrence[] {
  return sortOccurrences(list.filter((o) => startMs(o) >= from.getTime() && startMs(o) < to.getTime()));
}

export function sortOccurrences(list: Occurrence[]): Occurrence[] {
  const key = (o: Occurrence) => `${o.start}|${o.end}|${o.summary}|${o.allDay}`;
  return [...list].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** What the emulator lists for the user in [from, to) (straight from its state: no API call). */
export function emulatorOccurrences(
  emulator: RunningEmulator,
  userId: string,
  from: Date,
  to: Date,
  otherApps: 'busy' | 'hide' = 'busy',
): Occurrence[] {
  const user = emulator.state.users.get(userId);
  if (!user) throw new Error(`no emulator user ${userId}`);
  const out: Occurrence[] = [];
  for (const inst of listInstances(emulator.state, user, undefined, from, to)) {
    const b: EventBrief = inst.brief();
    if (b.title === undefined && otherApps === 'hide') continue;
    const allDay = b.time.all_day === true;
    const day = (s: string) => s.slice(0, 10);
    out.push({
      start: allDay ? day(b.time.start_at) : b.time.start_at,
      end: allDay ? day(b.time.end_at) : b.time.end_at,
      summary: b.title ?? 'Busy',
      allDay,
    });
  }
  return inRange(out, from, to);
}
