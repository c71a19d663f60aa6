import { describe, expect, it } from 'vitest';
import { syncSummary } from '../../../src/daemon/sync-summary.js';
import type { EventCreate } from '../../../src/kakao/types.js';
import type { Action, Plan } from '../../../src/sync/events/plan-types.js';
import type { LinkSummary } from '../../../src/sync/sync-user.js';

const event = (title: string): EventCreate =>
  ({ title, time: { start_at: '2026-05-04T00:00:00Z', end_at: '2026-05-04T01:00:00Z' } }) as EventCreate;

const create = (key: string): Action => ({
  op: 'create',
  sourceKey: key,
  unitKey: 'main',
  event: event(`Event ${key}`),
  instances: [],
  desiredHash: 'h',
  reason: 'new in the source',
});

const update: Action = {
  op: 'update',
  sourceKey: 'moved@x',
  unitKey: 'main',
  kakaoId: 'k1',
  event: event('주간 회의'),
  recurring: false,
  instances: [],
  allInstances: [],
  desiredHash: 'h2',
  reason: 'changed in the source',
} as unknown as Action;

function plan(linkId: string, actions: Action[]): Plan {
  return {
    linkId,
    items: actions.map((a) => ({
      sourceKey: 'sourceKey' in a ? a.sourceKey : '',
      actions: [a],
      desired: null,
    })),
    settledIntents: [],
    conflicts: [],
    warnings: [],
    quarantined: [],
    driftSeen: false,
  };
}

function link(linkId: string, actions: Action[], extra: Partial<LinkSummary> = {}): LinkSummary {
  return {
    linkId,
    counts: { kakao: { created: 0, updated: 0, deleted: 0 }, source: { created: 0, updated: 0, deleted: 0 } },
    skipped: null,
    warnings: [],
    conflicts: [],
    quarantined: [],
    failed: [],
    calls: {},
    plan: plan(linkId, actions),
    ...extra,
  };
}

describe('sync summary', () => {
  it('counts a dry run from its plan, so an update in the plan is "1 to update"', () => {
    const text = syncSummary(
      { result: { userId: '1', links: [link('work', [update])], calls: {}, durationMs: 5 } },
      { userId: '1', dryRun: true },
    );
    expect(text).toContain('dry run of user 1: nothing was written');
    expect(text).toContain('Talk Calendar: 0 to create, 1 to update, 0 to delete');
    expect(text).toContain(
      'work  moved@x: update k1 → "주간 회의" at 2026-05-04T00:00:00Z — changed in the source',
    );
  });

  it('reports a real run from what was applied, with the first changes and how many more', () => {
    const actions = Array.from({ length: 13 }, (_, i) => create(`e${i}@x`));
    const applied = link('work', actions, {
      counts: {
        kakao: { created: 13, updated: 0, deleted: 0 },
        source: { created: 0, updated: 0, deleted: 0 },
      },
      warnings: ['e1@x: title cut to 50 characters'],
    });
    const lines = syncSummary(
      { result: { userId: '1', links: [applied], calls: {}, durationMs: 1234 } },
      { userId: '1', dryRun: false },
    ).split('\n');
    expect(lines[0]).toBe('sync of user 1 done in 1.2 s');
    expect(lines).toContain('Talk Calendar: 13 created, 0 updated, 0 deleted');
    expect(lines).toContain('changes (13):');
    expect(lines.filter((l) => / {2}work {2}e\d+@x: create/.test(l))).toHaveLength(10);
    expect(lines).toContain('  … 3 more (--json shows all)');
    expect(lines).toContain('warnings (1):');
    expect(lines.length).toBeLessThan(25);
  });

  it('names failed, guarded and skipped links, conflicts and failed items', () => {
    const text = syncSummary(
      {
        result: {
          userId: '1',
          links: [
            link('feed', [], { plan: null, error: 'ICS feed http://x/: the server answered HTTP 404' }),
            link('big', [], { skipped: 'mass-deletion' }),
            link('cal', [], {
              conflicts: [{ sourceKey: 'c@x', unitKey: 'main', detail: 'changed on both sides' }],
              failed: [{ sourceKey: 'f@x', error: 'Kakao -2' }],
            }),
          ],
          calls: {},
          durationMs: 10,
        },
      },
      { userId: '1', dryRun: false },
    );
    expect(text).toContain('link feed: failed — ICS feed http://x/: the server answered HTTP 404');
    expect(text).toContain('link big: stopped by the mass-deletion guard (sync --force passes it)');
    expect(text).toContain('  cal  c@x: changed on both sides');
    expect(text).toContain('  cal  f@x: Kakao -2');
    expect(text).not.toContain('changes (');
  });

  it('says when the sync was skipped', () => {
    expect(syncSummary({ skipped: 'user paused' }, { userId: '1', dryRun: false })).toBe(
      'sync of 1 skipped: user paused',
    );
  });
});
