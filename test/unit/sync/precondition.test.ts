import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventDetail } from '../../../src/kakao/types.js';
import type { ConflictPolicy } from '../../../src/model/link.js';
import { checkPreconditions } from '../../../src/sync/events/apply-precondition.js';
import { formatPlan } from '../../../src/sync/events/format-plan.js';
import { planLink } from '../../../src/sync/events/plan.js';
import type { PlanInput } from '../../../src/sync/events/plan-types.js';
import type { PreconditionRead } from '../../../src/sync/events/precondition.js';
import { replanItem } from '../../../src/sync/events/replan.js';
import {
  actionsOf,
  brief,
  ev,
  input,
  item,
  link,
  stateOf,
  synced,
  twoWayLink,
} from '../../support/sync-fixtures.js';

// Two-way links read a Kakao event before overwriting or deleting it when no listing of this run
// showed it (Kakao has no ETag); a Talk Calendar edit the read shows meets the conflict policy.

const A = item('a@x', ev('Dentist', '2025-03-10T01:00:00Z', 1, { description: 'bring card' }));
const A2 = item('a@x', ev('Dentist (source)', '2025-03-10T01:00:00Z', 1, { description: 'bring card' }));
const m = { ...synced(A, 'k1'), href: 'a.ics', etag: '"1"' };
const source = { full: true, items: [A2], deletedKeys: [], refs: { 'a@x': { href: 'a.ics', etag: '"2"' } } };
/** This run listed no window: the Kakao side of the unit is unseen. */
const unlisted = { windows: [], events: [] };

const planInput = (conflict: ConflictPolicy = 'manual', over: Partial<PlanInput> = {}) =>
  input({ link: twoWayLink({ conflict }), state: stateOf(m), source, kakao: unlisted, ...over });

/** What GET event answers for k1 after `edit` in Talk Calendar. */
function detail(edit: Partial<EventDetail> = {}): EventDetail {
  const e = A.units[0]!.event;
  return {
    id: 'k1',
    title: e.title,
    type: 'USER',
    calendar_id: 'primary',
    time: e.time,
    is_host: true,
    is_recur_event: false,
    description: 'bring card',
    ...edit,
  };
}

describe('planner: which writes read first', () => {
  it('a two-way update of an event no listing showed carries a precondition on that event', () => {
    const plan = planLink(planInput());
    expect(actionsOf(plan)).toMatchObject([{ op: 'update', kakaoId: 'k1' }]);
    expect(plan.items[0]!.preconditions).toEqual([{ unitKey: 'main', kakaoId: 'k1', readId: 'k1' }]);
  });

  it('a dry run shows the read before the write', () => {
    expect(formatPlan(planLink(planInput()))).toEqual([
      'link l1:',
      '  a@x: read k1 first (no listing showed it this run)',
      '  a@x: update k1 → "Dentist (source)" at 2025-03-10T01:00:00Z — source-changed',
    ]);
  });

  it('none when this run listed the event, and none on a one-way link', () => {
    const listed = { windows: [{ from: '2025-03-01T00:00:00Z', to: '2025-03-31T00:00:00Z' }], events: [] };
    const withListing = planLink(
      planInput('manual', { kakao: { ...listed, events: [brief('k1', A.units[0]!.event)] } }),
    );
    expect(actionsOf(withListing)).toMatchObject([{ op: 'update' }]);
    expect(withListing.items[0]!.preconditions).toBeUndefined();
    const oneWay = planLink(planInput('manual', { link: link() }));
    expect(actionsOf(oneWay)).toMatchObject([{ op: 'update' }]);
    expect(oneWay.items[0]!.preconditions).toBeUndefined();
  });

  it('a recurrence is read through its first instance, unless we changed that instance', () => {
    const rec = item('r@x', ev('Weekly', '2025-03-10T01:00:00Z', 1, { rrule: 'FREQ=WEEKLY;COUNT=4' }));
    const rec2 = item('r@x', ev('Weekly!', '2025-03-10T01:00:00Z', 1, { rrule: 'FREQ=WEEKLY;COUNT=4' }));
    const plan = planLink(
      input({
        link: twoWayLink(),
        state: stateOf(synced(rec, 'k9')),
        source: { full: true, items: [rec2], deletedKeys: [] },
      }),
    );
    expect(plan.items[0]!.preconditions).toEqual([
      { unitKey: 'main', kakaoId: 'k9', readId: 'k9_20250310T010000Z' },
    ]);
    const firstMoved = [
      {
        instanceStart: '20250310T010000Z',
        action: 'update' as const,
        scope: 'THIS' as const,
        update: { title: 'x' },
      },
    ];
    const recX = item('r@x', rec.units[0]!.event, firstMoved);
    const recX2 = item('r@x', rec2.units[0]!.event, firstMoved);
    const noRead = planLink(
      input({
        link: twoWayLink(),
        state: stateOf(synced(recX, 'k9')),
        source: { full: true, items: [recX2], deletedKeys: [] },
      }),
    );
    expect(noRead.items[0]!.preconditions).toBeUndefined();
  });
});

describe('re-plan after a precondition read', () => {
  const replan = (policy: ConflictPolicy, read: PreconditionRead) => {
    const i = planInput(policy);
    const planned = planLink(i).items[0]!;
    return replanItem(i, planned, new Map([['k1', read]]));
  };
  const edited = { brief: brief('k1', ev('Dentist (kakao)', '2025-03-10T01:00:00Z')) };

  it('manual: a conflict, nothing written on either side', () => {
    const r = replan('manual', edited);
    expect(r.item.actions).toEqual([]);
    expect(r.conflicts).toMatchObject([{ sourceKey: 'a@x', unitKey: 'main' }]);
    expect(r.item.conflict).toBe('changed in both the source and Talk Calendar');
  });

  it('kakao-wins: the Talk Calendar version is written back; source-wins: Kakao is updated', () => {
    expect(replan('kakao-wins', edited).item.actions.map((a) => a.op)).toEqual([
      'source-update',
      'accept-kakao',
    ]);
    expect(replan('source-wins', edited).item.actions).toMatchObject([
      { op: 'update', event: { title: 'Dentist (source)' } },
    ]);
  });

  it('a description edited in Talk Calendar is a Kakao edit too; a 404 means deleted (the change restores it)', () => {
    const described = {
      brief: brief('k1', A.units[0]!.event),
      detail: { description: 'bring card and ID', location: '' },
    };
    expect(replan('manual', described).conflicts).toHaveLength(1);
    expect(replan('kakao-wins', described).item.actions[0]).toMatchObject({
      op: 'source-update',
      detail: { description: 'bring card and ID' },
    });
    expect(replan('manual', null).item.actions).toMatchObject([
      { op: 'create', reason: 'changed-beats-deletion' },
    ]);
  });
});

describe('checkPreconditions (apply side)', () => {
  const i = planInput('manual');
  const planned = planLink(i).items[0]!;
  const deps = (answer: EventDetail | null | 'refused') => ({
    read: async () => answer,
    replan: (p: typeof planned, reads: ReadonlyMap<string, PreconditionRead>) => replanItem(i, p, reads),
  });

  it('the event as recorded: the item goes ahead as planned', async () => {
    const checked = await checkPreconditions(planned, m, deps(detail()));
    expect(checked).toEqual({ kind: 'as-planned', item: planned });
  });

  it('an edit in Talk Calendar: re-planned (manual → conflict); a refused read: deferred', async () => {
    const checked = await checkPreconditions(planned, m, deps(detail({ title: 'Dentist (kakao)' })));
    expect(checked.kind).toBe('replanned');
    if (checked.kind === 'replanned') expect(checked.item.conflict).toBeDefined();
    expect(await checkPreconditions(planned, m, deps('refused'))).toMatchObject({ kind: 'deferred' });
  });

  it('property: the item goes ahead unchanged exactly when the read shows what the mapping recorded', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          title: fc.constantFrom('Dentist', 'Dentist (kakao)'),
          description: fc.constantFrom('bring card', 'bring card and ID'),
          hour: fc.constantFrom('01', '02'),
          location: fc.option(fc.constantFrom('Clinic'), { nil: undefined }),
        }),
        async (e) => {
          const time = { ...A.units[0]!.event.time, start_at: `2025-03-10T${e.hour}:00:00Z` };
          const read = detail({
            title: e.title,
            description: e.description,
            time,
            ...(e.location ? { location: { name: e.location } } : {}),
          });
          const same =
            e.title === 'Dentist' && e.description === 'bring card' && e.hour === '01' && !e.location;
          const checked = await checkPreconditions(planned, m, deps(read));
          expect(checked.kind).toBe(same ? 'as-planned' : 'replanned');
        },
      ),
    );
  });
});
