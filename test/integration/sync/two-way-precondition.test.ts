import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConflictPolicy } from '../../../src/model/link.js';
import { parseLink } from '../../../src/model/link.js';
import { resolveConflict } from '../../../src/sync/events/resolve-conflict.js';
import { kakaoPortFor } from '../../../src/sync/kakao-port.js';
import { withUserLock } from '../../../src/sync/store/lock.js';
import { syncUser } from '../../../src/sync/sync-user.js';
import { type CaldavTestServer, makeCalendar } from '../helpers/caldav-servers.js';
import { clearLog, createUser, requestLog } from '../kakao/harness.js';
import { caldavServers, readAll, storageOn } from './caldav-harness.js';
import { rig, settings, useSyncEnv } from './harness.js';

// Issue #12, "overwritten edit": on a two-way link an event is edited in Talk Calendar, then in
// CalDAV before the next two-way read (twoWayReadEveryMinutes). Kakao has no ETag, so the sync
// reads the event before writing to it; the edit it finds meets the link's conflict policy instead
// of being overwritten. Against the emulator and a real Radicale; calls counted at the emulator.

const env = useSyncEnv();
const r = env.r;
const radicale = caldavServers.find((s) => s.name === 'Radicale')!;

const stamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

function eventIcs(uid: string, start: Date, summary: string): string {
  const end = new Date(start.getTime() + 3600_000);
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//talkcal-test//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20250101T000000Z',
    `DTSTART:${stamp(start)}`,
    `DTEND:${stamp(end)}`,
    `SUMMARY:${summary}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

const minutes = (n: number) => new Date(Date.now() + n * 60_000);
/** Calls to Kakao's calendar API by endpoint (the emulator's request log). */
const calls = async () =>
  (await requestLog(env.emu)).map((q) => q.endpoint).filter((e) => e.startsWith('events.'));
const summaries = async (storage: ReturnType<typeof storageOn>) =>
  (await readAll(storage)).map((o) => /SUMMARY:(.*)/.exec(o.ics)?.[1]?.trim());

describe('two-way ⇄ emulator + Radicale: a Talk Calendar edit is never silently overwritten', () => {
  let server: CaldavTestServer;
  beforeAll(async () => {
    server = await radicale.start();
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** A synced two-way link with one event "Lunch", then the interleaving of the issue. */
  async function editedOnBothSides(conflict: ConflictPolicy) {
    const collection = await makeCalendar(server, { components: ['VEVENT'] });
    const storage = storageOn(server, collection, 'event');
    const u = await createUser(env.emu);
    const port = kakaoPortFor(env.client.forUser(u.userId, u.store));
    const t = rig(r.redis, r.keys, false);
    const link = parseLink({
      id: 'dav',
      source: { type: 'caldav', url: collection, component: 'event' },
      target: { kind: 'primary' },
      direction: 'two-way',
      conflict,
    });
    const run = (now: Date) =>
      syncUser(
        { userId: u.userId, timeZone: 'Asia/Seoul', links: [link] },
        { ...t.deps(port, () => now), storageFor: () => storage, settings },
      );
    const start = new Date(Date.now() + 3 * 86_400_000);
    start.setUTCHours(3, 0, 0, 0);
    const ref = await storage.upload({
      uid: 'l@test',
      kind: 'event',
      ics: eventIcs('l@test', start, 'Lunch'),
    });
    await run(new Date());
    const [made] = env.emu.admin.events(u.userId);
    expect(made!.title).toBe('Lunch');
    // Edited in Talk Calendar, then in CalDAV, before the next two-way read (60 minutes).
    await port.updateEvent(made!.id, { title: 'Lunch (phone)' });
    const update = { uid: 'l@test', kind: 'event' as const, ics: eventIcs('l@test', start, 'Lunch (desk)') };
    await storage.update(ref.href, update, ref.etag);
    await clearLog(env.emu);
    const result = await run(minutes(10));
    return {
      result,
      storage,
      userId: u.userId,
      t,
      run,
      kakaoTitles: () => env.emu.admin.events(u.userId).map((e) => e.title),
    };
  }

  it('manual: the read finds the edit, a conflict is recorded, neither side is overwritten', async () => {
    const { result, storage, userId, t, run, kakaoTitles } = await editedOnBothSides('manual');
    // One precondition read and no write: no listing was due, so the event was read before the update.
    expect(await calls()).toEqual(['events.get']);
    expect(result.links[0]!.calls).toEqual({ detail: 1 });
    expect(result.links[0]!.conflicts).toMatchObject([{ sourceKey: 'l@test', unitKey: 'main' }]);
    expect(kakaoTitles()).toEqual(['Lunch (phone)']);
    expect(await summaries(storage)).toEqual(['Lunch (desk)']);
    // What `talkcal conflicts list` shows: the item's unresolved conflict.
    const state = await t.store.load(userId, 'dav');
    expect(state.items.get('l@test')?.conflict).toMatchObject({
      detail: 'changed in both the source and Talk Calendar',
    });
    expect(state.items.get('l@test')?.conflict?.resolution).toBeUndefined();

    // It waits for a choice: later runs write nothing either way.
    await clearLog(env.emu);
    await run(minutes(20));
    expect((await calls()).filter((e) => e !== 'events.get' && e !== 'events.list')).toEqual([]);
    expect(kakaoTitles()).toEqual(['Lunch (phone)']);
    expect(await summaries(storage)).toEqual(['Lunch (desk)']);

    // `talkcal conflicts resolve --keep source`: the next run writes the CalDAV version to Kakao.
    await withUserLock(r.redis, r.keys, userId, 5000, (lock) =>
      resolveConflict(t.store, lock, 'dav', 'all', 'source'),
    );
    await run(minutes(30));
    expect(kakaoTitles()).toEqual(['Lunch (desk)']);
    expect((await t.store.load(userId, 'dav')).items.get('l@test')?.conflict).toBeUndefined();
  });

  it('kakao-wins: the Talk Calendar version is written back to CalDAV, Kakao keeps it', async () => {
    const { result, storage, kakaoTitles } = await editedOnBothSides('kakao-wins');
    expect(await calls()).toEqual(['events.get']);
    expect(result.links[0]!.conflicts).toEqual([]);
    expect(kakaoTitles()).toEqual(['Lunch (phone)']);
    expect(await summaries(storage)).toEqual(['Lunch (phone)']);
  });

  it('source-wins: after the read, the CalDAV version is written to Talk Calendar (as documented)', async () => {
    const { storage, kakaoTitles } = await editedOnBothSides('source-wins');
    expect(await calls()).toEqual(['events.get', 'events.update']);
    expect(kakaoTitles()).toEqual(['Lunch (desk)']);
    expect(await summaries(storage)).toEqual(['Lunch (desk)']);
  });

  it('price: a CalDAV edit costs one read + one update; none when the run lists the window anyway', async () => {
    const collection = await makeCalendar(server, { components: ['VEVENT'] });
    const storage = storageOn(server, collection, 'event');
    const u = await createUser(env.emu);
    const port = kakaoPortFor(env.client.forUser(u.userId, u.store));
    const t = rig(r.redis, r.keys, false);
    const link = parseLink({
      id: 'dav',
      source: { type: 'caldav', url: collection, component: 'event' },
      target: { kind: 'primary' },
      direction: 'two-way',
    });
    const run = (now: Date) =>
      syncUser(
        { userId: u.userId, timeZone: 'Asia/Seoul', links: [link] },
        { ...t.deps(port, () => now), storageFor: () => storage, settings },
      );
    const start = new Date(Date.now() + 3 * 86_400_000);
    start.setUTCHours(3, 0, 0, 0);
    let ref = await storage.upload({ uid: 'p@test', kind: 'event', ics: eventIcs('p@test', start, 'Plan') });
    await run(new Date());
    const edit = async (title: string) => {
      ref = await storage.update(
        ref.href,
        { uid: 'p@test', kind: 'event', ics: eventIcs('p@test', start, title) },
        ref.etag,
      );
    };

    await edit('Plan v2');
    await clearLog(env.emu);
    await run(minutes(10)); // no two-way read due: the event is read before it is updated
    expect(await calls()).toEqual(['events.get', 'events.update']);

    await edit('Plan v3');
    await clearLog(env.emu);
    await run(minutes(90)); // the near region's two-way read is due: its listing shows the event
    const third = await calls();
    expect(third.filter((e) => e === 'events.get')).toEqual([]);
    expect(third.filter((e) => e === 'events.update')).toHaveLength(1);
    expect(env.emu.admin.events(u.userId).map((e) => e.title)).toEqual(['Plan v3']);
  });
});
