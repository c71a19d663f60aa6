import { describe, expect, it } from 'vitest';
import { parseLink } from '../../../src/model/link.js';
import type { SourceItem } from '../../../src/sources/storage.js';
import { icsText } from '../../support/ics-text.js';
import { clearLog, requestLog } from '../kakao/harness.js';
import { useSyncEnv } from './harness.js';

// CalDAV to-dos → Kakao tasks against the emulator: create, edit, complete, delete; verification
// reads only when a window is due (task-verify.test.ts covers what they find).

const env = useSyncEnv();

function vtodo(uid: string, summary: string, status?: 'COMPLETED'): SourceItem {
  const due = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
  const ics = icsText('VTODO', uid, [
    `DUE;VALUE=DATE:${due}`,
    `SUMMARY:${summary}`,
    ...(status ? [`STATUS:${status}`] : []),
  ]);
  return { uid, kind: 'todo', ics };
}

describe('sync ⇄ emulator: tasks', () => {
  it('creates, edits, completes and deletes tasks, each change one write', async () => {
    const { userId, port, t } = await env.newUser();
    const link = parseLink({
      id: 'todo',
      source: { type: 'caldav', url: 'https://dav.example.org/todo/', component: 'todo' },
      target: { kind: 'tasks' },
    });
    const calls = async () =>
      (await requestLog(env.emu)).filter((q) => q.path.includes('/api/calendar/')).map((q) => q.path);

    t.storage.set(vtodo('t1@test', 'Buy milk'));
    await clearLog(env.emu);
    await t.run(userId, port, [link]);
    expect(await calls()).toEqual(['/v1/api/calendar/create/task']);
    expect(env.emu.admin.tasks(userId).map((x) => x.content)).toEqual(['Buy milk']);

    // The first verification of the new task's window is due at once (one listing); then nothing.
    await clearLog(env.emu);
    await t.run(userId, port, [link]);
    expect(await calls()).toEqual(['/v1/api/calendar/tasks']);
    await clearLog(env.emu);
    await t.run(userId, port, [link]);
    expect(await calls()).toEqual([]);

    t.storage.set(vtodo('t1@test', 'Buy oat milk'));
    await clearLog(env.emu);
    await t.run(userId, port, [link]);
    expect(await calls()).toEqual(['/v1/api/calendar/update/task']);
    expect(env.emu.admin.tasks(userId).map((x) => x.content)).toEqual(['Buy oat milk']);

    // Only the completion changed: the completion call alone (before, an unchanged update first).
    t.storage.set(vtodo('t1@test', 'Buy oat milk', 'COMPLETED'));
    await clearLog(env.emu);
    await t.run(userId, port, [link]);
    expect(await calls()).toEqual(['/v1/api/calendar/complete/task']);
    expect(env.emu.admin.tasks(userId).map((x) => x.completed)).toEqual([true]);
    t.storage.set(vtodo('t1@test', 'Buy oat milk'));
    await clearLog(env.emu);
    await t.run(userId, port, [link]);
    expect(await calls()).toEqual(['/v1/api/calendar/complete/task']);
    expect(env.emu.admin.tasks(userId).map((x) => x.completed)).toEqual([false]);
    // Content and completion together: both calls.
    t.storage.set(vtodo('t1@test', 'Buy milk', 'COMPLETED'));
    await clearLog(env.emu);
    await t.run(userId, port, [link]);
    expect(await calls()).toEqual(['/v1/api/calendar/update/task', '/v1/api/calendar/complete/task']);
    expect(env.emu.admin.tasks(userId).map((x) => [x.content, x.completed])).toEqual([['Buy milk', true]]);

    t.storage.remove('t1@test');
    await clearLog(env.emu);
    await t.run(userId, port, [link]);
    expect(await calls()).toEqual(['/v1/api/calendar/delete/task']);
    expect(env.emu.admin.tasks(userId)).toEqual([]);
  });
});
