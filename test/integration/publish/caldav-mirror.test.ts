import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLink } from '../../../src/model/link.js';
import { unlimitedQuota } from '../../../src/model/quota.js';
import { applyMirror, MirrorStore, mirrorSpecs } from '../../../src/publish/caldav-mirror.js';
import { HolidayCache } from '../../../src/publish/holidays.js';
import { publishKeys } from '../../../src/publish/keys.js';
import { refreshSubscribed } from '../../../src/subscriptions/refresh.js';
import { kakaoPortFor } from '../../../src/sync/kakao-port.js';
import { KakaoSnapshot } from '../../../src/sync/store/kakao-snapshot.js';
import { syncUser } from '../../../src/sync/sync-user.js';
import { type CaldavTestServer, makeCalendar, startRadicale } from '../helpers/caldav-servers.js';
import { clearLog, createUser, requestLog } from '../kakao/harness.js';
import { readAll, storageOn } from '../sync/caldav-harness.js';
import { rig, useSyncEnv } from '../sync/harness.js';

// Holidays and a subscribed calendar written on request into a real Radicale collection, from the
// daemon's Redis copies (read from the emulator first, as the weekly holiday schedule and the
// subscription refresh do): no Kakao call of its own; edits and deletions in CalDAV are undone; an
// unsubscribed calendar leaves; the link's own two-way sync never takes the objects for the user's.

const env = useSyncEnv();
const r = env.r;
const horizon = { from: new Date('2024-05-01T00:00:00Z'), to: new Date('2024-08-01T00:00:00Z') };
const windows = [
  { from: '2024-05-01T00:00:00Z', to: '2024-06-01T00:00:00Z' },
  { from: '2024-06-01T00:00:00Z', to: '2024-07-01T00:00:00Z' },
  { from: '2024-07-01T00:00:00Z', to: '2024-08-01T00:00:00Z' },
];

describe('holidays and subscribed calendars mirrored into CalDAV (Radicale)', () => {
  let server: CaldavTestServer;
  beforeAll(async () => {
    server = await startRadicale();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('writes them read-only, undoes CalDAV edits, drops what is no longer wanted', async () => {
    const collection = await makeCalendar(server, { components: ['VEVENT'] });
    const storage = storageOn(server, collection, 'event');
    const u = await createUser(env.emu);
    const user = env.client.forUser(u.userId, u.store);
    const catalogue = await env.client.admin.listSubscribableCalendars();
    const subId = catalogue.categories![0]!.subcategories![0]!.calendars![0]!.id;
    await user.subscribe(subId);
    const snapshot = new KakaoSnapshot(r.redis, r.keys);
    const listWindow = (calendarId: string, from: string, to: string) =>
      user.listEventsWindow({ calendarId, from, to, limit: 1000 });
    await refreshSubscribed(
      { userId: u.userId, listWindow, snapshot, quota: unlimitedQuota, now: () => new Date() },
      subId,
      windows,
      'verify',
    );
    const holidays = new HolidayCache(r.redis, publishKeys(r.prefix));
    await holidays.refresh((range) => env.client.admin.listHolidays(range), horizon);

    const link = parseLink({
      id: 'dav',
      source: { type: 'caldav', url: collection, component: 'event' },
      target: { kind: 'primary' },
      direction: 'two-way',
      mirror: { holidays: true, subscribed: true },
    });
    const inputs = async (subscribed: string[]) => ({
      holidaysRaw: await holidays.raw(),
      snapshot: await snapshot.read(u.userId),
      subscribedCalendars: subscribed,
      zone: 'Asia/Seoul',
      horizon,
    });
    const mirror = async (subscribed = [subId]) =>
      applyMirror(
        {
          userId: u.userId,
          link,
          storage,
          store: new MirrorStore(r.redis, r.keys.mirror),
          now: new Date(),
          maxItems: 5000,
        },
        mirrorSpecs(link.mirror!, await inputs(subscribed)),
      );

    await clearLog(env.emu);
    const first = await mirror();
    expect(await requestLog(env.emu)).toEqual([]);
    const objects = await readAll(storage);
    expect(objects.length).toBe(first.written);
    const subscribedCount = (await snapshot.read(u.userId)).entries.filter(
      (e) => e.brief.calendar_id === subId,
    ).length;
    expect(subscribedCount).toBeGreaterThan(3);
    expect(objects.length).toBeGreaterThan(subscribedCount);
    expect(objects.every((o) => /UID:[^\r\n]*@mirror\.talkcal-sync/.test(o.ics))).toBe(true);

    // Settled: nothing written again.
    expect(await mirror()).toEqual({ written: 0, deleted: 0 });

    // An edit and a deletion in CalDAV are undone.
    const [edited, removed] = objects;
    const uid = (ics: string) => /UID:([^\r\n]+)/.exec(ics)![1]!;
    await storage.update(
      edited!.href,
      {
        uid: uid(edited!.ics),
        kind: 'event',
        ics: edited!.ics.replace(/SUMMARY:[^\r\n]*/, 'SUMMARY:Mine now'),
      },
      edited!.etag,
    );
    await storage.delete(removed!.href, removed!.etag);
    expect(await mirror()).toEqual({ written: 2, deleted: 0 });
    const after = await readAll(storage);
    expect(after.length).toBe(objects.length);
    expect(after.find((o) => o.href === edited!.href)!.ics).not.toContain('SUMMARY:Mine now');

    // The link's own two-way sync leaves them alone: nothing is created in Talk Calendar.
    const t = rig(r.redis, r.keys, false);
    await clearLog(env.emu);
    await syncUser(
      { userId: u.userId, timeZone: 'Asia/Seoul', links: [link] },
      { ...t.deps(kakaoPortFor(user)), storageFor: () => storage },
    );
    expect((await requestLog(env.emu)).filter((q) => q.method !== 'GET')).toEqual([]);
    expect(env.emu.admin.events(u.userId)).toEqual([]);

    // Unsubscribed: its events leave the collection, the holidays stay.
    const out = await mirror([]);
    expect(out.deleted).toBe(subscribedCount);
    expect((await readAll(storage)).length).toBe(objects.length - subscribedCount);
  });
});
