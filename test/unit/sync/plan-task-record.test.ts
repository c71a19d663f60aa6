import { describe, expect, it } from 'vitest';
import type { DesiredTaskItem } from '../../../src/model/desired.js';
import { hashOf } from '../../../src/sync/events/hash.js';
import { planLink } from '../../../src/sync/events/plan.js';
import { taskUnit } from '../../../src/sync/events/unit-state.js';
import type { ItemMapping } from '../../../src/sync/store/mapping.js';
import { actionsOf, fullSource, HORIZON, input, link, stateOf } from '../../support/sync-fixtures.js';

// After a completion was written back to the VTODO, the source matches what the task showed; if
// Talk Calendar has changed it again since (listed this run), that newer edit must not be lost.

const twoWay = link({
  source: { type: 'caldav', url: 'https://dav.example.org/t/', component: 'todo' },
  target: { kind: 'tasks' },
  direction: 'two-way',
});
const task = { content: 'Buy milk', due_info: { due_date: '20250310' } };
const done: DesiredTaskItem = { kind: 'task', sourceKey: 't@x', task, completed: true, warnings: [] };
// Completed in Talk Calendar and accepted: the recorded hash is still the open to-do's.
const mapped: ItemMapping = {
  sourceKey: 't@x',
  sourceHash: 'old',
  contentHash: '',
  href: 't.ics',
  etag: '"1"',
  units: { task: { ...taskUnit('T1', hashOf({ task, completed: false })), task, completed: true } },
};
const listing = (status: 'COMPLETED' | 'SCHEDULED') => ({
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
const plan = (tasks?: ReturnType<typeof listing>) =>
  planLink(
    input({
      link: twoWay,
      state: stateOf(mapped),
      source: { ...fullSource(done), refs: { 't@x': { href: 't.ics', etag: '"2"' } } },
      kakao: { windows: [], events: [], ...(tasks ? { tasks } : {}) },
    }),
  );

describe('planLink: a written-back task completion', () => {
  it('is recorded without a call when Talk Calendar still shows it (or is not listed)', () => {
    expect(actionsOf(plan(listing('COMPLETED')))).toEqual([expect.objectContaining({ op: 'task-record' })]);
    expect(actionsOf(plan())).toEqual([expect.objectContaining({ op: 'task-record' })]);
  });

  it('reopened in Talk Calendar since: the reopening is written back, not dropped', () => {
    expect(actionsOf(plan(listing('SCHEDULED')))).toMatchObject([
      { op: 'task-source-status', href: 't.ics', etag: '"2"', completed: false },
      { op: 'task-accept', completed: false },
    ]);
  });
});
