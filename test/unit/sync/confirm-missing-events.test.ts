import { describe, expect, it } from 'vitest';
import type { EventDetail } from '../../../src/kakao/types.js';
import { planLink } from '../../../src/sync/events/plan.js';
import {
  confirmMissingEvents,
  missingEvents,
} from '../../../src/sync/verification/confirm-missing-events.js';
import { actionsOf, brief, ev, input, item, link, stateOf, synced } from '../../support/sync-fixtures.js';

// A mapped event missing from the listing of its window is read by id before it counts as deleted
// in Talk Calendar: found (moved far in time), it is an edit; 404, a deletion; unread (quota), unseen.

const A = item('a@x', ev('Dentist', '2025-03-10T01:00:00Z'));
const B = item('b@x', ev('Standup', '2025-03-12T01:00:00Z'));
const state = stateOf(synced(A, 'k1'), synced(B, 'k2'));
const march = { from: '2025-03-01T00:00:00Z', to: '2025-04-01T00:00:00Z' };
/** This run listed March: B is there, A is not. */
const view = { windows: [march], events: [brief('k2', B.units[0]!.event)] };

/** What GET event answers for k1 once moved a year ahead in Talk Calendar. */
const movedDetail = (): EventDetail => ({
  id: 'k1',
  title: 'Dentist',
  type: 'USER',
  calendar_id: 'primary',
  time: { start_at: '2026-03-10T01:00:00Z', end_at: '2026-03-10T02:00:00Z' },
  is_host: true,
  is_recur_event: false,
});

const plan = async (answer: EventDetail | null | 'refused') => {
  const confirmed = await confirmMissingEvents(state, view, {
    readEvent: async () => (answer === 'refused' ? null : answer),
    grant: async () => answer !== 'refused',
  });
  const kakao = { ...view, reads: confirmed.reads, unconfirmed: confirmed.unconfirmed };
  return planLink(
    input({ link: link(), state, source: { full: true, items: [A, B], deletedKeys: [] }, kakao }),
  );
};

describe('events missing from their listed window', () => {
  it('only the mapped event missing from a window read this run is read, by its Kakao id', () => {
    expect(missingEvents(state, view).map((m) => m.read.readId)).toEqual(['k1']);
    // No window read covers it: absence proves nothing, nothing is read.
    expect(missingEvents(state, { windows: [], events: [] })).toEqual([]);
  });

  it('found elsewhere: moved in Talk Calendar, an edit (one-way: moved back), never created again', async () => {
    const p = await plan(movedDetail());
    expect(actionsOf(p)).toMatchObject([{ op: 'update', kakaoId: 'k1' }]);
    expect(actionsOf(p).some((a) => a.op === 'create')).toBe(false);
  });

  it('gone (404): deleted in Talk Calendar, restored as before', async () => {
    expect(actionsOf(await plan(null))).toMatchObject([{ op: 'create' }]);
  });

  it('read refused by the quota: unseen this run, nothing planned', async () => {
    expect(actionsOf(await plan('refused'))).toEqual([]);
  });
});
