import { describe, expect, it } from 'vitest';
import type { ConflictPolicy } from '../../../src/model/link.js';
import { clearLog, compactDay, requestLog } from '../kakao/harness.js';
import { useSyncEnv } from './harness.js';
import { caldavLink, minutesFromNow, todoItem, useCaldavServer } from './two-way-harness.js';

// Issue #12, "overwritten edit", for tasks: on a two-way task link a task is edited in Talk
// Calendar, then its to-do in CalDAV before the next two-way read. Kakao has no ETag, so the sync
// reads the task by id before writing to it; the edit it finds meets the link's conflict policy.
// Against the emulator and a real Radicale; calls counted at the emulator's request log.

const env = useSyncEnv();

const due = compactDay(5);
const vtodo = (uid: string, summary: string) => todoItem(uid, summary, [], due);

/** Calls to Kakao's task API (the emulator's request log); a list by task_id is the task GET. */
const calls = async () =>
  (await requestLog(env.emu))
    .filter((q) => q.endpoint.startsWith('tasks.'))
    .map((q) => (q.endpoint === 'tasks.list' && q.query?.['task_id'] ? 'tasks.get' : q.endpoint));

describe('two-way tasks ⇄ emulator + Radicale: a Talk Calendar edit is never silently overwritten', () => {
  const dav = useCaldavServer();

  /** A synced task link with one to-do "Buy milk"; edited in Talk Calendar, then in CalDAV. */
  async function editedOnBothSides(direction: 'two-way' | 'to-kakao', conflict: ConflictPolicy = 'manual') {
    const h = await caldavLink(env, dav.server, {
      component: 'todo',
      link: { id: 'todo', direction, conflict },
    });
    const source = await h.put(vtodo('m@test', 'Buy milk'));
    await h.run(new Date());
    // The link's first verification listing (a first sync creates without listing tasks).
    await h.run(minutesFromNow(1));
    const [made] = h.tasks();
    expect(made!.content).toBe('Buy milk');
    // Edited in Talk Calendar, then in CalDAV, before the next two-way read (60 minutes).
    await h.port.updateTask(made!.task_id, {
      content: 'Buy milk (phone)',
      ...(made!.due_info ? { due_info: made!.due_info } : {}),
    });
    await source.edit(vtodo('m@test', 'Buy milk (desk)'));
    await clearLog(env.emu);
    const result = await h.run(minutesFromNow(10));
    return { ...h, result, kakaoTitles: () => h.tasks().map((x) => x.content) };
  }

  it('manual: the task read finds the edit, a conflict is recorded, neither side is overwritten', async () => {
    const { result, summaries, userId, t, run, kakaoTitles } = await editedOnBothSides('two-way', 'manual');
    expect(await calls()).toEqual(['tasks.get']);
    expect(result.links[0]!.calls).toEqual({ detail: 1 });
    expect(result.links[0]!.conflicts).toMatchObject([{ sourceKey: 'm@test', unitKey: 'task' }]);
    expect(kakaoTitles()).toEqual(['Buy milk (phone)']);
    expect(await summaries()).toEqual(['Buy milk (desk)']);
    const state = await t.store.load(userId, 'todo');
    expect(state.items.get('m@test')?.conflict).toMatchObject({
      detail: 'changed in both the source and Talk Calendar',
    });
    // It waits for a choice: a later run writes nothing either way.
    await clearLog(env.emu);
    await run(minutesFromNow(20));
    expect((await calls()).filter((e) => e !== 'tasks.get' && e !== 'tasks.list')).toEqual([]);
    expect(kakaoTitles()).toEqual(['Buy milk (phone)']);
    expect(await summaries()).toEqual(['Buy milk (desk)']);
  });

  it('kakao-wins: the Talk Calendar title is written back to the VTODO, the task is not written', async () => {
    const { result, summaries, kakaoTitles } = await editedOnBothSides('two-way', 'kakao-wins');
    expect(await calls()).toEqual(['tasks.get']);
    expect(result.links[0]!.conflicts).toEqual([]);
    expect(kakaoTitles()).toEqual(['Buy milk (phone)']);
    expect(await summaries()).toEqual(['Buy milk (phone)']);
  });

  it('source-wins: after the read, the CalDAV version is written over the task', async () => {
    const { summaries, kakaoTitles } = await editedOnBothSides('two-way', 'source-wins');
    expect(await calls()).toEqual(['tasks.get', 'tasks.update']);
    expect(kakaoTitles()).toEqual(['Buy milk (desk)']);
    expect(await summaries()).toEqual(['Buy milk (desk)']);
  });

  it('one-way: no read before the write (today behaviour)', async () => {
    const { result, kakaoTitles } = await editedOnBothSides('to-kakao');
    expect(await calls()).toEqual(['tasks.update']);
    expect(result.links[0]!.calls).toEqual({ write: 1 });
    expect(kakaoTitles()).toEqual(['Buy milk (desk)']);
  });
});
