import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConflictPolicy } from '../../../src/model/link.js';
import { parseLink } from '../../../src/model/link.js';
import type { SourceItem } from '../../../src/sources/storage.js';
import { kakaoPortFor } from '../../../src/sync/kakao-port.js';
import { syncUser } from '../../../src/sync/sync-user.js';
import { type CaldavTestServer, makeCalendar } from '../helpers/caldav-servers.js';
import { clearLog, createUser, requestLog } from '../kakao/harness.js';
import { caldavServers, readAll, storageOn } from './caldav-harness.js';
import { rig, settings, useSyncEnv } from './harness.js';

// Issue #12, "overwritten edit", for tasks: on a two-way task link a task is edited in Talk
// Calendar, then its to-do in CalDAV before the next two-way read. Kakao has no ETag, so the sync
// reads the task by id before writing to it; the edit it finds meets the link's conflict policy.
// Against the emulator and a real Radicale; calls counted at the emulator's request log.

const env = useSyncEnv();
const r = env.r;
const radicale = caldavServers.find((s) => s.name === 'Radicale')!;

const due = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
function vtodo(uid: string, summary: string): SourceItem {
  const ics = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//talkcal-test//EN',
    'BEGIN:VTODO',
    `UID:${uid}`,
    'DTSTAMP:20250101T000000Z',
    `DUE;VALUE=DATE:${due}`,
    `SUMMARY:${summary}`,
    'END:VTODO',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
  return { uid, kind: 'todo', ics };
}

const minutes = (n: number) => new Date(Date.now() + n * 60_000);
/** Calls to Kakao's task API (the emulator's request log); a list by task_id is the task GET. */
const calls = async () =>
  (await requestLog(env.emu))
    .filter((q) => q.endpoint.startsWith('tasks.'))
    .map((q) => (q.endpoint === 'tasks.list' && q.query?.['task_id'] ? 'tasks.get' : q.endpoint));
const summaries = async (storage: ReturnType<typeof storageOn>) =>
  (await readAll(storage)).map((o) => /SUMMARY:(.*)/.exec(o.ics)?.[1]?.trim());

describe('two-way tasks ⇄ emulator + Radicale: a Talk Calendar edit is never silently overwritten', () => {
  let server: CaldavTestServer;
  beforeAll(async () => {
    server = await radicale.start();
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** A synced task link with one to-do "Buy milk"; edited in Talk Calendar, then in CalDAV. */
  async function editedOnBothSides(direction: 'two-way' | 'to-kakao', conflict: ConflictPolicy = 'manual') {
    const collection = await makeCalendar(server, { components: ['VTODO'] });
    const storage = storageOn(server, collection, 'todo');
    const u = await createUser(env.emu);
    const port = kakaoPortFor(env.client.forUser(u.userId, u.store));
    const t = rig(r.redis, r.keys, false);
    const link = parseLink({
      id: 'todo',
      source: { type: 'caldav', url: collection, component: 'todo' },
      target: { kind: 'tasks' },
      direction,
      conflict,
    });
    const run = (now: Date) =>
      syncUser(
        { userId: u.userId, timeZone: 'Asia/Seoul', links: [link] },
        { ...t.deps(port, () => now), storageFor: () => storage, settings },
      );
    const ref = await storage.upload(vtodo('m@test', 'Buy milk'));
    await run(new Date());
    // The link's first verification listing (a first sync creates without listing tasks).
    await run(minutes(1));
    const [made] = env.emu.admin.tasks(u.userId);
    expect(made!.content).toBe('Buy milk');
    // Edited in Talk Calendar, then in CalDAV, before the next two-way read (60 minutes).
    await port.updateTask(made!.task_id, {
      content: 'Buy milk (phone)',
      ...(made!.due_info ? { due_info: made!.due_info } : {}),
    });
    await storage.update(ref.href, vtodo('m@test', 'Buy milk (desk)'), ref.etag);
    await clearLog(env.emu);
    const result = await run(minutes(10));
    return {
      result,
      storage,
      userId: u.userId,
      t,
      run,
      kakaoTitles: () => env.emu.admin.tasks(u.userId).map((x) => x.content),
    };
  }

  it('manual: the task read finds the edit, a conflict is recorded, neither side is overwritten', async () => {
    const { result, storage, userId, t, run, kakaoTitles } = await editedOnBothSides('two-way', 'manual');
    expect(await calls()).toEqual(['tasks.get']);
    expect(result.links[0]!.calls).toEqual({ detail: 1 });
    expect(result.links[0]!.conflicts).toMatchObject([{ sourceKey: 'm@test', unitKey: 'task' }]);
    expect(kakaoTitles()).toEqual(['Buy milk (phone)']);
    expect(await summaries(storage)).toEqual(['Buy milk (desk)']);
    const state = await t.store.load(userId, 'todo');
    expect(state.items.get('m@test')?.conflict).toMatchObject({
      detail: 'changed in both the source and Talk Calendar',
    });
    // It waits for a choice: a later run writes nothing either way.
    await clearLog(env.emu);
    await run(minutes(20));
    expect((await calls()).filter((e) => e !== 'tasks.get' && e !== 'tasks.list')).toEqual([]);
    expect(kakaoTitles()).toEqual(['Buy milk (phone)']);
    expect(await summaries(storage)).toEqual(['Buy milk (desk)']);
  });

  it('kakao-wins: the Talk Calendar title is written back to the VTODO, the task is not written', async () => {
    const { result, storage, kakaoTitles } = await editedOnBothSides('two-way', 'kakao-wins');
    expect(await calls()).toEqual(['tasks.get']);
    expect(result.links[0]!.conflicts).toEqual([]);
    expect(kakaoTitles()).toEqual(['Buy milk (phone)']);
    expect(await summaries(storage)).toEqual(['Buy milk (phone)']);
  });

  it('source-wins: after the read, the CalDAV version is written over the task', async () => {
    const { storage, kakaoTitles } = await editedOnBothSides('two-way', 'source-wins');
    expect(await calls()).toEqual(['tasks.get', 'tasks.update']);
    expect(kakaoTitles()).toEqual(['Buy milk (desk)']);
    expect(await summaries(storage)).toEqual(['Buy milk (desk)']);
  });

  it('one-way: no read before the write (today behaviour)', async () => {
    const { result, kakaoTitles } = await editedOnBothSides('to-kakao');
    expect(await calls()).toEqual(['tasks.update']);
    expect(result.links[0]!.calls).toEqual({ write: 1 });
    expect(kakaoTitles()).toEqual(['Buy milk (desk)']);
  });
});
