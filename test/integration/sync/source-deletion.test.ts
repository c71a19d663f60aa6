import { describe, expect, it } from 'vitest';
import { parseLink } from '../../../src/model/link.js';
import { CaldavServerError } from '../../../src/sources/caldav/errors.js';
import { clearLog, requestLog } from '../kakao/harness.js';
import { useSyncEnv, vevent } from './harness.js';

// Source deletions on a two-way link against the emulator: the event's window is read first (one
// list call), and an edit made in Talk Calendar since our last write beats the deletion.

const env = useSyncEnv();

const link = parseLink({
  id: 'dav',
  source: { type: 'caldav', url: 'https://dav.example.org/cal/', component: 'event' },
  target: { kind: 'primary' },
  direction: 'two-way',
});

const calls = async () => {
  const out: Record<string, number> = {};
  for (const q of (await requestLog(env.emu)).filter((x) => x.path.includes('/api/calendar/')))
    out[`${q.method} ${q.path}`] = (out[`${q.method} ${q.path}`] ?? 0) + 1;
  return out;
};

/** The titles of the user's events in Talk Calendar, sorted. */
const titles = (userId: string) =>
  env.emu.admin
    .events(userId)
    .map((e) => e.title)
    .sort();

async function synced() {
  const { userId, port, t } = await env.newUser(false);
  t.storage.set(vevent('keep@test', 'Keep', 3));
  t.storage.set(vevent('x@test', 'Workshop', 4));
  const now = new Date();
  await t.run(userId, port, [link], {}, () => now);
  // Within the two-way read cadence: no window is due on the next run.
  const soon = new Date(now.getTime() + 60_000);
  return { userId, port, t, soon };
}

describe('two-way source deletion ⇄ emulator', () => {
  it('an event edited in Talk Calendar is restored to the source, not deleted', async () => {
    const { userId, port, t, soon } = await synced();
    const made = env.emu.admin.events(userId).find((e) => e.title === 'Workshop')!;
    await port.updateEvent(made.id, { title: 'Workshop (moved to room 2)' });
    t.storage.remove('x@test');
    await clearLog(env.emu);
    const res = await t.run(userId, port, [link], {}, () => soon);
    expect(await calls()).toEqual({ 'GET /v2/api/calendar/events': 1 });
    expect(res.links[0]!.counts.source.updated).toBe(1);
    expect(titles(userId)).toEqual(['Keep', 'Workshop (moved to room 2)']);
    const restored = t.storage.all().find((i) => i.uid === 'x@test');
    expect(restored?.ics).toContain('SUMMARY:Workshop (moved to room 2)');

    // Settled: the next runs make no Kakao write and keep both copies.
    await clearLog(env.emu);
    await t.run(userId, port, [link], {}, () => soon);
    await t.run(userId, port, [link], {}, () => soon);
    const after = await calls();
    expect(Object.keys(after).filter((k) => !k.startsWith('GET'))).toEqual([]);
    expect(env.emu.admin.events(userId)).toHaveLength(2);
    expect(
      t.storage
        .all()
        .map((i) => i.uid)
        .sort(),
    ).toEqual(['keep@test', 'x@test']);
  });

  it('a restore the source refuses for now is tried again; the edited event is never deleted', async () => {
    const { userId, port, t, soon } = await synced();
    const made = env.emu.admin.events(userId).find((e) => e.title === 'Workshop')!;
    await port.updateEvent(made.id, { title: 'Workshop (moved to room 2)' });
    t.storage.remove('x@test');
    const upload = t.storage.upload.bind(t.storage);
    t.storage.upload = async () => {
      throw new CaldavServerError('https://dav.example.org/cal/x.ics', 503, 'PUT');
    };
    const refused = await t.run(userId, port, [link], {}, () => soon);
    expect(refused.links[0]!.failed.map((f) => f.sourceKey)).toEqual(['x@test']);
    // The source answers again: the next runs restore it, and Talk Calendar keeps the edited event.
    t.storage.upload = upload;
    await t.run(userId, port, [link], {}, () => soon);
    await t.run(userId, port, [link], {}, () => soon);
    expect(titles(userId)).toEqual(['Keep', 'Workshop (moved to room 2)']);
    expect(t.storage.all().find((i) => i.uid === 'x@test')?.ics).toContain(
      'SUMMARY:Workshop (moved to room 2)',
    );
  });

  it('a write-back of a Talk Calendar edit the source refuses for now is tried again, not dropped', async () => {
    const { userId, port, t, soon } = await synced();
    const made = env.emu.admin.events(userId).find((e) => e.title === 'Workshop')!;
    await port.updateEvent(made.id, { title: 'Workshop (moved to room 2)' });
    const update = t.storage.update.bind(t.storage);
    t.storage.update = async () => {
      throw new CaldavServerError('https://dav.example.org/cal/x.ics', 503, 'PUT');
    };
    // The next two-way read sees the edit; the source refuses its write-back.
    const read = new Date(soon.getTime() + 61 * 60_000);
    const refused = await t.run(userId, port, [link], {}, () => read);
    expect(refused.links[0]!.failed.map((f) => f.sourceKey)).toEqual(['x@test']);
    t.storage.update = update;
    await t.run(userId, port, [link], {}, () => new Date(read.getTime() + 61 * 60_000));
    expect(t.storage.all().find((i) => i.uid === 'x@test')?.ics).toContain(
      'SUMMARY:Workshop (moved to room 2)',
    );
    expect(titles(userId)).toEqual(['Keep', 'Workshop (moved to room 2)']);
  });

  it('an unchanged event: its window is read once, then it is deleted', async () => {
    const { userId, port, t, soon } = await synced();
    t.storage.remove('x@test');
    await clearLog(env.emu);
    await t.run(userId, port, [link], {}, () => soon);
    expect(await calls()).toEqual({
      'GET /v2/api/calendar/events': 1,
      'DELETE /v2/api/calendar/delete/event': 1,
    });
    expect(env.emu.admin.events(userId).map((e) => e.title)).toEqual(['Keep']);
  });
});
