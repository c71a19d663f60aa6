import { describe, expect, it } from 'vitest';
import { parseLink } from '../../../src/model/link.js';
import type { SourceItem } from '../../../src/sources/storage.js';
import { countActions } from '../../../src/sync/events/plan-types.js';
import { icsText } from '../../support/ics-text.js';
import { admin, clearLog, requestLog } from '../kakao/harness.js';
import { CrashError, crashingPort, feedLink, useSyncEnv } from './harness.js';

// A task create Kakao processed but whose reply was lost: the write-ahead intent makes the next run
// read the task's due window and adopt (or delete) the task it made instead of creating a second.

const env = useSyncEnv();
const createPath = '/v1/api/calendar/create/task';
const link = parseLink({
  id: 'todo',
  source: { type: 'caldav', url: 'https://dav.example.org/todo/', component: 'todo' },
  target: { kind: 'tasks' },
});

function vtodo(uid: string, summary: string, opts: { due?: boolean; done?: boolean } = {}): SourceItem {
  const due = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
  const ics = icsText('VTODO', uid, [
    ...(opts.due === false ? [] : [`DUE;VALUE=DATE:${due}`]),
    `SUMMARY:${summary}`,
    ...(opts.done ? ['STATUS:COMPLETED'] : []),
  ]);
  return { uid, kind: 'todo', ics };
}

/** Runs after the interrupted create: a minute on, its intent is older than the lease + request timeout. */
const later = () => new Date(Date.now() + 60_000);

type EmuTask = { task_id: string; content: string; completed: boolean };

async function lostCreate(item: SourceItem) {
  const { userId, port, t } = await env.newUser();
  const tasks = () => admin<EmuTask[]>(env.emu, 'GET', `/users/${userId}/tasks`);
  t.storage.set(item);
  env.emu.admin.addFault({ path: createPath, times: 1, drop: true, afterProcessing: true });
  try {
    await t.run(userId, port, [link]);
  } finally {
    env.emu.admin.clearFaults();
  }
  // Kakao made the task; we never learnt its id.
  expect(await tasks()).toHaveLength(1);
  expect((await t.store.load(userId, link.id)).intents).toHaveLength(1);
  return { userId, port, t, tasks };
}

describe('sync ⇄ emulator: task create with a lost reply', () => {
  it.each<[string, { due?: boolean; done?: boolean }]>([
    ['with a due date', {}],
    ['without a due date', { due: false }],
    ['completed in the source', { done: true }],
  ])('%s: the next sync adopts the task it made, then plans nothing', async (_name, opts) => {
    const { userId, port, t, tasks } = await lostCreate(vtodo('a@test', 'Buy milk', opts));
    await t.run(userId, port, [link], {}, later);
    const after = await tasks();
    expect(after.map((x) => [x.content, x.completed])).toEqual([['Buy milk', opts.done === true]]);
    const state = await t.store.load(userId, link.id);
    expect(state.intents).toEqual([]);
    expect(state.items.get('a@test')?.units['task']?.kakaoId).toBe(after[0]!.task_id);
    const dry = await t.run(userId, port, [link], { force: true, dryRun: true }, later);
    expect(countActions(dry.links[0]!.plan!)).toBe(0);
    await t.store.dropLink(userId, link.id);
  });

  it('edited in the source meanwhile: the made task is adopted and updated, not duplicated', async () => {
    const { userId, port, t, tasks } = await lostCreate(vtodo('b@test', 'Buy milk'));
    t.storage.set(vtodo('b@test', 'Buy oat milk'));
    await t.run(userId, port, [link], {}, later);
    expect((await tasks()).map((x) => x.content)).toEqual(['Buy oat milk']);
    const dry = await t.run(userId, port, [link], { force: true, dryRun: true }, later);
    expect(countActions(dry.links[0]!.plan!)).toBe(0);
    await t.store.dropLink(userId, link.id);
  });

  it('the update of the adopted task fails: it is retried next run, not taken as done', async () => {
    const { userId, port, t, tasks } = await lostCreate(vtodo('d@test', 'Buy milk'));
    t.storage.set(vtodo('d@test', 'Buy oat milk'));
    env.emu.admin.addFault({ path: '/v1/api/calendar/update/task', times: 100, status: 500 });
    try {
      await t.run(userId, port, [link], {}, later);
    } finally {
      env.emu.admin.clearFaults();
    }
    expect((await tasks()).map((x) => x.content)).toEqual(['Buy milk']);
    await t.run(userId, port, [link], {}, later);
    expect((await tasks()).map((x) => x.content)).toEqual(['Buy oat milk']);
    const dry = await t.run(userId, port, [link], { force: true, dryRun: true }, later);
    expect(countActions(dry.links[0]!.plan!)).toBe(0);
    await t.store.dropLink(userId, link.id);
  });

  it('a crash while the adopted task is updated and completed: still one task after the next run', async () => {
    const { userId, port, t, tasks } = await lostCreate(vtodo('e@test', 'Buy milk'));
    t.storage.set(vtodo('e@test', 'Buy oat milk', { done: true }));
    // Two calls: the listing of the intent's window and the update; the completion crashes.
    const budget = { left: 2 };
    const crashing = {
      ...crashingPort(port, budget),
      listTasksWindow: (from: string, to: string) => {
        budget.left--;
        return port.listTasksWindow!(from, to);
      },
    };
    await expect(t.run(userId, crashing, [link], {}, later)).rejects.toBeInstanceOf(CrashError);
    await t.run(userId, port, [link], {}, later);
    expect((await tasks()).map((x) => [x.content, x.completed])).toEqual([['Buy oat milk', true]]);
    const dry = await t.run(userId, port, [link], { force: true, dryRun: true }, later);
    expect(countActions(dry.links[0]!.plan!)).toBe(0);
    await t.store.dropLink(userId, link.id);
  });

  it('a to-do of an ICS feed (a link that lists no tasks) whose create got -603 is created next run', async () => {
    const { userId, port, t } = await env.newUser();
    const feed = feedLink();
    t.storage.set(vtodo('f@test', 'Buy milk'));
    env.emu.admin.addFault({ path: createPath, times: 1, status: 400, code: -603 });
    try {
      await t.run(userId, port, [feed]);
    } finally {
      env.emu.admin.clearFaults();
    }
    expect((await t.store.load(userId, feed.id)).intents).toHaveLength(1);
    await clearLog(env.emu);
    await t.run(userId, port, [feed], {}, later);
    // Before: one event listing per run, forever, and the to-do never created (not even forced).
    expect((await requestLog(env.emu)).map((q) => q.endpoint)).toEqual(['tasks.list', 'tasks.create']);
    expect(env.emu.admin.tasks(userId).map((x) => x.content)).toEqual(['Buy milk']);
    expect((await t.store.load(userId, feed.id)).intents).toEqual([]);
    await clearLog(env.emu);
    await t.run(userId, port, [feed], {}, later);
    expect(await requestLog(env.emu)).toEqual([]);
    await t.store.dropLink(userId, feed.id);
  });

  it('deleted in the source meanwhile: the made task is deleted', async () => {
    const { userId, port, t, tasks } = await lostCreate(vtodo('c@test', 'Buy milk'));
    t.storage.remove('c@test');
    await t.run(userId, port, [link], {}, later);
    expect(await tasks()).toEqual([]);
    const state = await t.store.load(userId, link.id);
    expect(state.intents).toEqual([]);
    expect(state.items.size).toBe(0);
    await t.store.dropLink(userId, link.id);
  });
});
