import { describe, expect, it } from 'vitest';
import type { DesiredTaskItem } from '../../../src/model/desired.js';
import { hashOf } from '../../../src/sync/events/hash.js';
import { planLink } from '../../../src/sync/events/plan.js';
import { taskUnit } from '../../../src/sync/events/unit-state.js';
import type { ItemMapping } from '../../../src/sync/store/mapping.js';
import { formerTaskHash } from '../../../src/sync/tasks/plan-task.js';
import { actionsOf, input, link, stateOf } from '../../support/sync-fixtures.js';

// Recurring tasks now carry record_on: a mapping hashed before that is migrated without a call,
// while a real change (or a task that never had the former form) is still written.

const tasksLink = link({
  source: { type: 'caldav', url: 'https://dav.example.org/t/', component: 'todo' },
  target: { kind: 'tasks' },
});
const recurring = (content: string): DesiredTaskItem => ({
  kind: 'task',
  sourceKey: 'gym@x',
  task: { content, due_info: { due_date: '20250310', recur: { rrule: 'FREQ=DAILY', record_on: true } } },
  completed: false,
  warnings: [],
});
const former = { content: 'Gym', due_info: { due_date: '20250310', recur: { rrule: 'FREQ=DAILY' } } };
const formerHash = hashOf({ task: former, completed: false });
const mapped: ItemMapping = {
  sourceKey: 'gym@x',
  sourceHash: formerHash,
  contentHash: '',
  href: 'gym.ics',
  etag: '"1"',
  units: { task: { ...taskUnit('T1', formerHash), task: former, completed: false } },
};
const plan = (want: DesiredTaskItem) =>
  planLink(
    input({
      link: tasksLink,
      state: stateOf(mapped),
      source: {
        full: true,
        items: [want],
        deletedKeys: [],
        refs: { 'gym@x': { href: 'gym.ics', etag: '"2"' } },
      },
    }),
  );

describe('planLink: the record_on hash migration', () => {
  it('records the new hash and task without any Kakao call', () => {
    const want = recurring('Gym');
    expect(formerTaskHash(want)).toBe(formerHash);
    expect(actionsOf(plan(want))).toEqual([
      {
        sourceKey: 'gym@x',
        unitKey: 'task',
        op: 'task-record',
        desiredHash: hashOf({ task: want.task, completed: false }),
        task: want.task,
      },
    ]);
  });

  it('still sends a real change of a task hashed the former way', () => {
    expect(actionsOf(plan(recurring('Gym at 7'))).map((a) => a.op)).toEqual(['task-update']);
  });

  it('has no former hash for a task without recurrence', () => {
    expect(formerTaskHash({ ...recurring('x'), task: { content: 'x' } })).toBeUndefined();
  });
});
