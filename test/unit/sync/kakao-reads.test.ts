import { describe, expect, it } from 'vitest';
import { taskUnit } from '../../../src/sync/events/unit-state.js';
import { emptyLinkState, type LinkState } from '../../../src/sync/store/mapping.js';
import { taskCreateIntent } from '../../../src/sync/tasks/task-intents.js';
import {
  type PlannedRead,
  plannedReads,
  type ReadContext,
} from '../../../src/sync/verification/kakao-reads.js';
import { horizonOf, horizonWindows } from '../../../src/sync/verification/windows.js';
import { link, stateOf } from '../../support/sync-fixtures.js';

// Which windows a run lists, and whether as events or as tasks.

const now = new Date('2025-03-01T12:00:00Z');
const ctx = (state: LinkState, over: Partial<ReadContext> = {}): ReadContext => ({
  link: link(),
  state,
  settings: {
    verify: { nearDays: 31, nearEveryHours: 24, farEveryHours: 168, perRun: 1 },
    twoWayReadEveryMinutes: 60,
  },
  now,
  force: false,
  canListTasks: true,
  windows: horizonWindows(now, 30, 365),
  horizon: horizonOf(now, 30, 365),
  ...over,
});
const reads = (c: ReadContext): Pick<PlannedRead, 'purpose' | 'kind'>[] =>
  [...plannedReads(c).values()].map(({ purpose, kind }) => ({ purpose, kind }));
const todo = { content: 'Buy milk', due_info: { due_date: '20250310' } };
const tasksLink = link({
  source: { type: 'caldav', url: 'https://dav.example.org/t/', component: 'todo' },
  target: { kind: 'tasks' },
});

describe('plannedReads', () => {
  it('a first sync lists the horizon as events: the fewest windows that cover it', () => {
    expect(reads(ctx(emptyLinkState()))).toEqual(Array(13).fill({ purpose: 'first-sync', kind: 'events' }));
  });

  it('an open task create on an event link (a feed with to-dos) is settled by a task listing', () => {
    const state = stateOf();
    state.intents.push(taskCreateIntent('i1', 't@x', todo, '2025-03-01T12:00:00Z'));
    const planned = [...plannedReads(ctx(state)).values()];
    expect(planned.map(({ purpose, kind }) => ({ purpose, kind }))).toEqual([
      { purpose: 'write', kind: 'tasks' },
    ]);
    expect(Date.parse(planned[0]!.w.from)).toBeLessThanOrEqual(Date.parse('2025-03-10T00:00:00Z'));
    expect(Date.parse(planned[0]!.w.to)).toBeGreaterThan(Date.parse('2025-03-10T00:00:00Z'));
    // A port that cannot list tasks never opened such an intent; one left over is not listed as events.
    expect(reads(ctx(state, { canListTasks: false }))).toEqual([]);
  });

  it("an event link's tasks make no event window due; a task link's do, as task listings", () => {
    const state = stateOf({
      sourceKey: 't@x',
      sourceHash: '',
      contentHash: '',
      units: { task: { ...taskUnit('T1', 'h'), task: todo, completed: false } },
    });
    expect(reads(ctx(state))).toEqual([]);
    expect(reads(ctx(state, { link: tasksLink }))).toEqual([{ purpose: 'verify', kind: 'tasks' }]);
    expect(reads(ctx(state, { link: tasksLink, canListTasks: false }))).toEqual([]);
  });
});
