import { describe, expect, it } from 'vitest';
import { plannedCounts, writes } from '../../../src/sync/events/plan-counts.js';
import type { Action, Plan } from '../../../src/sync/events/plan-types.js';

const planOf = (actions: Partial<Action>[]): Plan => ({
  linkId: 'l',
  items: [{ sourceKey: 'a@x', actions: actions as Action[], desired: null }],
  settledIntents: [],
  conflicts: [],
  warnings: [],
  quarantined: [],
  driftSeen: false,
});

describe('planned counts', () => {
  it('counts what apply would count: a replace is a delete and a create, bookkeeping writes nothing', () => {
    const counts = plannedCounts(
      planOf([
        { op: 'create' },
        { op: 'replace' },
        { op: 'update' },
        { op: 'task-complete' },
        { op: 'delete-orphan' },
        { op: 'source-update' },
        { op: 'source-delete' },
        { op: 'adopt' },
        { op: 'record' },
        { op: 'accept-kakao' },
        { op: 'forget' },
      ]),
    );
    expect(counts).toEqual({
      kakao: { created: 2, updated: 2, deleted: 2 },
      source: { created: 0, updated: 1, deleted: 1 },
    });
    expect(writes({ op: 'adopt' } as Action)).toBe(false);
    expect(writes({ op: 'task-create' } as Action)).toBe(true);
  });
});
