import { describe, expect, it } from 'vitest';
import { type LinkInput, parseLink } from '../../../src/model/link.js';
import { clearLog, requestLog } from '../kakao/harness.js';
import { caldavServers } from './caldav-harness.js';
import { useSyncEnv } from './harness.js';
import { caldavLink, hoursFromNow as hours, useCaldavServer, todoItem as vtodo } from './two-way-harness.js';

// Verification reads of task links: a task completed or deleted in Talk Calendar is noticed by the
// 31-day task listing that covers it and handled per policy.

const env = useSyncEnv();

const taskLink = (over: Partial<LinkInput> = {}) =>
  parseLink({
    id: 'todo',
    source: { type: 'caldav', url: 'https://dav.example.org/todo/', component: 'todo' },
    target: { kind: 'tasks' },
    ...over,
  });

const calls = async () => {
  const out: Record<string, number> = {};
  for (const q of (await requestLog(env.emu)).filter((x) => x.path.includes('/api/calendar/')))
    out[`${q.method} ${q.path}`] = (out[`${q.method} ${q.path}`] ?? 0) + 1;
  return out;
};
const LIST = 'GET /v1/api/calendar/tasks';

describe('task verification ⇄ emulator', () => {
  it('to-kakao (revert): a task completed in Talk Calendar is reopened, a deleted one restored', async () => {
    const { userId, port, t } = await env.newUser();
    const link = taskLink();
    t.storage.set(vtodo('t1@test', 'Buy milk'));
    await t.run(userId, port, [link], {}, () => new Date());
    const [task] = env.emu.admin.tasks(userId);
    await port.completeTask(task!.task_id, true);

    await clearLog(env.emu);
    await t.run(userId, port, [link], {}, () => hours(25));
    expect(await calls()).toEqual({ [LIST]: 1, 'POST /v1/api/calendar/complete/task': 1 });
    expect(env.emu.admin.tasks(userId).map((x) => x.completed)).toEqual([false]);

    await port.deleteTask(task!.task_id);
    await clearLog(env.emu);
    await t.run(userId, port, [link], {}, () => hours(50));
    // Missing from its window: one task read confirms it is deleted, not moved to another due date.
    expect(await calls()).toEqual({ [LIST]: 2, 'POST /v1/api/calendar/create/task': 1 });
    expect((await requestLog(env.emu)).filter((q) => q.query?.['task_id'] === task!.task_id)).toHaveLength(1);
    expect(env.emu.admin.tasks(userId).map((x) => x.content)).toEqual(['Buy milk']);

    // Nothing due: no call at all.
    await clearLog(env.emu);
    await t.run(userId, port, [link], {}, () => hours(51));
    expect(await calls()).toEqual({});
  });

  it('a task whose due date Talk Calendar moved out of the window read is edited, never restored twice', async () => {
    const { userId, port, t } = await env.newUser();
    const link = taskLink();
    t.storage.set(vtodo('mv@test', 'Renew passport'));
    await t.run(userId, port, [link], {}, () => new Date());
    const [task] = env.emu.admin.tasks(userId);
    const far = new Date(Date.now() + 200 * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
    await port.updateTask(task!.task_id, { content: 'Renew passport', due_info: { due_date: far } });
    await clearLog(env.emu);
    // The next verification reads only the near windows: the task is not in its old one any more.
    await t.run(userId, port, [link], {}, () => hours(25));
    const tasks = env.emu.admin.tasks(userId);
    expect(tasks.map((x) => x.task_id)).toEqual([task!.task_id]);
    // One-way: the source's due date is written again (the move was an edit, found by one read).
    expect(tasks[0]!.due_info?.due_date).not.toBe(far);
    expect((await calls())['POST /v1/api/calendar/create/task']).toBeUndefined();
    expect((await calls())['POST /v1/api/calendar/update/task']).toBe(1);
  });

  it('to-kakao (keep): a completion made in Talk Calendar is accepted, not reverted', async () => {
    const { userId, port, t } = await env.newUser();
    const link = taskLink({ kakaoEditsOfReadOnly: 'keep' });
    t.storage.set(vtodo('t2@test', 'Call mum'));
    await t.run(userId, port, [link], {}, () => new Date());
    const [task] = env.emu.admin.tasks(userId);
    await port.completeTask(task!.task_id, true);
    await clearLog(env.emu);
    await t.run(userId, port, [link], {}, () => hours(25));
    expect(await calls()).toEqual({ [LIST]: 1 });
    await t.run(userId, port, [link], {}, () => hours(50));
    expect(env.emu.admin.tasks(userId).map((x) => x.completed)).toEqual([true]);
  });
});

describe.each(caldavServers)('task verification ⇄ emulator + $name', ({ start }) => {
  const dav = useCaldavServer(start);

  it('two-way: a task completed in Talk Calendar is written back as COMPLETED', async () => {
    const { userId, port, run, put, objects } = await caldavLink(env, dav.server, {
      component: 'todo',
      link: { id: 'todo' },
    });
    await put(vtodo('t3@test', 'File taxes', ['X-KEEP:yes']));
    await run(new Date());
    const [task] = env.emu.admin.tasks(userId);
    await port.completeTask(task!.task_id, true);
    await run(hours(2));
    const [obj] = await objects();
    const ics = obj!.ics;
    expect(ics).toContain('STATUS:COMPLETED');
    expect(ics).toContain('X-KEEP:yes');
    expect(ics).toContain('SUMMARY:File taxes');
    // Settled: the next run writes nothing to Kakao, and the task stays completed.
    await clearLog(env.emu);
    await run(hours(4));
    expect(Object.keys(await calls()).filter((k) => !k.startsWith('GET'))).toEqual([]);
    expect(env.emu.admin.tasks(userId).map((x) => x.completed)).toEqual([true]);
  });
});
