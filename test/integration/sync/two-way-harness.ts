import { afterAll, beforeAll } from 'vitest';
import type { KakaoUserClient } from '../../../src/kakao/client.js';
import { type Link, type LinkInput, parseLink } from '../../../src/model/link.js';
import type { CaldavStorage } from '../../../src/sources/caldav/storage.js';
import type { ItemRef, SourceItem } from '../../../src/sources/storage.js';
import { type KakaoPort, kakaoPortFor } from '../../../src/sync/kakao-port.js';
import { type SyncUserDeps, syncUser } from '../../../src/sync/sync-user.js';
import { icsStamp, icsText } from '../../support/ics-text.js';
import { type CaldavTestServer, makeCalendar, startRadicale } from '../helpers/caldav-servers.js';
import { compactDay, createUser, type LoggedRequest, requestLog } from '../kakao/harness.js';
import { readAll, storageOn } from './caldav-harness.js';
import { type Rig, rig, type SyncEnv } from './harness.js';

// Shared set-up of the CalDAV link tests: a real CalDAV server (Radicale unless told), a fresh
// collection a test, a new emulator user, and syncUser wired like the daemon with the collection
// as the link's storage; plus the steps these tests repeat on either side.

/** One CalDAV server for the calling describe block: started before its tests, stopped after. */
export function useCaldavServer(start: () => Promise<CaldavTestServer> = () => startRadicale()): {
  readonly server: CaldavTestServer;
} {
  let started: CaldavTestServer | undefined;
  beforeAll(async () => {
    started = await start();
  });
  afterAll(async () => {
    await started?.stop();
  });
  return {
    get server(): CaldavTestServer {
      if (!started) throw new Error('the CalDAV server is not started yet (use it inside a test or hook)');
      return started;
    },
  };
}

export interface CaldavLinkOptions {
  component: 'event' | 'todo';
  /** Over the link's defaults: id 'dav', the collection as source, direction two-way. */
  link?: Partial<LinkInput>;
  /** Over the deps syncUser gets from the rig (e.g. guests, limits, settings). */
  deps?: Partial<SyncUserDeps>;
}

/** A CalDAV object the test wrote; `edit` replaces it if it is unchanged since (If-Match). */
export interface SourceObject extends ItemRef {
  edit: (item: SourceItem) => Promise<void>;
  remove: () => Promise<void>;
}

export interface CaldavLink {
  storage: CaldavStorage;
  userId: string;
  user: KakaoUserClient;
  port: KakaoPort;
  t: Rig;
  link: Link;
  /** One sync of the user at `now`. */
  run: (now?: Date) => ReturnType<typeof syncUser>;
  /** Writes a new object into the collection. */
  put: (item: SourceItem) => Promise<SourceObject>;
  /** Every object of the collection, unfolded, in listing order (caldav-harness readAll). */
  objects: () => ReturnType<typeof readAll>;
  /** The SUMMARY of every object of the collection, in listing order. */
  summaries: () => Promise<Array<string | undefined>>;
  /** The user's events in Talk Calendar, as the emulator holds them. */
  events: () => ReturnType<SyncEnv['emu']['admin']['events']>;
  /** The user's tasks in Talk Calendar, as the emulator holds them. */
  tasks: () => ReturnType<SyncEnv['emu']['admin']['tasks']>;
}

/** A fresh collection on `server`, a new emulator user and a link between them. */
export async function caldavLink(
  env: SyncEnv,
  server: CaldavTestServer,
  options: CaldavLinkOptions,
): Promise<CaldavLink> {
  const { component } = options;
  const collection = await makeCalendar(server, { components: [component === 'event' ? 'VEVENT' : 'VTODO'] });
  const storage = storageOn(server, collection, component);
  const u = await createUser(env.emu);
  const user = env.client.forUser(u.userId, u.store);
  const port = kakaoPortFor(user);
  const t = rig(env.r.redis, env.r.keys, false);
  const link = parseLink({
    id: 'dav',
    source: { type: 'caldav', url: collection, component },
    target: { kind: component === 'event' ? 'primary' : 'tasks' },
    direction: 'two-way',
    ...options.link,
  });
  const run = (now: Date = new Date()) =>
    syncUser(
      { userId: u.userId, timeZone: 'Asia/Seoul', links: [link] },
      { ...t.deps(port, () => now), storageFor: () => storage, ...options.deps },
    );
  return {
    storage,
    userId: u.userId,
    user,
    port,
    t,
    link,
    run,
    put: async (item) => sourceObject(storage, await storage.upload(item)),
    objects: () => readAll(storage),
    summaries: async () => (await readAll(storage)).map((o) => summaryOf(o.ics)),
    events: () => env.emu.admin.events(u.userId),
    tasks: () => env.emu.admin.tasks(u.userId),
  };
}

function sourceObject(storage: CaldavStorage, ref: ItemRef): SourceObject {
  const obj: SourceObject = {
    ...ref,
    edit: async (item) => {
      const next = await storage.update(obj.href, item, obj.etag);
      obj.href = next.href;
      obj.etag = next.etag;
    },
    remove: () => storage.delete(obj.href, obj.etag),
  };
  return obj;
}

const summaryOf = (ics: string): string | undefined => /SUMMARY:(.*)/.exec(ics)?.[1]?.trim();

/** A VEVENT object of one hour from `start`. */
export function eventItem(uid: string, start: Date, summary: string, extra: string[] = []): SourceItem {
  const end = new Date(start.getTime() + 3600_000);
  const ics = icsText('VEVENT', uid, [
    `DTSTART:${icsStamp(start)}`,
    `DTEND:${icsStamp(end)}`,
    `SUMMARY:${summary}`,
    ...extra,
  ]);
  return { uid, kind: 'event', ics };
}

/** A VTODO object due on the day `due` (yyyyMMdd; by default five days from now). */
export function todoItem(
  uid: string,
  summary: string,
  extra: string[] = [],
  due = compactDay(5),
): SourceItem {
  const ics = icsText('VTODO', uid, [`DUE;VALUE=DATE:${due}`, `SUMMARY:${summary}`, ...extra]);
  return { uid, kind: 'todo', ics };
}

export const minutesFromNow = (n: number): Date => new Date(Date.now() + n * 60_000);
export const hoursFromNow = (h: number): Date => new Date(Date.now() + h * 3600_000);

/** The endpoints of the calls to Kakao's event API, in order (the emulator's request log). */
export async function eventCalls(env: SyncEnv): Promise<string[]> {
  return (await requestLog(env.emu)).map((q) => q.endpoint).filter((e) => e.startsWith('events.'));
}

/** The calls that write to Kakao's calendar API (every method but GET). */
export async function calendarWrites(env: SyncEnv): Promise<LoggedRequest[]> {
  return (await requestLog(env.emu)).filter((q) => q.path.includes('/api/calendar/') && q.method !== 'GET');
}
