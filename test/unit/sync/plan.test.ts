import { describe, expect, it } from 'vitest';
import { EmptySideError, MassDeletionError } from '../../../src/sync/errors.js';
import { resolveIdentity } from '../../../src/sync/events/identity.js';
import { planLink } from '../../../src/sync/events/plan.js';
import type { Plan } from '../../../src/sync/events/plan-types.js';
import { desiredItemHash } from '../../../src/sync/events/projection.js';
import { emptyLinkState } from '../../../src/sync/store/mapping.js';
import {
  actionsOf,
  allWindows,
  brief,
  ev,
  fullSource,
  input,
  item,
  link,
  stateOf,
  synced,
  twoWayLink,
} from '../../support/sync-fixtures.js';

// Scenarios after vdirsyncer's tests/unit/sync/test_sync.py, adapted to a Kakao target.

const ops = (plan: Plan): string[] =>
  plan.items.flatMap((i) => i.actions.map((a) => `${a.op}:${i.sourceKey}`));
const actions = actionsOf;

const A = item('a@x', ev('Dentist', '2025-03-10T01:00:00Z'));
const B = item('b@x', ev('Standup', '2025-03-11T00:00:00Z'));
const C = item('c@x', ev('Review', '2025-03-12T00:00:00Z'));

/** A state with one open create intent for A's event (written before its create was answered). */
function stateWithDentistIntent() {
  const state = emptyLinkState();
  state.intents.push({
    id: 'i1',
    sourceKey: 'a@x',
    unitKey: 'main',
    title: 'Dentist',
    start: '2025-03-10T01:00:00Z',
    end: '2025-03-10T02:00:00Z',
    allDay: false,
    recurring: false,
    calendarId: 'primary',
    at: '',
  });
  return state;
}

describe('planLink: creation', () => {
  it('first sync (missing status) creates every source item', () => {
    const plan = planLink(
      input({
        state: emptyLinkState(),
        source: fullSource(A, B),
        kakao: { windows: allWindows, events: [] },
      }),
    );
    expect(ops(plan)).toEqual(['create:a@x', 'create:b@x']);
  });

  it('identical items on both sides are adopted, not duplicated', () => {
    const plan = planLink(
      input({
        state: emptyLinkState(),
        source: fullSource(A),
        kakao: { windows: allWindows, events: [brief('k1', A.units[0]!.event)] },
      }),
    );
    expect(actions(plan)).toMatchObject([{ op: 'adopt', kakaoId: 'k1', sourceKey: 'a@x' }]);
  });

  it('different items on both sides: source item created, unmapped Kakao event left alone', () => {
    const plan = planLink(
      input({
        state: emptyLinkState(),
        source: fullSource(A),
        kakao: { windows: allWindows, events: [brief('k9', ev('Other', '2025-03-10T01:00:00Z'))] },
      }),
    );
    expect(ops(plan)).toEqual(['create:a@x']);
  });

  it('an event already mapped by another link is never adopted', () => {
    const plan = planLink(
      input({
        state: emptyLinkState(),
        source: fullSource(A),
        kakao: { windows: allWindows, events: [brief('k1', A.units[0]!.event)] },
        foreignIds: new Set(['k1']),
      }),
    );
    expect(ops(plan)).toEqual(['create:a@x']);
  });

  it('two items with one UID (ident conflict): one is synced, with a warning', () => {
    const twin = item('a@x', ev('Dentist moved', '2025-03-12T01:00:00Z'));
    const plan = planLink(
      input({
        state: emptyLinkState(),
        source: fullSource(A, twin),
        kakao: { windows: allWindows, events: [] },
      }),
    );
    expect(ops(plan)).toEqual(['create:a@x']);
    expect(plan.warnings.join()).toMatch(/share this UID/);
  });
});

describe('planLink: already synced and updates', () => {
  it('already synced: nothing to do, even with Kakao windows read', () => {
    const plan = planLink(
      input({
        state: stateOf(synced(A, 'k1')),
        source: fullSource(A),
        kakao: { windows: allWindows, events: [brief('k1', A.units[0]!.event)] },
      }),
    );
    expect(plan.items).toEqual([]);
  });

  it('source update → one Kakao update; re-running against the new mapping plans nothing', () => {
    const A2 = item('a@x', ev('Dentist (moved)', '2025-03-10T02:00:00Z'));
    const plan = planLink(input({ state: stateOf(synced(A, 'k1')), source: fullSource(A2) }));
    expect(actions(plan)).toMatchObject([
      { op: 'update', kakaoId: 'k1', event: { title: 'Dentist (moved)' } },
    ]);
    const again = planLink(
      input({
        state: stateOf(synced(A2, 'k1')),
        source: fullSource(A2),
        kakao: { windows: allWindows, events: [brief('k1', A2.units[0]!.event)] },
      }),
    );
    expect(again.items).toEqual([]);
  });

  it('rounding and wire formatting never flap (millis, missing time_zone)', () => {
    const e = A.units[0]!.event;
    const wire = {
      ...brief('k1', e),
      time: { start_at: '2025-03-10T01:00:00.000Z', end_at: '2025-03-10T02:00:00.000Z' },
    };
    const plan = planLink(
      input({
        state: stateOf(synced(A, 'k1')),
        source: fullSource(A),
        kakao: { windows: allWindows, events: [wire] },
      }),
    );
    expect(plan.items).toEqual([]);
  });

  it('delta listing: items absent from the delta are unchanged, not deleted', () => {
    const plan = planLink(
      input({
        state: stateOf(synced(A, 'k1'), synced(B, 'k2')),
        source: { full: false, items: [], deletedKeys: [] },
      }),
    );
    expect(plan.items).toEqual([]);
  });
});

describe('planLink: deletions', () => {
  it('source deletion propagates to Kakao', () => {
    const plan = planLink(
      input({
        state: stateOf(synced(A, 'k1'), synced(B, 'k2')),
        source: fullSource(B),
      }),
    );
    expect(actions(plan)).toMatchObject([{ op: 'delete', kakaoId: 'k1', reason: 'source-deleted' }]);
  });

  it('source deletion with propagateDeletes.toKakao=false only forgets the mapping', () => {
    const l = link({ propagateDeletes: { toKakao: false, toSource: false } });
    const plan = planLink(
      input({
        link: l,
        state: stateOf(synced(A, 'k1'), synced(B, 'k2')),
        source: fullSource(B),
      }),
    );
    expect(actions(plan)).toEqual([]);
    expect(plan.items.map((i) => [i.sourceKey, i.desired])).toEqual([['a@x', null]]);
  });

  it('an item unreadable this time is kept as it was, never deleted', () => {
    const plan = planLink(
      input({
        state: stateOf(synced(A, 'k1'), synced(B, 'k2')),
        source: { full: true, items: [B], deletedKeys: [], unreadable: ['a@x'] },
      }),
    );
    expect(plan.items).toEqual([]);
  });

  it('delta deletion by key propagates', () => {
    const plan = planLink(
      input({
        state: stateOf(synced(A, 'k1'), synced(B, 'k2')),
        source: { full: false, items: [], deletedKeys: ['b@x'] },
      }),
    );
    expect(ops(plan)).toEqual(['delete:b@x']);
  });

  it('Kakao deletion of a read-only feed event is reverted (restored)', () => {
    const plan = planLink(
      input({
        state: stateOf(synced(A, 'k1')),
        source: fullSource(A),
        kakao: { windows: allWindows, events: [] },
      }),
    );
    expect(actions(plan)).toMatchObject([{ op: 'create', reason: 'restore-kakao-deletion' }]);
    expect(plan.driftSeen).toBe(true);
  });

  it('Kakao deletion kept with kakaoEditsOfReadOnly=keep, and not re-created next run', () => {
    const l = link({ kakaoEditsOfReadOnly: 'keep' });
    const plan = planLink(
      input({
        link: l,
        state: stateOf(synced(A, 'k1')),
        source: fullSource(A),
        kakao: { windows: allWindows, events: [] },
      }),
    );
    expect(actions(plan)).toMatchObject([{ op: 'accept-kakao', kakaoHash: null }]);
    const kept = synced(A, 'k1');
    kept.units['main']!.kakaoId = null;
    const again = planLink(
      input({
        link: l,
        state: stateOf(kept),
        source: fullSource(A),
        kakao: { windows: allWindows, events: [] },
      }),
    );
    expect(again.items).toEqual([]);
  });

  it('two-way with propagateDeletes.toSource: a Kakao deletion deletes the source item', () => {
    const l = twoWayLink({ propagateDeletes: { toKakao: true, toSource: true } });
    const m = { ...synced(A, 'k1'), href: 'a.ics', etag: '"1"' };
    const mb = { ...synced(B, 'k2'), href: 'b.ics', etag: '"1"' };
    const source = {
      full: true,
      items: [A, B],
      deletedKeys: [],
      refs: { 'a@x': { href: 'a.ics', etag: '"1"' }, 'b@x': { href: 'b.ics', etag: '"1"' } },
    };
    const plan = planLink(
      input({
        link: l,
        state: stateOf(m, mb),
        source,
        kakao: { windows: allWindows, events: [brief('k2', B.units[0]!.event)] },
      }),
    );
    expect(actions(plan)).toMatchObject([{ op: 'source-delete', href: 'a.ics', etag: '"1"' }]);
    // The Talk Calendar calendar listing nothing at all (deleted in Talk Calendar) stops the link.
    const emptied = input({
      link: l,
      state: stateOf(m, mb),
      source,
      kakao: { windows: allWindows, events: [] },
    });
    expect(() => planLink(emptied)).toThrow(
      /the Talk Calendar lists no item at all while 2 items are synced/,
    );
  });

  it('most of a source deleted stops with MassDeletionError; force allows it', () => {
    const items = Array.from({ length: 7 }, (_, n) => item(`u${n}`, ev(`E${n}`, `2025-03-1${n}T00:00:00Z`)));
    const state = stateOf(...items.map((i, n) => synced(i, `k${n}`)));
    const one = fullSource(items[6]!);
    expect(() => planLink(input({ state, source: one }))).toThrow(MassDeletionError);
    const forced = planLink(input({ state, source: one, force: true }));
    expect(ops(forced)).toHaveLength(6);
  });

  it('a source that lists nothing at all stops the link however few items it had; force allows it', () => {
    const state = stateOf(synced(A, 'k1'), synced(B, 'k2'));
    expect(() => planLink(input({ state, source: fullSource() }))).toThrow(EmptySideError);
    expect(() => planLink(input({ state, source: fullSource() }))).toThrow(/the source lists no item at all/);
    expect(ops(planLink(input({ state, source: fullSource(), force: true })))).toEqual([
      'delete:a@x',
      'delete:b@x',
    ]);
  });

  it('few deletions below massDeleteMinItems pass the guard', () => {
    const plan = planLink(
      input({
        state: stateOf(synced(A, 'k1'), synced(B, 'k2'), synced(C, 'k3')),
        source: fullSource(C),
      }),
    );
    expect(ops(plan)).toEqual(['delete:a@x', 'delete:b@x']);
  });
});

describe('planLink: both sides changed', () => {
  const A2 = item('a@x', ev('Dentist (source)', '2025-03-10T01:00:00Z'));
  const kakaoEdit = brief('k1', ev('Dentist (kakao)', '2025-03-10T01:00:00Z'));
  const m = { ...synced(A, 'k1'), href: 'a.ics', etag: '"1"' };
  const source = {
    full: true,
    items: [A2],
    deletedKeys: [],
    refs: { 'a@x': { href: 'a.ics', etag: '"2"' } },
  };
  const kakao = { windows: allWindows, events: [kakaoEdit] };

  it('source-wins updates Kakao', () => {
    const plan = planLink(
      input({ link: twoWayLink({ conflict: 'source-wins' }), state: stateOf(m), source, kakao }),
    );
    expect(actions(plan)).toMatchObject([{ op: 'update', event: { title: 'Dentist (source)' } }]);
  });

  it('kakao-wins writes the Kakao version back to the source', () => {
    const plan = planLink(
      input({ link: twoWayLink({ conflict: 'kakao-wins' }), state: stateOf(m), source, kakao }),
    );
    expect(actions(plan).map((a) => a.op)).toEqual(['source-update', 'accept-kakao']);
  });

  it('manual records a conflict and changes nothing', () => {
    const plan = planLink(
      input({ link: twoWayLink({ conflict: 'manual' }), state: stateOf(m), source, kakao }),
    );
    expect(actions(plan)).toEqual([]);
    expect(plan.conflicts).toMatchObject([{ sourceKey: 'a@x', unitKey: 'main' }]);
  });

  it('manual with a stored resolution applies it', () => {
    const resolved = { ...m, conflict: { at: 'x', detail: 'y', resolution: 'source' as const } };
    const plan = planLink(
      input({ link: twoWayLink({ conflict: 'manual' }), state: stateOf(resolved), source, kakao }),
    );
    expect(actions(plan).map((a) => a.op)).toEqual(['update']);
  });

  it('a read-only feed edit in Kakao is reverted, or kept by policy', () => {
    const revert = planLink(input({ state: stateOf(synced(A, 'k1')), source: fullSource(A), kakao }));
    expect(actions(revert)).toMatchObject([
      { op: 'update', reason: 'revert-kakao-edit', event: { title: 'Dentist' } },
    ]);
    const keep = planLink(
      input({
        link: link({ kakaoEditsOfReadOnly: 'keep' }),
        state: stateOf(synced(A, 'k1')),
        source: fullSource(A),
        kakao,
      }),
    );
    expect(actions(keep).map((a) => a.op)).toEqual(['accept-kakao']);
  });

  it('changed in the source, deleted in Kakao: the change wins (restored)', () => {
    const plan = planLink(
      input({
        state: stateOf(synced(A, 'k1')),
        source: fullSource(A2),
        kakao: { windows: allWindows, events: [] },
      }),
    );
    expect(actions(plan)).toMatchObject([{ op: 'create', reason: 'changed-beats-deletion' }]);
  });

  it('deleted in the source, edited in Kakao: the Kakao event is kept, not deleted', () => {
    const plan = planLink(input({ state: stateOf(synced(A, 'k1')), source: fullSource(), kakao }));
    expect(actions(plan)).toEqual([]);
    expect(plan.warnings.join()).toMatch(/edited in Talk Calendar/);
  });
});

describe('planLink: windows, horizon and foreign events', () => {
  it('a mapped event outside the windows read this run is never deleted for being unseen', () => {
    const plan = planLink(
      input({
        state: stateOf(synced(A, 'k1')),
        source: fullSource(A),
        kakao: { windows: [{ from: '2025-05-01T00:00:00Z', to: '2025-06-01T00:00:00Z' }], events: [] },
      }),
    );
    expect(plan.items).toEqual([]);
  });

  it("other apps' events (time only) are never touched nor adopted", () => {
    const foreign = { time: A.units[0]!.event.time };
    const plan = planLink(
      input({
        state: emptyLinkState(),
        source: fullSource(A),
        kakao: { windows: allWindows, events: [foreign] },
      }),
    );
    expect(ops(plan)).toEqual(['create:a@x']);
  });

  it('items outside the horizon are not created; past mapped items vanishing from a feed are not deleted', () => {
    const old = item('old@x', ev('Old', '2024-01-01T00:00:00Z'));
    const far = item('far@x', ev('Far', '2027-01-01T00:00:00Z'));
    const created = planLink(input({ state: emptyLinkState(), source: fullSource(old, far) }));
    expect(actions(created)).toEqual([]);
    const dropped = planLink(input({ state: stateOf(synced(old, 'k0')), source: fullSource() }));
    expect(actions(dropped)).toEqual([]);
  });
});

describe('planLink: recurring items', () => {
  const weekly = ev('Weekly', '2025-03-03T00:00:00Z', 1, { rrule: 'FREQ=WEEKLY;COUNT=10' });
  const exdate = { instanceStart: '20250310T000000Z', action: 'delete' as const, scope: 'THIS' as const };
  const R = item('r@x', weekly, [exdate]);

  it('create carries the instance operations; a re-run plans nothing', () => {
    const plan = planLink(input({ state: emptyLinkState(), source: fullSource(R) }));
    expect(actions(plan)).toMatchObject([{ op: 'create', instances: [exdate] }]);
    const instanceBriefs = ['20250303T000000Z', '20250317T000000Z'].map((s) => ({
      ...brief(`k1_${s}`, weekly),
      time: {
        ...weekly.time,
        start_at: `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T00:00:00Z`,
        end_at: `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T01:00:00Z`,
      },
    }));
    const again = planLink(
      input({
        state: stateOf(synced(R, 'k1')),
        source: fullSource(R),
        kakao: { windows: allWindows, events: instanceBriefs },
      }),
    );
    expect(again.items).toEqual([]);
  });

  it('a new EXDATE is one instance operation; the series itself is only recorded', () => {
    const more = { instanceStart: '20250317T000000Z', action: 'delete' as const, scope: 'THIS' as const };
    const R2 = item('r@x', weekly, [exdate, more]);
    const plan = planLink(input({ state: stateOf(synced(R, 'k1')), source: fullSource(R2) }));
    expect(actions(plan)).toEqual([
      expect.objectContaining({ op: 'record', applied: ['20250310T000000Z:delete:THIS'] }),
      expect.objectContaining({ op: 'instance', kakaoId: 'k1', instance: more }),
    ]);
  });

  it('a changed override is sent again as one instance update', () => {
    const move = (title: string) => ({
      instanceStart: '20250317T000000Z',
      action: 'update' as const,
      scope: 'THIS' as const,
      update: { title, time: { start_at: '2025-03-17T02:00:00Z', end_at: '2025-03-17T03:00:00Z' } },
    });
    const before = item('r@x', weekly, [exdate, move('Moved')]);
    const after = item('r@x', weekly, [exdate, move('Moved again')]);
    const plan = planLink(input({ state: stateOf(synced(before, 'k1')), source: fullSource(after) }));
    expect(actions(plan)).toEqual([
      // The changed override no longer counts as applied, so a failed send is retried next run.
      expect.objectContaining({ op: 'record', applied: ['20250310T000000Z:delete:THIS'] }),
      expect.objectContaining({ op: 'instance', instance: move('Moved again') }),
    ]);
  });

  it('an exception change while Talk Calendar shows an edit of the series reverts the series too', () => {
    const more = { instanceStart: '20250317T000000Z', action: 'delete' as const, scope: 'THIS' as const };
    const R2 = item('r@x', weekly, [exdate, more]);
    const edited = { ...brief('k1_20250303T000000Z', weekly), title: 'Renamed in Kakao' };
    const plan = planLink(
      input({
        state: stateOf(synced(R, 'k1')),
        source: fullSource(R2),
        kakao: { windows: allWindows, events: [edited] },
      }),
    );
    expect(actions(plan)).toMatchObject([{ op: 'update', instances: [more] }]);
  });

  it('a new COUNT or UNTIL is an update with the new rule; the exceptions stay applied', () => {
    for (const rrule of ['FREQ=WEEKLY;COUNT=5', 'FREQ=WEEKLY;UNTIL=20250401T000000Z', 'FREQ=WEEKLY']) {
      const R2 = item('r@x', { ...weekly, rrule }, [exdate]);
      const plan = planLink(input({ state: stateOf(synced(R, 'k1')), source: fullSource(R2) }));
      expect(actions(plan)).toEqual([
        expect.objectContaining({
          op: 'update',
          kakaoId: 'k1',
          event: expect.objectContaining({ rrule }),
          instances: [],
          applied: ['20250310T000000Z:delete:THIS'],
        }),
      ]);
    }
  });

  it('a series shortened past an exception: an update, the exception gone with its instance', () => {
    const late = { instanceStart: '20250324T000000Z', action: 'delete' as const, scope: 'THIS' as const };
    const before = item('r@x', weekly, [exdate, late]);
    const R2 = item('r@x', { ...weekly, rrule: 'FREQ=WEEKLY;COUNT=3' }, [exdate]);
    const plan = planLink(input({ state: stateOf(synced(before, 'k1')), source: fullSource(R2) }));
    expect(actions(plan)).toEqual([
      expect.objectContaining({ op: 'update', applied: ['20250310T000000Z:delete:THIS'] }),
    ]);
  });

  it('another rule change on a recurrence with exceptions is delete + create (replace)', () => {
    for (const rrule of ['FREQ=DAILY;COUNT=10', 'FREQ=WEEKLY;INTERVAL=2;COUNT=10']) {
      const R2 = item('r@x', { ...weekly, rrule }, [exdate]);
      const plan = planLink(input({ state: stateOf(synced(R, 'k1')), source: fullSource(R2) }));
      expect(actions(plan)).toMatchObject([{ op: 'replace', kakaoId: 'k1' }]);
    }
  });

  it('a new COUNT that undoes an exception the series still has is a replace', () => {
    const R2 = item('r@x', { ...weekly, rrule: 'FREQ=WEEKLY;COUNT=5' }, []);
    const plan = planLink(input({ state: stateOf(synced(R, 'k1')), source: fullSource(R2) }));
    expect(actions(plan).map((a) => a.op)).toEqual(['replace']);
  });

  it('an undone EXDATE (instance restored) forces replace', () => {
    const R2 = item('r@x', weekly, []);
    const plan = planLink(input({ state: stateOf(synced(R, 'k1')), source: fullSource(R2) }));
    expect(actions(plan).map((a) => a.op)).toEqual(['replace']);
  });
});

describe('planLink: quarantine and intents', () => {
  it('a quarantined item is skipped until its source changes', () => {
    const q = (hash: string) => ({
      sourceKey: 'a@x',
      sourceHash: hash,
      contentHash: 'x',
      units: {},
      quarantine: { reason: 'code -2', sourceHash: hash, at: '' },
    });
    const skipped = planLink(input({ state: stateOf(q(desiredItemHash(A))), source: fullSource(A) }));
    expect(actions(skipped)).toEqual([]);
    expect(skipped.quarantined).toEqual(['a@x']);
    const lifted = planLink(input({ state: stateOf(q('older')), source: fullSource(A) }));
    expect(ops(lifted)).toEqual(['create:a@x']);
  });

  it('an open intent whose window was not read blocks a second create', () => {
    const state = stateWithDentistIntent();
    const plan = planLink(
      input({
        state,
        source: fullSource(A),
        kakao: { windows: [], events: [] },
      }),
    );
    expect(actions(plan)).toEqual([]);
    expect(plan.settledIntents).toEqual([]);
  });

  it('an open intent whose event exists is adopted; one whose item is gone deletes the orphan', () => {
    const state = stateWithDentistIntent();
    const kakao = { windows: allWindows, events: [brief('k7', A.units[0]!.event)] };
    const adopt = planLink(input({ state, source: fullSource(A), kakao }));
    expect(actions(adopt)).toMatchObject([{ op: 'adopt', kakaoId: 'k7' }]);
    expect(adopt.settledIntents).toEqual(['i1']);
    const orphan = planLink(input({ state, source: fullSource(), kakao }));
    expect(actions(orphan)).toMatchObject([{ op: 'delete-orphan', kakaoId: 'k7' }]);
  });

  it('an intent younger than intentSettleAfterMs is never settled by a window read, nor created again', () => {
    // A worker that lost its lock may still land this create: concluding "not created" would duplicate.
    const state = stateWithDentistIntent();
    state.intents[0]!.at = '2025-02-28T23:59:30Z'; // 30 s before NOW
    const kakao = { windows: allWindows, events: [] };
    const young = planLink(input({ state, source: fullSource(A), kakao, intentSettleAfterMs: 45_000 }));
    expect(actions(young)).toEqual([]);
    expect(young.settledIntents).toEqual([]);
    expect(young.warnings.join('\n')).toContain('a@x/main: an interrupted create is not reconciled yet');
    expect(young.waiting).toEqual(['a@x']); // reported, and the source cursor is kept
    const old = planLink(input({ state, source: fullSource(A), kakao, intentSettleAfterMs: 30_000 }));
    expect(ops(old)).toEqual(['create:a@x']);
    expect(old.settledIntents).toEqual(['i1']);
  });
});

describe('identity: UID-minting feeds', () => {
  it('switches to content identity when UIDs change but content does not', () => {
    const items = [A, B, item('c@x', ev('Lunch', '2025-03-12T03:00:00Z'))];
    const state = stateOf(...items.map((i, n) => synced(i, `k${n}`)));
    const minted = items.map((i, n) => ({ ...i, sourceKey: `new-${n}@feed` }));
    const id = resolveIdentity(state, minted, true);
    expect(id.switched).toBe(true);
    const plan = planLink(
      input({
        state: { ...state, items: id.mapped, identityMode: 'content' },
        source: { full: true, items: id.items, deletedKeys: [] },
      }),
    );
    expect(plan.items.flatMap((i) => i.actions)).toEqual([]);
  });

  it('keeps UID identity for an ordinary feed with a few new events', () => {
    const state = stateOf(synced(A, 'k1'), synced(B, 'k2'));
    const id = resolveIdentity(state, [A, B, item('c@x', ev('Lunch', '2025-03-12T03:00:00Z'))], true);
    expect(id.switched).toBe(false);
    expect(id.mode).toBe('uid');
  });
});
