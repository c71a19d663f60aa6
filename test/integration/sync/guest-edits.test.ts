import { describe, expect, it } from 'vitest';
import type { ConflictPolicy, LinkInput } from '../../../src/model/link.js';
import { RedisGuestStore } from '../../../src/sync/guest/guest-store.js';
import { defaultLimits } from '../../../src/translate/limits.js';
import { clearLog, future, iso } from '../kakao/harness.js';
import { readAll, type storageOn } from './caldav-harness.js';
import { useSyncEnv } from './harness.js';
import { caldavLink, calendarWrites, hoursFromNow as hours, useCaldavServer } from './two-way-harness.js';

// Guest events on a two-way CalDAV link, against the emulator and a real Radicale: a followed
// public event is mirrored into the collection; reminders, colour and memo edited there go back
// through update/event/guest; other edits are reverted (kakao-wins) or kept in CalDAV only.

const env = useSyncEnv();
const r = env.r;
const calendarCalls = () => calendarWrites(env);

/** A public event of a channel, one hour from 03:00 UTC `days` from now; its id. */
function publicEvent(title: string, days: number, description?: string): Promise<string> {
  const start = future(days);
  return env.client.admin.createPublicEvent({
    event: {
      title,
      time: {
        start_at: iso(start),
        end_at: iso(new Date(start.getTime() + 3600_000)),
        time_zone: 'Asia/Seoul',
      },
      ...(description === undefined ? {} : { description }),
    },
  });
}

/** Replaces one content line (by property name) of an object, or adds it before END:VEVENT. */
function withLine(ics: string, name: string, value: string): string {
  const lines = ics.split(/\r?\n/);
  const at = lines.findIndex((l) => l.startsWith(`${name}:`) || l.startsWith(`${name};`));
  if (at >= 0) lines[at] = `${name}:${value}`;
  else lines.splice(lines.indexOf('END:VEVENT'), 0, `${name}:${value}`);
  return lines.join('\r\n');
}

/** Adds a display alarm `minutes` before the start to the first VEVENT. */
function withAlarm(ics: string, minutes: number): string {
  const alarm = ['BEGIN:VALARM', 'ACTION:DISPLAY', 'DESCRIPTION:x', `TRIGGER:-PT${minutes}M`, 'END:VALARM'];
  const lines = ics.split(/\r?\n/);
  lines.splice(lines.indexOf('END:VEVENT'), 0, ...alarm);
  return lines.join('\r\n');
}

describe('guest edits ⇄ emulator + Radicale', () => {
  const dav = useCaldavServer();

  async function setUp(over: Partial<LinkInput> = {}, maxItemsPerSource = defaultLimits.maxItemsPerSource) {
    const h = await caldavLink(env, dav.server, {
      component: 'event',
      link: over,
      deps: {
        guests: new RedisGuestStore(r.redis, r.keys.guests),
        limits: { ...defaultLimits, maxItemsPerSource },
      },
    });
    const publicId = await publicEvent('Product launch', 3, 'Doors at nine');
    await h.user.followPublicEvent({ eventId: publicId });
    return { ...h, publicId };
  }

  /** A mirrored guest event whose SUMMARY is then edited in CalDAV, and the run after it. */
  async function titleEditedInCaldav(conflict: ConflictPolicy) {
    const h = await setUp({ conflict });
    await h.run();
    const obj = await guestObject(h.storage);
    const uid = `${h.publicId}@guest.talkcal-sync`;
    await h.storage.update(
      obj.href,
      { uid, kind: 'event', ics: withLine(obj.ics, 'SUMMARY', 'My launch') },
      obj.etag,
    );
    await clearLog(env.emu);
    const result = await h.run(hours(2));
    expect(await calendarCalls()).toEqual([]);
    return { ...h, result };
  }

  const guestObject = async (storage: ReturnType<typeof storageOn>) => {
    const all = await readAll(storage);
    expect(all).toHaveLength(1);
    return all[0]!;
  };

  it('a followed public event is mirrored read-only, never created as the user event', async () => {
    const { storage, userId, run, publicId } = await setUp();
    await clearLog(env.emu);
    const result = await run();
    const obj = await guestObject(storage);
    expect(obj.ics).toContain(`UID:${publicId}@guest.talkcal-sync`);
    expect(obj.ics).toContain('X-TALKCAL-GUEST:PUBLIC');
    expect(obj.ics).toContain('SUMMARY:Product launch');
    expect(obj.ics).toContain('DESCRIPTION:Doors at nine');
    expect(env.emu.admin.events(userId)).toEqual([]);
    expect(await calendarCalls()).toEqual([]);
    expect(result.links[0]!.guests).toEqual({ written: 1, pushed: 0, removed: 0 });

    // Settled: the next runs neither write to CalDAV nor to Talk Calendar.
    await run(hours(2));
    await run(hours(4));
    expect((await guestObject(storage)).etag).toBe(obj.etag);
    expect(await calendarCalls()).toEqual([]);
  });

  it('reminders, colour and memo edited in CalDAV go back through update/event/guest', async () => {
    const { storage, user, run, publicId } = await setUp();
    await run();
    const obj = await guestObject(storage);
    let ics = withLine(obj.ics, 'COMMENT', 'bring badge\\, and ID');
    ics = withLine(ics, 'COLOR', 'red');
    ics = withAlarm(ics, 30);
    const uid = `${publicId}@guest.talkcal-sync`;
    await storage.update(obj.href, { uid, kind: 'event', ics }, obj.etag);
    await clearLog(env.emu);
    await run(hours(2));

    const calls = await calendarCalls();
    expect(calls.map((c) => c.path)).toEqual(['/v2/api/calendar/update/event/guest']);
    const detail = await user.getEvent(publicId);
    expect(detail).toMatchObject({
      type: 'PUBLIC',
      memo: 'bring badge, and ID',
      color: 'RED',
      reminders: [30],
    });
    expect(detail.title).toBe('Product launch');

    // The memo removed in CalDAV is removed in Talk Calendar; nothing else is sent.
    const again = await guestObject(storage);
    const lines = again.ics.split(/\r?\n/).filter((l) => !l.startsWith('COMMENT'));
    await storage.update(again.href, { uid, kind: 'event', ics: lines.join('\r\n') }, again.etag);
    await clearLog(env.emu);
    await run(hours(4));
    expect((await calendarCalls()).map((c) => c.path)).toEqual(['/v2/api/calendar/update/event/guest']);
    expect((await user.getEvent(publicId)).memo).toBeUndefined();
    await clearLog(env.emu);
    await run(hours(6));
    await run(hours(8));
    expect(await calendarCalls()).toEqual([]);
  });

  it('a title edited in CalDAV is reverted under kakao-wins, with no Kakao write', async () => {
    const { storage, user, publicId } = await titleEditedInCaldav('kakao-wins');
    expect((await guestObject(storage)).ics).toContain('SUMMARY:Product launch');
    expect((await user.getEvent(publicId)).title).toBe('Product launch');
  });

  it('a title edited in CalDAV is kept there under source-wins, with a warning and no Kakao write', async () => {
    const { storage, result } = await titleEditedInCaldav('source-wins');
    expect((await guestObject(storage)).ics).toContain('SUMMARY:My launch');
    expect(result.links[0]!.warnings.join('\n')).toMatch(/guest event .* edited in CalDAV beyond reminders/);
  });

  it("the channel's edit rewrites the CalDAV object; an unfollow removes it", async () => {
    const { storage, user, run, publicId } = await setUp();
    await run();
    await env.client.admin.updatePublicEvent({ eventId: publicId, event: { title: 'Launch (moved hall)' } });
    await run(hours(2));
    expect((await guestObject(storage)).ics).toContain('SUMMARY:Launch (moved hall)');

    await user.deleteEvent({ eventId: publicId });
    const result = await run(hours(4));
    expect(await readAll(storage)).toEqual([]);
    expect(result.links[0]!.guests).toEqual({ written: 0, pushed: 0, removed: 1 });
  });

  it('a guest object deleted in CalDAV is written again (the event stays followed)', async () => {
    const { storage, run } = await setUp();
    await run();
    const obj = await guestObject(storage);
    await storage.delete(obj.href, obj.etag);
    await clearLog(env.emu);
    await run(hours(2));
    expect((await guestObject(storage)).ics).toContain('SUMMARY:Product launch');
    expect(await calendarCalls()).toEqual([]);
  });

  it('a lost guest record is rebuilt: the object at its href is replaced, not duplicated', async () => {
    const { storage, userId, run } = await setUp();
    await run();
    await r.redis.del(r.keys.guests(userId, 'dav'));
    const result = await run(hours(2));
    expect(result.links[0]!.error).toBeUndefined();
    expect(result.links[0]!.guests).toEqual({ written: 1, pushed: 0, removed: 0 });
    expect((await guestObject(storage)).ics).toContain('SUMMARY:Product launch');
  });

  it('mirrors at most limits.maxItemsPerSource guest events and says how many it left out', async () => {
    const { storage, user, run } = await setUp({}, 1);
    const second = await publicEvent('Second launch', 4);
    await user.followPublicEvent({ eventId: second });
    const result = await run();
    expect(await readAll(storage)).toHaveLength(1);
    expect(result.links[0]!.warnings.join('\n')).toMatch(
      /1 followed or subscribed events not written to CalDAV: more than limits\.maxItemsPerSource \(1\)/,
    );
  });
});
