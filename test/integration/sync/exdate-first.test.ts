import { describe, expect, it } from 'vitest';
import { icsText } from '../../support/ics-text.js';
import { clearLog, requestLog } from '../kakao/harness.js';
import { feedLink, useSyncEnv } from './harness.js';

// A series whose first occurrence is EXDATEd. Kakao addresses a recurring event by an instance
// ({id}_{start}); a deleted instance is no longer listed and has no id, so an ALL update or delete
// sent to it answers 404 (the emulator, like Kakao). Before: the series was created at DTSTART and
// its first instance deleted, so the next ALL update 404ed and the engine re-created the series —
// a second copy under a new Kakao id. Now the Kakao series starts at the first occurrence left.

const env = useSyncEnv();

const day = (n: number) =>
  new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');

const weekly = (title: string, rule: string, exdates: number[]) => ({
  uid: 'x@test',
  kind: 'event' as const,
  ics: icsText('VEVENT', 'x@test', [
    `DTSTART:${day(7)}T010000Z`,
    `DTEND:${day(7)}T020000Z`,
    `RRULE:${rule}`,
    ...(exdates.length ? [`EXDATE:${exdates.map((d) => `${day(d)}T010000Z`).join(',')}`] : []),
    `SUMMARY:${title}`,
  ]),
});

interface Stored {
  id: string;
  title: string;
  rrule?: string;
  time: { start_at: string };
  exdates?: string[];
}
const events = async (userId: string) =>
  (await (await fetch(`${env.emu.url}/_emulator/users/${userId}/events`)).json()) as Stored[];
const writes = async () =>
  (await requestLog(env.emu))
    .filter((q) => q.method !== 'GET' && q.path.includes('/api/calendar/'))
    .map((q) => `${q.path.replace('/v2/api/calendar/', '')} ${q.status}`);

describe('a series whose first occurrence is EXDATEd (emulator over HTTP)', () => {
  it('the emulator refuses an ALL update addressed to a deleted first instance (as Kakao: it has no id)', async () => {
    const { userId, port } = await env.newUser();
    const id = await port.createEvent('primary', {
      title: 'Probe',
      time: {
        start_at: `${day(7)}T01:00:00Z`.replace(/^(\d{4})(\d{2})(\d{2})/, '$1-$2-$3'),
        end_at: `${day(7)}T02:00:00Z`.replace(/^(\d{4})(\d{2})(\d{2})/, '$1-$2-$3'),
        time_zone: 'UTC',
        all_day: false,
        lunar: false,
      },
      rrule: 'FREQ=WEEKLY;COUNT=3',
    });
    await port.deleteEvent(`${id}_${day(7)}T010000Z`, 'THIS');
    await expect(
      port.updateEvent(`${id}_${day(7)}T010000Z`, { title: 'Again' }, 'ALL'),
    ).rejects.toMatchObject({
      status: 404,
    });
    await port.updateEvent(`${id}_${day(14)}T010000Z`, { title: 'Again' }, 'ALL');
    expect((await events(userId)).map((e) => e.title)).toEqual(['Again']);
  });

  it('an edit of the series updates the one Kakao series in place: no second copy, same id', async () => {
    const { userId, port, t } = await env.newUser();
    const link = feedLink();
    t.storage.set(weekly('Gym', 'FREQ=WEEKLY;COUNT=5', [7]));
    await t.run(userId, port, [link]);
    const [made] = await events(userId);
    expect(made).toMatchObject({ rrule: 'FREQ=WEEKLY;COUNT=4', exdates: [] });
    expect(made!.time.start_at.slice(0, 10).replaceAll('-', '')).toBe(day(14));

    t.storage.set(weekly('Gym (new room)', 'FREQ=WEEKLY;COUNT=5', [7]));
    await clearLog(env.emu);
    await t.run(userId, port, [link]);
    expect(await writes()).toEqual(['update/event/host 200']);
    const after = await events(userId);
    expect(after.map((e) => ({ id: e.id, title: e.title }))).toEqual([
      { id: made!.id, title: 'Gym (new room)' },
    ]);

    // Then the source deletes the whole series: one ALL delete reaches it.
    t.storage.remove('x@test');
    await clearLog(env.emu);
    await t.run(userId, port, [link]);
    expect(await writes()).toEqual(['delete/event 200']);
    expect(await events(userId)).toEqual([]);
  });

  it('an EXDATE added later on the first occurrence moves the series start, in place', async () => {
    const { userId, port, t } = await env.newUser();
    const link = feedLink();
    t.storage.set(weekly('Swim', 'FREQ=WEEKLY;UNTIL=' + `${day(40)}T000000Z`, []));
    await t.run(userId, port, [link]);
    const [made] = await events(userId);
    t.storage.set(weekly('Swim', 'FREQ=WEEKLY;UNTIL=' + `${day(40)}T000000Z`, [7, 14]));
    await clearLog(env.emu);
    await t.run(userId, port, [link]);
    expect(await writes()).toEqual(['update/event/host 200']);
    const [moved] = await events(userId);
    expect(moved!.id).toBe(made!.id);
    expect(moved!.time.start_at.slice(0, 10).replaceAll('-', '')).toBe(day(21));
    t.storage.set(weekly('Swim (late)', 'FREQ=WEEKLY;UNTIL=' + `${day(40)}T000000Z`, [7, 14]));
    await t.run(userId, port, [link]);
    expect((await events(userId)).map((e) => [e.id, e.title])).toEqual([[made!.id, 'Swim (late)']]);
  });

  it('a later EXDATE on the first occurrence keeps the exceptions already applied where they were', async () => {
    const { userId, port, t } = await env.newUser();
    const link = feedLink();
    const rule = `FREQ=WEEKLY;UNTIL=${day(50)}T000000Z`;
    t.storage.set(weekly('Choir', rule, [21]));
    await t.run(userId, port, [link]);
    t.storage.set(weekly('Choir', rule, [7, 21]));
    await t.run(userId, port, [link]);
    const iso = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const listed = await port.listEventsWindow('primary', iso(1), iso(31));
    const days = listed.map((e) => e.time!.start_at.slice(0, 10).replaceAll('-', ''));
    expect(days).toEqual([day(14), day(28)]);
  });
});
