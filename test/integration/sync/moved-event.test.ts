import { describe, expect, it } from 'vitest';
import type { KakaoPort } from '../../../src/sync/kakao-port.js';
import { clearLog } from '../kakao/harness.js';
import { feedLink, useSyncEnv, vevent } from './harness.js';
import {
  caldavLink,
  eventCalls as eventCallsOf,
  hoursFromNow as hours,
  useCaldavServer,
} from './two-way-harness.js';

// An event of ours moved far in time in Talk Calendar (out of every window this run lists) is
// missing from the listing of its old window. Taken for deleted, it was created again on one-way
// links (a duplicate) and deleted from the source on two-way ones (a loss). One read by id now
// tells a move from a deletion. The emulator over HTTP, a real Radicale for the two-way link.

const env = useSyncEnv();

/** A year ahead of `iso`, as Kakao takes a time. */
const yearLater = (iso: string) =>
  new Date(Date.parse(iso) + 365 * 86_400_000).toISOString().replace('.000', '');
const eventCalls = () => eventCallsOf(env);

/** Moves the user's only event a year ahead through the Kakao API; its new start. */
async function moveAYearAhead(userId: string, port: KakaoPort): Promise<string> {
  const [made] = env.emu.admin.events(userId);
  const start = yearLater(made!.time.start_at);
  await port.updateEvent(made!.id, { time: { start_at: start, end_at: yearLater(made!.time.end_at) } });
  expect(env.emu.admin.events(userId)[0]!.time.start_at.slice(0, 10)).toBe(start.slice(0, 10));
  return start;
}

describe('an event moved far in Talk Calendar is an edit, not a deletion', () => {
  const dav = useCaldavServer();

  it('one-way: read by id, moved back to the source time; no second copy', async () => {
    const { userId, port, t } = await env.newUser();
    const link = feedLink();
    t.storage.set(vevent('m@test', 'Checkup', 3));
    await t.run(userId, port, [link], {}, () => new Date());
    const [before] = env.emu.admin.events(userId);
    await moveAYearAhead(userId, port);
    await clearLog(env.emu);
    // The next verification lists the near windows only: the event is gone from its old one.
    await t.run(userId, port, [link], {}, () => hours(25));
    const calls = await eventCalls();
    expect(calls.filter((e) => e === 'events.get')).toHaveLength(1);
    expect(calls.filter((e) => e === 'events.create')).toEqual([]);
    const after = env.emu.admin.events(userId);
    expect(after.map((e) => e.id)).toEqual([before!.id]);
    expect(after[0]!.time.start_at).toBe(before!.time.start_at);
  });

  it('two-way on Radicale: the move is written back into the CalDAV object, which is kept', async () => {
    const { objects, userId, port, run, put } = await caldavLink(env, dav.server, {
      component: 'event',
      link: { conflict: 'manual' },
    });
    await put(vevent('w@test', 'Workshop', 3));
    await run(new Date());
    const start = await moveAYearAhead(userId, port);
    await clearLog(env.emu);
    // The two-way read of the near region is due: the event is missing from its old window.
    await run(hours(2));
    expect((await eventCalls()).filter((e) => e === 'events.create' || e === 'events.delete')).toEqual([]);
    expect(env.emu.admin.events(userId)).toHaveLength(1);
    const stored = await objects();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.ics).toContain(`DTSTART:${start.replace(/[-:]/g, '').slice(0, 15)}`);
    // Later runs keep one event and one object; the mapping records where the event is now, so
    // the next listing of its old window does not read it again.
    await clearLog(env.emu);
    await run(hours(4));
    expect((await eventCalls()).filter((e) => e !== 'events.list')).toEqual([]);
    expect(env.emu.admin.events(userId)).toHaveLength(1);
    expect(await objects()).toHaveLength(1);
  });
});
