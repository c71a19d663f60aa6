import { describe, expect, it } from 'vitest';
import type { DesiredTaskItem } from '../../../src/model/desired.js';
import type { ConflictPolicy } from '../../../src/model/link.js';
import { hashOf } from '../../../src/sync/events/hash.js';
import { planLink } from '../../../src/sync/events/plan.js';
import { desiredItemHash } from '../../../src/sync/events/projection.js';
import { taskUnit } from '../../../src/sync/events/unit-state.js';
import type { ItemMapping } from '../../../src/sync/store/mapping.js';
import { taskWindowDates } from '../../../src/sync/tasks/task-verify.js';
import { actionsOf, HORIZON, input, link, stateOf } from '../../support/sync-fixtures.js';

// Task links against this run's task listings: a completion or deletion made in Talk Calendar is
// handled per policy; absence outside a listed window (or of a recurring task) proves nothing.

const actions = actionsOf;
const tasksLink = (over = {}) =>
  link({
    source: { type: 'caldav', url: 'https://dav.example.org/t/', component: 'todo' },
    target: { kind: 'tasks' },
    ...over,
  });
const want: DesiredTaskItem = {
  kind: 'task',
  sourceKey: 't@x',
  task: { content: 'Buy milk', due_info: { due_date: '20250310' } },
  completed: false,
  warnings: [],
};
const desiredHash = hashOf({ task: want.task, completed: false });
const mapped: ItemMapping = {
  sourceKey: 't@x',
  sourceHash: desiredItemHash(want),
  contentHash: '',
  href: 't.ics',
  etag: '"1"',
  units: {
    task: { ...taskUnit('T1', desiredHash), task: want.task, completed: false },
  },
};
const listed = (status: 'COMPLETED' | 'SCHEDULED') => ({
  windows: [HORIZON],
  items: [
    {
      task_id: 'T1',
      content: 'Buy milk',
      status,
      bookmark: false,
      authorized: true,
      // As the task list answers it (talk-calendar-rest-api.txt): the due date with the task.
      due_info: { due_date: '20250310' },
    },
  ],
});
const plan = (over: Parameters<typeof input>[0]['kakao'], l = tasksLink()) =>
  planLink(
    input({
      link: l,
      state: stateOf(mapped),
      source: { full: true, items: [want], deletedKeys: [], refs: { 't@x': { href: 't.ics', etag: '"1"' } } },
      ...(over ? { kakao: over } : {}),
    }),
  );

describe('planLink: task verification', () => {
  it('completed in Talk Calendar on a to-kakao link: reverted (revert policy)', () => {
    expect(actions(plan({ windows: [], events: [], tasks: listed('COMPLETED') }))).toMatchObject([
      { op: 'task-complete', kakaoId: 'T1', completed: false },
    ]);
  });

  it('completed in Talk Calendar, keep policy: accepted without a call', () => {
    const p = plan(
      { windows: [], events: [], tasks: listed('COMPLETED') },
      tasksLink({ kakaoEditsOfReadOnly: 'keep' }),
    );
    expect(actions(p)).toMatchObject([{ op: 'task-accept', completed: true }]);
  });

  it('completed in Talk Calendar on a two-way link: COMPLETED written back to the VTODO', () => {
    const p = plan(
      { windows: [], events: [], tasks: listed('COMPLETED') },
      tasksLink({ direction: 'two-way' }),
    );
    expect(actions(p)).toMatchObject([
      { op: 'task-source-status', href: 't.ics', completed: true },
      { op: 'task-accept', completed: true },
    ]);
  });

  it('missing from a listing that covers its due date: restored (revert), drift noted', () => {
    const p = plan({ windows: [], events: [], tasks: { windows: [HORIZON], items: [] } });
    expect(actions(p)).toMatchObject([{ op: 'task-create', task: { content: 'Buy milk' } }]);
    expect(p.driftSeen).toBe(true);
  });

  it('unseen (no listing, or its window not listed): nothing', () => {
    expect(plan(undefined).items).toEqual([]);
    const other = { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' };
    expect(plan({ windows: [], events: [], tasks: { windows: [other], items: [] } }).items).toEqual([]);
  });

  it('completed in the source: an update that sends only the completion', () => {
    const done = { ...want, completed: true };
    const p = planLink(
      input({
        link: tasksLink(),
        state: stateOf(mapped),
        source: { full: true, items: [done], deletedKeys: [] },
      }),
    );
    expect(actions(p)).toMatchObject([
      { op: 'task-update', kakaoId: 'T1', sendContent: false, completed: true },
    ]);
    const renamed = { ...done, task: { ...want.task, content: 'Buy oat milk' } };
    const both = planLink(
      input({
        link: tasksLink(),
        state: stateOf(mapped),
        source: { full: true, items: [renamed], deletedKeys: [] },
      }),
    );
    expect(actions(both)).toMatchObject([{ op: 'task-update', sendContent: true, completed: true }]);
  });

  const edited = (content: string, due: string | null, status: 'COMPLETED' | 'SCHEDULED' = 'SCHEDULED') => ({
    windows: [HORIZON],
    items: [
      {
        task_id: 'T1',
        content,
        status,
        bookmark: false,
        authorized: true,
        ...(due ? { due_info: { due_date: due } } : {}),
      },
    ],
  });

  it('title or due date edited in Talk Calendar, two-way: SUMMARY/DUE written back, the edit recorded', () => {
    const p = plan(
      { windows: [], events: [], tasks: edited('Buy oat milk', '20250312') },
      tasksLink({ direction: 'two-way' }),
    );
    expect(actions(p)).toEqual([
      expect.objectContaining({
        op: 'task-source-status',
        href: 't.ics',
        etag: '"1"',
        edits: { content: 'Buy oat milk', due: '20250312' },
      }),
      expect.objectContaining({
        op: 'task-accept',
        completed: false,
        task: { content: 'Buy oat milk', due_info: { due_date: '20250312' } },
      }),
    ]);
    // The completion is left out of the write-back when Kakao did not change it.
    expect(actions(p)[0]).not.toHaveProperty('completed');
    const undated = plan(
      { windows: [], events: [], tasks: edited('Buy milk', null, 'COMPLETED') },
      tasksLink({ direction: 'two-way' }),
    );
    expect(actions(undated)).toMatchObject([
      { op: 'task-source-status', completed: true, edits: { due: null } },
      { op: 'task-accept', completed: true, task: { content: 'Buy milk' } },
    ]);
    expect(actions(undated)[1]).not.toHaveProperty('task.due_info');
  });

  it('title edited in Talk Calendar, one-way: the source version is written again (keep: accepted)', () => {
    const p = plan({ windows: [], events: [], tasks: edited('Buy beer', '20250310', 'COMPLETED') });
    expect(actions(p)).toMatchObject([
      {
        op: 'task-update',
        kakaoId: 'T1',
        sendContent: true,
        task: want.task,
        completed: false,
        kakaoCompleted: true,
      },
    ]);
    const kept = plan(
      { windows: [], events: [], tasks: edited('Buy beer', '20250310') },
      tasksLink({ kakaoEditsOfReadOnly: 'keep' }),
    );
    expect(actions(kept)).toMatchObject([{ op: 'task-accept', task: { content: 'Buy beer' } }]);
  });

  it('deleted in the source, two-way: a task the listing shows edited is restored unless the source wins', () => {
    const deletedIn = (kakao: Parameters<typeof plan>[0], conflict: ConflictPolicy = 'kakao-wins') =>
      planLink(
        input({
          link: tasksLink({ direction: 'two-way', conflict }),
          state: stateOf(mapped),
          source: { full: false, items: [], deletedKeys: ['t@x'] },
          ...(kakao ? { kakao } : {}),
        }),
      );
    // Only its completion changed: restored as we wrote it, completed as Talk Calendar shows it.
    const completed = deletedIn({ windows: [], events: [], tasks: listed('COMPLETED') });
    expect(actions(completed)).toEqual([
      { op: 'task-source-restore', sourceKey: 't@x', unitKey: 'task', task: want.task, completed: true },
    ]);
    expect(completed.warnings).toEqual([
      't@x: deleted in the source but edited in Talk Calendar; restored to the source',
    ]);
    const retitled = deletedIn({ windows: [], events: [], tasks: edited('Buy oat milk', null) });
    expect(actions(retitled)).toMatchObject([
      { op: 'task-source-restore', task: { content: 'Buy oat milk' }, completed: false },
    ]);
    expect(actions(retitled)[0]).not.toHaveProperty('task.due_info');
    const sourceWins = deletedIn({ windows: [], events: [], tasks: listed('COMPLETED') }, 'source-wins');
    expect(actions(sourceWins)).toMatchObject([{ op: 'task-delete', kakaoId: 'T1' }]);
    const unchanged = deletedIn({ windows: [], events: [], tasks: listed('SCHEDULED') });
    expect(actions(unchanged)).toMatchObject([{ op: 'task-delete', kakaoId: 'T1' }]);
  });

  it('a recurring task whose due date moved on by itself is not an edit', () => {
    const recurring = { ...want.task, due_info: { due_date: '20250310', recur: { rrule: 'FREQ=DAILY' } } };
    const p = planLink(
      input({
        link: tasksLink({ direction: 'two-way' }),
        state: stateOf({
          ...mapped,
          units: {
            task: { ...taskUnit('T1', hashOf({ task: recurring, completed: false })), task: recurring },
          },
        }),
        source: { full: true, items: [{ ...want, task: recurring }], deletedKeys: [] },
        kakao: { windows: [], events: [], tasks: edited('Buy milk', '20250311') },
      }),
    );
    expect(actions(p)).toEqual([]);
  });

  it('a window becomes an inclusive yyyyMMdd range within 31 days', () => {
    expect(taskWindowDates({ from: '2025-03-01T00:00:00Z', to: '2025-04-01T00:00:00Z' })).toEqual({
      from: '20250301',
      to: '20250331',
    });
  });
});
