import { describe, expect, it } from 'vitest';
import { planLink } from '../../../src/sync/events/plan.js';
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

// "A change on one side beats a deletion on the other": a source deletion on a two-way link is
// only pushed once this run's read shows the Kakao event unchanged; an edited one is restored to
// the source. To-kakao links keep the feed as the truth.

const actions = actionsOf;

const A = item('a@x', ev('Dentist', '2025-03-10T01:00:00Z'));
const mapped = { ...synced(A, 'k1'), href: 'a.ics', etag: '"1"' };
// Another item stays: a source that lists nothing at all is the empty-side guard's case.
const B = item('b@x', ev('Standup', '2025-03-11T00:00:00Z'));
const stays = { ...synced(B, 'k2'), href: 'b.ics', etag: '"1"' };
const gone = { ...fullSource(B), refs: { 'b@x': { href: 'b.ics', etag: '"1"' } } };
const kept = brief('k2', B.units[0]!.event);
const edited = brief('k1', ev('Dentist (moved by phone)', '2025-03-10T02:00:00Z'));

describe('planLink: source deletion on a two-way link', () => {
  it('Kakao unchanged in a window read this run: the deletion is pushed', () => {
    const plan = planLink(
      input({
        link: twoWayLink(),
        state: stateOf(mapped, stays),
        source: gone,
        kakao: { windows: allWindows, events: [brief('k1', A.units[0]!.event), kept] },
      }),
    );
    expect(actions(plan)).toMatchObject([{ op: 'delete', kakaoId: 'k1', reason: 'source-deleted' }]);
  });

  it('Kakao edited since our last write: the item is restored to the source, the event kept', () => {
    const plan = planLink(
      input({
        link: twoWayLink(),
        state: stateOf(mapped, stays),
        source: gone,
        kakao: { windows: allWindows, events: [edited, kept] },
      }),
    );
    expect(actions(plan)).toMatchObject([
      { op: 'source-restore', sourceKey: 'a@x', from: { title: 'Dentist (moved by phone)' } },
      { op: 'accept-kakao', unitKey: 'main' },
    ]);
    expect(actions(plan).some((a) => a.op === 'delete')).toBe(false);
  });

  it('its window not read this run: nothing is deleted, the item is deferred (mapping kept)', () => {
    const plan = planLink(
      input({
        link: twoWayLink(),
        state: stateOf(mapped, stays),
        source: gone,
        kakao: { windows: [], events: [] },
      }),
    );
    expect(plan.items).toEqual([]);
    expect(plan.deferred).toEqual(['a@x']);
  });

  it('a to-kakao link deletes without a read: the feed is the truth', () => {
    const plan = planLink(
      input({
        link: link(),
        state: stateOf(mapped, stays),
        source: gone,
        kakao: { windows: [], events: [] },
      }),
    );
    expect(actions(plan)).toMatchObject([{ op: 'delete', kakaoId: 'k1' }]);
  });
});
