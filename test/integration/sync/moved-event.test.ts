import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLink } from '../../../src/model/link.js';
import { kakaoPortFor } from '../../../src/sync/kakao-port.js';
import { syncUser } from '../../../src/sync/sync-user.js';
import { type CaldavTestServer, makeCalendar } from '../helpers/caldav-servers.js';
import { clearLog, createUser, requestLog } from '../kakao/harness.js';
import { caldavServers, readAll, storageOn } from './caldav-harness.js';
import { feedLink, rig, settings, useSyncEnv, vevent } from './harness.js';

// An event of ours moved far in time in Talk Calendar (out of every window this run lists) is
// missing from the listing of its old window. Taken for deleted, it was created again on one-way
// links (a duplicate) and deleted from the source on two-way ones (a loss). One read by id now
// tells a move from a deletion. The emulator over HTTP, a real Radicale for the two-way link.

const env = useSyncEnv();
const r = env.r;
const radicale = caldavServers.find((s) => s.name === 'Radicale')!;

const hours = (h: number) => new Date(Date.now() + h * 3600_000);
/** A year ahead of `iso`, as Kakao takes a time. */
const yearLater = (iso: string) =>
  new Date(Date.parse(iso) + 365 * 86_400_000).toISOString().replace('.000', '');
const eventCalls = async () =>
  (await requestLog(env.emu)).map((q) => q.endpoint).filter((e) => e.startsWith('events.'));

/** Moves the user's only event a year ahead through the Kakao API; its new start. */
async function moveAYearAhead(userId: string, port: ReturnType<typeof kakaoPortFor>): Promise<string> {
  const [made] = env.emu.admin.events(userId);
  const start = yearLater(made!.time.start_at);
  await port.updateEvent(made!.id, { time: { start_at: start, end_at: yearLater(made!.time.end_at) } });
  expect(env.emu.admin.events(userId)[0]!.time.start_at.slice(0, 10)).toBe(start.slice(0, 10));
  return start;
}

describe('an event moved far in Talk Calendar is an edit, not a deletion', () => {
  let server: CaldavTestServer;
  beforeAll(async () => {
    server = await radicale.start();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('one-way: read by id, moved back to the source time; no second copy', async () => {
    const u = await createUser(env.emu);
    const port = kakaoPortFor(env.client.forUser(u.userId, u.store));
    const t = rig(r.redis, r.keys);
    const link = feedLink();
    t.storage.set(vevent('m@test', 'Checkup', 3));
    await t.run(u.userId, port, [link], {}, () => new Date());
    const [before] = env.emu.admin.events(u.userId);
    await moveAYearAhead(u.userId, port);
    await clearLog(env.emu);
    // The next verification lists the near windows only: the event is gone from its old one.
    await t.run(u.userId, port, [link], {}, () => hours(25));
    const calls = await eventCalls();
    expect(calls.filter((e) => e === 'events.get')).toHaveLength(1);
    expect(calls.filter((e) => e === 'events.create')).toEqual([]);
    const after = env.emu.admin.events(u.userId);
    expect(after.map((e) => e.id)).toEqual([before!.id]);
    expect(after[0]!.time.start_at).toBe(before!.time.start_at);
  });

  it('two-way on Radicale: the move is written back into the CalDAV object, which is kept', async () => {
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
      conflict: 'manual',
    });
    const run = (now: Date) =>
      syncUser(
        { userId: u.userId, timeZone: 'Asia/Seoul', links: [link] },
        { ...t.deps(port, () => now), storageFor: () => storage, settings },
      );
    await storage.upload(vevent('w@test', 'Workshop', 3));
    await run(new Date());
    const start = await moveAYearAhead(u.userId, port);
    await clearLog(env.emu);
    // The two-way read of the near region is due: the event is missing from its old window.
    await run(hours(2));
    expect((await eventCalls()).filter((e) => e === 'events.create' || e === 'events.delete')).toEqual([]);
    expect(env.emu.admin.events(u.userId)).toHaveLength(1);
    const objects = await readAll(storage);
    expect(objects).toHaveLength(1);
    expect(objects[0]!.ics).toContain(`DTSTART:${start.replace(/[-:]/g, '').slice(0, 15)}`);
    // Later runs keep one event and one object; the mapping records where the event is now, so
    // the next listing of its old window does not read it again.
    await clearLog(env.emu);
    await run(hours(4));
    expect((await eventCalls()).filter((e) => e !== 'events.list')).toEqual([]);
    expect(env.emu.admin.events(u.userId)).toHaveLength(1);
    expect(await readAll(storage)).toHaveLength(1);
  });
});
