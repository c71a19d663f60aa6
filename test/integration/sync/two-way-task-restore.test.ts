import { describe, expect, it } from 'vitest';
import type { ConflictPolicy } from '../../../src/model/link.js';
import { clearLog, compactDay, requestLog } from '../kakao/harness.js';
import { useSyncEnv } from './harness.js';
import { caldavLink, hoursFromNow, minutesFromNow, todoItem, useCaldavServer } from './two-way-harness.js';

// A to-do deleted in CalDAV whose task was edited in Talk Calendar since our last write, on a
// two-way task link: the change beats the deletion (as for events) — the to-do is written back as
// Talk Calendar shows it and stays synced — unless the source wins. Against the emulator and a
// real Radicale; Kakao calls counted at the emulator's request log.

const env = useSyncEnv();

const due = compactDay(5);
const movedTo = compactDay(7);

/** Calls to Kakao's task API (a list by task_id is the task GET). */
const calls = async () =>
  (await requestLog(env.emu))
    .filter((q) => q.endpoint.startsWith('tasks.'))
    .map((q) => (q.endpoint === 'tasks.list' && q.query?.['task_id'] ? 'tasks.get' : q.endpoint));
const taskWrites = async () => (await calls()).filter((e) => e !== 'tasks.get' && e !== 'tasks.list');

describe('two-way tasks ⇄ emulator + Radicale: a to-do deleted in the source but edited in Talk Calendar', () => {
  const dav = useCaldavServer();

  /** A synced to-do "Buy milk"; in Talk Calendar retitled, moved and completed; then deleted in CalDAV. */
  async function deletedAfterKakaoEdit(conflict: ConflictPolicy) {
    const h = await caldavLink(env, dav.server, { component: 'todo', link: { id: 'todo', conflict } });
    const source = await h.put(todoItem('m@test', 'Buy milk', [], due));
    await h.run(new Date());
    // The link's first verification listing (a first sync creates without listing tasks).
    await h.run(minutesFromNow(1));
    const [made] = h.tasks();
    expect(made).toMatchObject({ content: 'Buy milk', due_info: { due_date: due } });
    await h.port.updateTask(made!.task_id, {
      content: 'Buy milk (phone)',
      due_info: { ...made!.due_info!, due_date: movedTo },
    });
    await h.port.completeTask(made!.task_id, true);
    await source.remove();
    await clearLog(env.emu);
    // Before the next two-way listing: the task is read by id before it would be deleted.
    const result = await h.run(minutesFromNow(10));
    return { ...h, made: made!, result };
  }

  for (const conflict of ['kakao-wins', 'manual'] as const) {
    it(`${conflict}: the to-do is restored as Talk Calendar shows it and stays synced`, async () => {
      const h = await deletedAfterKakaoEdit(conflict);
      expect(await calls()).toEqual(['tasks.get']);
      expect(h.result.links[0]!.warnings).toContain(
        'm@test: deleted in the source but edited in Talk Calendar; restored to the source',
      );
      expect(h.result.links[0]!.conflicts).toEqual([]);
      const [restored, ...others] = await h.objects();
      expect(others).toEqual([]);
      expect(restored!.ics).toContain('UID:m@test');
      expect(restored!.ics).toContain('SUMMARY:Buy milk (phone)');
      expect(restored!.ics).toContain(`DUE;VALUE=DATE:${movedTo}`);
      expect(restored!.ics).toContain('STATUS:COMPLETED');
      // The task itself is untouched, and there is still exactly one.
      expect(h.tasks()).toMatchObject([
        {
          task_id: h.made.task_id,
          content: 'Buy milk (phone)',
          completed: true,
          due_info: { due_date: movedTo },
        },
      ]);
      const mapping = (await h.t.store.load(h.userId, 'todo')).items.get('m@test');
      expect(mapping?.href).toBe(restored!.href);
      expect(mapping?.units['task']).toMatchObject({ kakaoId: h.made.task_id, completed: true });

      // The next run reads the restored object and records it: no Kakao write.
      await clearLog(env.emu);
      await h.run(minutesFromNow(20));
      expect(await taskWrites()).toEqual([]);

      // A later Talk Calendar edit reaches the restored VTODO as any edit does.
      await h.port.updateTask(h.made.task_id, {
        content: 'Buy milk (office)',
        due_info: { ...h.tasks()[0]!.due_info!, due_date: movedTo },
      });
      await clearLog(env.emu);
      await h.run(hoursFromNow(2));
      expect(await taskWrites()).toEqual([]);
      expect(await h.summaries()).toEqual(['Buy milk (office)']);
      expect(h.tasks().map((x) => x.content)).toEqual(['Buy milk (office)']);
    });
  }

  it('source-wins: the task is deleted in Talk Calendar, nothing is restored', async () => {
    const h = await deletedAfterKakaoEdit('source-wins');
    expect(await calls()).toEqual(['tasks.get', 'tasks.delete']);
    expect(h.tasks()).toEqual([]);
    expect(await h.objects()).toEqual([]);
    expect((await h.t.store.load(h.userId, 'todo')).items.has('m@test')).toBe(false);
  });
});
