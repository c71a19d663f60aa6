import { describe, expect, it } from 'vitest';
import type { ConflictPolicy } from '../../../src/model/link.js';
import { resolveConflict } from '../../../src/sync/events/resolve-conflict.js';
import { withUserLock } from '../../../src/sync/store/lock.js';
import { clearLog, future } from '../kakao/harness.js';
import { useSyncEnv } from './harness.js';
import { caldavLink, eventCalls, eventItem, minutesFromNow, useCaldavServer } from './two-way-harness.js';

// Issue #12, "overwritten edit": on a two-way link an event is edited in Talk Calendar, then in
// CalDAV before the next two-way read (twoWayReadEveryMinutes). Kakao has no ETag, so the sync
// reads the event before writing to it; the edit it finds meets the link's conflict policy instead
// of being overwritten. Against the emulator and a real Radicale; calls counted at the emulator.

const env = useSyncEnv();
const r = env.r;
const calls = () => eventCalls(env);

describe('two-way ⇄ emulator + Radicale: a Talk Calendar edit is never silently overwritten', () => {
  const dav = useCaldavServer();

  /** A synced two-way link with one event "Lunch", then the interleaving of the issue. */
  async function editedOnBothSides(conflict: ConflictPolicy) {
    const h = await caldavLink(env, dav.server, { component: 'event', link: { conflict } });
    const start = future(3);
    const source = await h.put(eventItem('l@test', start, 'Lunch'));
    await h.run(new Date());
    const [made] = h.events();
    expect(made!.title).toBe('Lunch');
    // Edited in Talk Calendar, then in CalDAV, before the next two-way read (60 minutes).
    await h.port.updateEvent(made!.id, { title: 'Lunch (phone)' });
    await source.edit(eventItem('l@test', start, 'Lunch (desk)'));
    await clearLog(env.emu);
    const result = await h.run(minutesFromNow(10));
    return { ...h, result, kakaoTitles: () => h.events().map((e) => e.title) };
  }

  it('manual: the read finds the edit, a conflict is recorded, neither side is overwritten', async () => {
    const { result, summaries, userId, t, run, kakaoTitles } = await editedOnBothSides('manual');
    // One precondition read and no write: no listing was due, so the event was read before the update.
    expect(await calls()).toEqual(['events.get']);
    expect(result.links[0]!.calls).toEqual({ detail: 1 });
    expect(result.links[0]!.conflicts).toMatchObject([{ sourceKey: 'l@test', unitKey: 'main' }]);
    expect(kakaoTitles()).toEqual(['Lunch (phone)']);
    expect(await summaries()).toEqual(['Lunch (desk)']);
    // What `talkcal conflicts list` shows: the item's unresolved conflict.
    const state = await t.store.load(userId, 'dav');
    expect(state.items.get('l@test')?.conflict).toMatchObject({
      detail: 'changed in both the source and Talk Calendar',
    });
    expect(state.items.get('l@test')?.conflict?.resolution).toBeUndefined();

    // It waits for a choice: later runs write nothing either way.
    await clearLog(env.emu);
    await run(minutesFromNow(20));
    expect((await calls()).filter((e) => e !== 'events.get' && e !== 'events.list')).toEqual([]);
    expect(kakaoTitles()).toEqual(['Lunch (phone)']);
    expect(await summaries()).toEqual(['Lunch (desk)']);

    // `talkcal conflicts resolve --keep source`: the next run writes the CalDAV version to Kakao.
    await withUserLock(r.redis, r.keys, userId, 5000, (lock) =>
      resolveConflict(t.store, lock, 'dav', 'all', 'source'),
    );
    await run(minutesFromNow(30));
    expect(kakaoTitles()).toEqual(['Lunch (desk)']);
    expect((await t.store.load(userId, 'dav')).items.get('l@test')?.conflict).toBeUndefined();
  });

  it('kakao-wins: the Talk Calendar version is written back to CalDAV, Kakao keeps it', async () => {
    const { result, summaries, kakaoTitles } = await editedOnBothSides('kakao-wins');
    expect(await calls()).toEqual(['events.get']);
    expect(result.links[0]!.conflicts).toEqual([]);
    expect(kakaoTitles()).toEqual(['Lunch (phone)']);
    expect(await summaries()).toEqual(['Lunch (phone)']);
  });

  it('source-wins: after the read, the CalDAV version is written to Talk Calendar (as documented)', async () => {
    const { summaries, kakaoTitles } = await editedOnBothSides('source-wins');
    expect(await calls()).toEqual(['events.get', 'events.update']);
    expect(kakaoTitles()).toEqual(['Lunch (desk)']);
    expect(await summaries()).toEqual(['Lunch (desk)']);
  });

  it('price: a CalDAV edit costs one read + one update; none when the run lists the window anyway', async () => {
    const h = await caldavLink(env, dav.server, { component: 'event' });
    const start = future(3);
    const source = await h.put(eventItem('p@test', start, 'Plan'));
    await h.run(new Date());
    const edit = (title: string) => source.edit(eventItem('p@test', start, title));

    await edit('Plan v2');
    await clearLog(env.emu);
    await h.run(minutesFromNow(10)); // no two-way read due: the event is read before it is updated
    expect(await calls()).toEqual(['events.get', 'events.update']);

    await edit('Plan v3');
    await clearLog(env.emu);
    await h.run(minutesFromNow(90)); // the near region's two-way read is due: its listing shows the event
    const third = await calls();
    expect(third.filter((e) => e === 'events.get')).toEqual([]);
    expect(third.filter((e) => e === 'events.update')).toHaveLength(1);
    expect(h.events().map((e) => e.title)).toEqual(['Plan v3']);
  });
});
