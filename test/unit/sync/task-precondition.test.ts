import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Task } from '../../../src/kakao/types.js';
import type { DesiredTaskItem } from '../../../src/model/desired.js';
import type { ConflictPolicy } from '../../../src/model/link.js';
import { checkPreconditions } from '../../../src/sync/events/apply-precondition.js';
import { hashOf } from '../../../src/sync/events/hash.js';
import { planLink } from '../../../src/sync/events/plan.js';
import type { PlanInput } from '../../../src/sync/events/plan-types.js';
import { desiredItemHash } from '../../../src/sync/events/projection.js';
import { replanItem, replanTask } from '../../../src/sync/events/replan.js';
import { taskUnit } from '../../../src/sync/events/unit-state.js';
import type { ItemMapping } from '../../../src/sync/store/mapping.js';
import { type TaskRead, taskChangedSince } from '../../../src/sync/tasks/task-precondition.js';
import { actionsOf, input, link, stateOf } from '../../support/sync-fixtures.js';

// Two-way task links read a task by id before updating, completing or deleting it when no task
// listing of this run showed it (Kakao has no ETag); a Talk Calendar edit the read shows meets the
// link's conflict policy, and a task gone from Kakao counts as deleted there.

const taskLink = (direction: 'two-way' | 'to-kakao', conflict: ConflictPolicy = 'manual') =>
  link({
    source: { type: 'caldav', url: 'https://dav.example.org/t/', component: 'todo' },
    target: { kind: 'tasks' },
    direction,
    conflict,
  });
const was: DesiredTaskItem = {
  kind: 'task',
  sourceKey: 't@x',
  task: { content: 'Buy milk', due_info: { due_date: '20250310' } },
  completed: false,
  warnings: [],
};
/** The source's new version: retitled. */
const now: DesiredTaskItem = { ...was, task: { ...was.task, content: 'Buy oat milk' } };
const mapped: ItemMapping = {
  sourceKey: 't@x',
  sourceHash: desiredItemHash(was),
  contentHash: '',
  href: 't.ics',
  etag: '"1"',
  units: {
    task: {
      ...taskUnit('T1', hashOf({ task: was.task, completed: false })),
      task: was.task,
      completed: false,
    },
  },
};
const ref = { href: 't.ics', etag: '"2"' };

const planInput = (
  want: DesiredTaskItem | null,
  direction: 'two-way' | 'to-kakao' = 'two-way',
  conflict: ConflictPolicy = 'manual',
): PlanInput =>
  input({
    link: taskLink(direction, conflict),
    state: stateOf(mapped),
    // A delta: the to-do changed, or was deleted (a full listing of nothing would stop the link).
    source: want
      ? { full: true, items: [want], deletedKeys: [], refs: { 't@x': ref } }
      : { full: false, items: [], deletedKeys: ['t@x'] },
    // Task listings of this run cover no window: the task is unseen.
    kakao: { windows: [], events: [], tasks: { windows: [], items: [] } },
  });

/** What GET task answers for T1 after `edit` in Talk Calendar. */
const read = (edit: Partial<Task> = {}): Task => ({
  task_id: 'T1',
  content: 'Buy milk',
  status: 'SCHEDULED',
  bookmark: false,
  authorized: true,
  due_info: { due_date: '20250310' },
  ...edit,
});

const check = (i: PlanInput, answer: TaskRead | 'refused') => {
  const planned = planLink(i).items[0]!;
  return checkPreconditions(planned, mapped, {
    read: () => Promise.reject(new Error('no event is read for a task')),
    replan: (p, reads) => replanItem(i, p, reads),
    readTask: async () => answer,
    replanTask: (p, reads) => replanTask(i, p, reads),
  });
};

describe('planner: which task writes read first', () => {
  it('a two-way update of a task no listing showed carries a task precondition', () => {
    const plan = planLink(planInput(now));
    expect(actionsOf(plan)).toMatchObject([{ op: 'task-update', kakaoId: 'T1' }]);
    expect(plan.items[0]!.preconditions).toEqual([
      { unitKey: 'task', kakaoId: 'T1', readId: 'T1', task: true },
    ]);
  });

  it('a two-way delete of a to-do gone from the source reads the task first', () => {
    const plan = planLink(planInput(null));
    expect(actionsOf(plan)).toMatchObject([{ op: 'task-delete', kakaoId: 'T1' }]);
    expect(plan.items[0]!.preconditions).toHaveLength(1);
  });

  it('a one-way link writes without reading', () => {
    const plan = planLink(planInput(now, 'to-kakao'));
    expect(actionsOf(plan)).toMatchObject([{ op: 'task-update' }]);
    expect(plan.items[0]!.preconditions).toBeUndefined();
  });

  it('a task this run listed as recorded is written without a read', () => {
    const i = planInput(now);
    const listed = {
      windows: [{ from: '2025-03-01T00:00:00Z', to: '2025-04-01T00:00:00Z' }],
      items: [read()],
    };
    const plan = planLink({ ...i, kakao: { ...i.kakao, tasks: listed } });
    expect(plan.items[0]!.preconditions).toBeUndefined();
  });
});

describe('checkPreconditions on tasks (apply side)', () => {
  it('the task as recorded: the update goes ahead as planned', async () => {
    expect(await check(planInput(now), read())).toMatchObject({ kind: 'as-planned' });
  });

  it('refused by the quota: nothing is written this run', async () => {
    expect(await check(planInput(now), 'refused')).toMatchObject({ kind: 'deferred' });
  });

  it('retitled in Talk Calendar on a manual link: a conflict, nothing written', async () => {
    const checked = await check(planInput(now), read({ content: 'Buy milk (kakao)' }));
    expect(checked).toMatchObject({ kind: 'replanned', item: { actions: [], conflict: expect.any(String) } });
  });

  it('completed in Talk Calendar, kakao-wins: written back to the VTODO, not over the task', async () => {
    const checked = await check(planInput(now, 'two-way', 'kakao-wins'), read({ status: 'COMPLETED' }));
    expect(checked.kind === 'replanned' && checked.item.actions).toMatchObject([
      { op: 'task-source-status', completed: true },
      { op: 'task-accept', completed: true },
    ]);
  });

  it('edited in Talk Calendar, source-wins: the source version is sent over it', async () => {
    const checked = await check(
      planInput(now, 'two-way', 'source-wins'),
      read({ due_info: { due_date: '20250320' } }),
    );
    expect(checked.kind === 'replanned' && checked.item.actions).toMatchObject([
      { op: 'task-update', sendContent: true, task: now.task },
    ]);
  });

  it('gone from Kakao: a Talk Calendar deletion (the change re-creates it; a deletion costs no call)', async () => {
    const changed = await check(planInput(now), null);
    expect(changed.kind === 'replanned' && changed.item.actions).toMatchObject([{ op: 'task-create' }]);
    const deleted = await check(planInput(null), null);
    expect(deleted.kind === 'replanned' && deleted.item.actions).toMatchObject([{ op: 'forget' }]);
  });

  it('a source deletion meets a Talk Calendar edit: restored as the read shows it unless the source wins', async () => {
    const edited = read({
      content: 'Buy milk (kakao)',
      status: 'COMPLETED',
      due_info: { due_date: '20250320' },
    });
    for (const conflict of ['kakao-wins', 'manual'] as const) {
      const kept = await check(planInput(null, 'two-way', conflict), edited);
      expect(kept.kind === 'replanned' && kept.item.actions).toEqual([
        {
          op: 'task-source-restore',
          sourceKey: 't@x',
          unitKey: 'task',
          task: { content: 'Buy milk (kakao)', due_info: { due_date: '20250320' } },
          completed: true,
        },
      ]);
      expect(kept.kind === 'replanned' && kept.replanned.warnings).toEqual([
        't@x: deleted in the source but edited in Talk Calendar; restored to the source',
      ]);
    }
    const removed = await check(planInput(null, 'two-way', 'source-wins'), edited);
    expect(removed.kind === 'replanned' && removed.item.actions).toMatchObject([{ op: 'task-delete' }]);
  });
});

describe('taskChangedSince (property)', () => {
  it('a read differs from the mapping exactly when its title, due date or completion does', () => {
    const unit = mapped.units['task']!;
    fc.assert(
      fc.property(
        fc.constantFrom('Buy milk', 'Buy oat milk'),
        fc.constantFrom('20250310', '20250311', undefined),
        fc.boolean(),
        (content, due, completed) => {
          const t = read({ content, status: completed ? 'COMPLETED' : 'SCHEDULED' });
          const answer = due ? { ...t, due_info: { due_date: due } } : { ...t, due_info: undefined };
          const same = content === 'Buy milk' && due === '20250310' && !completed;
          expect(taskChangedSince(unit, answer)).toBe(!same);
          expect(taskChangedSince(unit, null)).toBe(true);
        },
      ),
    );
  });
});
