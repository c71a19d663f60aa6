import type { RunCounts } from '../../queue/sync-runner.js';
import type { Action, Plan } from './plan-types.js';

// What a plan would write, counted the way apply counts what it wrote (a replace is a delete and a
// create; adopting, recording and accepting write nothing), so a dry run's numbers are the ones
// the real run reports.

type Side = keyof RunCounts;
type Kind = keyof RunCounts['kakao'];

const effects: Partial<Record<Action['op'], [Side, Kind][]>> = {
  create: [['kakao', 'created']],
  'task-create': [['kakao', 'created']],
  replace: [
    ['kakao', 'deleted'],
    ['kakao', 'created'],
  ],
  update: [['kakao', 'updated']],
  'task-update': [['kakao', 'updated']],
  'task-complete': [['kakao', 'updated']],
  delete: [['kakao', 'deleted']],
  'delete-orphan': [['kakao', 'deleted']],
  'task-delete': [['kakao', 'deleted']],
  'source-update': [['source', 'updated']],
  'source-restore': [['source', 'updated']],
  'task-source-status': [['source', 'updated']],
  'task-source-restore': [['source', 'updated']],
  'source-delete': [['source', 'deleted']],
};

/** True when the action writes to Talk Calendar or to the source. */
export function writes(action: Action): boolean {
  return effects[action.op] !== undefined;
}

export function plannedCounts(plan: Plan): RunCounts {
  const counts: RunCounts = {
    kakao: { created: 0, updated: 0, deleted: 0 },
    source: { created: 0, updated: 0, deleted: 0 },
  };
  for (const item of plan.items) {
    for (const action of item.actions) {
      for (const [side, kind] of effects[action.op] ?? []) counts[side][kind]++;
    }
  }
  return counts;
}
