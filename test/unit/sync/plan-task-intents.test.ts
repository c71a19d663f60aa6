import { describe, expect, it } from 'vitest';
import type { Task, TaskCreate } from '../../../src/kakao/types.js';
import type { DesiredTaskItem } from '../../../src/model/desired.js';
import { hashOf } from '../../../src/sync/events/hash.js';
import { planLink } from '../../../src/sync/events/plan.js';
import type { Window } from '../../../src/sync/events/plan-types.js';
import { desiredItemHash } from '../../../src/sync/events/projection.js';
import { taskUnit } from '../../../src/sync/events/unit-state.js';
import type { CreateIntent, ItemMapping } from '../../../src/sync/store/mapping.js';
import { taskCreateIntent } from '../../../src/sync/tasks/task-intents.js';
import { actionsOf, fullSource, input, link, stateOf } from '../../support/sync-fixtures.js';

// Task creates interrupted after Kakao made the task (lost reply, crash before the commit): once
// the intent's due window is listed, the task it made is adopted or deleted; until then the item
// is not created again.

const tasksLink = link({
  source: { type: 'caldav', url: 'https://dav.example.org/t/', component: 'todo' },
  target: { kind: 'tasks' },
});
const sent: TaskCreate = { content: 'Buy milk', due_info: { due_date: '20250310' } };
const want = (task: TaskCreate = sent, completed = false): DesiredTaskItem => ({
  kind: 'task',
  sourceKey: 't@x',
  task,
  completed,
  warnings: [],
});
const intentFor = (task: TaskCreate, id = 'i1'): CreateIntent =>
  taskCreateIntent(id, 't@x', task, '2025-02-01T10:00:00Z');
const listedTask = (id: string, task: TaskCreate, status: Task['status'] = 'SCHEDULED'): Task => ({
  task_id: id,
  content: task.content,
  status,
  bookmark: false,
  authorized: true,
  ...(task.due_info ? { due_info: task.due_info } : {}),
});
const march: Window = { from: '2025-03-01T00:00:00Z', to: '2025-03-31T00:00:00Z' };
const april: Window = { from: '2025-04-01T00:00:00Z', to: '2025-05-01T00:00:00Z' };

function plan(opts: {
  items: DesiredTaskItem[];
  intents?: CreateIntent[];
  mapped?: ItemMapping[];
  windows?: Window[];
  listed?: Task[];
}) {
  const state = stateOf(...(opts.mapped ?? []));
  state.intents = opts.intents ?? [intentFor(sent)];
  return planLink(
    input({
      link: tasksLink,
      state,
      source: fullSource(...opts.items),
      kakao: {
        windows: [],
        events: [],
        ...(opts.windows ? { tasks: { windows: opts.windows, items: opts.listed ?? [] } } : {}),
      },
    }),
  );
}

describe('planLink: interrupted task creates', () => {
  it('a task intent younger than intentSettleAfterMs stays open and blocks the item', () => {
    const state = stateOf();
    state.intents = [taskCreateIntent('i1', 't@x', sent, '2025-02-28T23:59:50Z')]; // 10 s before NOW
    const young = planLink(
      input({
        link: tasksLink,
        state,
        source: fullSource(want()),
        kakao: { windows: [], events: [], tasks: { windows: [march], items: [] } },
        intentSettleAfterMs: 60_000,
      }),
    );
    expect(actionsOf(young)).toEqual([]);
    expect(young.settledIntents).toEqual([]);
  });

  it('the task the create made is listed: adopted, no second create, intent settled', () => {
    const p = plan({ items: [want()], windows: [march], listed: [listedTask('K1', sent)] });
    expect(actionsOf(p)).toEqual([
      expect.objectContaining({ op: 'task-adopt', kakaoId: 'K1', sentAsWanted: true, kakaoCompleted: false }),
    ]);
    expect(p.settledIntents).toEqual(['i1']);
  });

  it('the source changed meanwhile: adopted with an update owed, completion from the listing', () => {
    const edited = { ...sent, content: 'Buy oat milk' };
    const p = plan({ items: [want(edited, true)], windows: [march], listed: [listedTask('K1', sent)] });
    expect(actionsOf(p)).toEqual([
      expect.objectContaining({
        op: 'task-adopt',
        kakaoId: 'K1',
        sent,
        sentAsWanted: false,
        task: edited,
        completed: true,
      }),
    ]);
  });

  it('the item is gone from the source: the made task is deleted as an orphan', () => {
    const p = plan({ items: [], windows: [march], listed: [listedTask('K1', sent)] });
    expect(actionsOf(p)).toEqual([
      { op: 'delete-orphan', kakaoId: 'K1', recurring: false, intentId: 'i1', task: true },
    ]);
    expect(p.settledIntents).toEqual(['i1']);
  });

  it('nothing was made (window listed, no such task): created, intent settled', () => {
    const other = listedTask('K9', { content: 'Buy milk', due_info: { due_date: '20250311' } });
    const p = plan({ items: [want()], windows: [march], listed: [other] });
    expect(actionsOf(p)).toEqual([expect.objectContaining({ op: 'task-create', task: sent })]);
    expect(p.settledIntents).toEqual(['i1']);
  });

  it("the intent's due window was not listed: no create, intent stays open", () => {
    const p = plan({ items: [want()], windows: [april], listed: [] });
    expect(actionsOf(p)).toEqual([]);
    expect(p.settledIntents).toEqual([]);
    expect(p.warnings.join()).toMatch(/interrupted task create/);
    expect(actionsOf(plan({ items: [want()] }))).toEqual([]);
  });

  it('a task without a due date is found in any listed window', () => {
    const undated: TaskCreate = { content: 'Call mum' };
    const p = plan({
      items: [want(undated)],
      intents: [intentFor(undated)],
      windows: [april],
      listed: [listedTask('K2', undated)],
    });
    expect(actionsOf(p)).toEqual([expect.objectContaining({ op: 'task-adopt', kakaoId: 'K2' })]);
  });

  it('a same-looking task mapped to another item is never taken', () => {
    const other: ItemMapping = {
      sourceKey: 'o@x',
      sourceHash: desiredItemHash({ ...want(), sourceKey: 'o@x' }),
      contentHash: '',
      units: { task: { ...taskUnit('K1', hashOf({ task: sent, completed: false })), task: sent } },
    };
    const p = plan({
      items: [want(), { ...want(), sourceKey: 'o@x' }],
      mapped: [other],
      windows: [march],
      listed: [listedTask('K1', sent)],
    });
    expect(actionsOf(p)).toEqual([expect.objectContaining({ op: 'task-create', sourceKey: 't@x' })]);
  });

  it('two lost creates of one item: one task adopted, the other deleted', () => {
    const p = plan({
      items: [want()],
      intents: [intentFor(sent, 'i1'), intentFor(sent, 'i2')],
      windows: [march],
      listed: [listedTask('K1', sent), listedTask('K2', sent)],
    });
    expect(actionsOf(p)).toEqual([
      expect.objectContaining({ op: 'task-adopt', kakaoId: 'K1' }),
      { op: 'delete-orphan', kakaoId: 'K2', recurring: false, intentId: 'i2', task: true },
    ]);
    expect(p.settledIntents.sort()).toEqual(['i1', 'i2']);
  });
});
