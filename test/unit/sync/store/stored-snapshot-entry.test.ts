import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventCreate } from '../../../../src/kakao/types.js';
import type { SnapshotEntry } from '../../../../src/sync/store/kakao-snapshot.js';
import type { ItemMapping } from '../../../../src/sync/store/mapping.js';
import { ownEventsOf } from '../../../../src/sync/store/own-events.js';
import {
  decodeSnapshotEntry,
  encodeOwnRef,
  ownBrief,
} from '../../../../src/sync/store/stored-snapshot-entry.js';

// Our own events are stored in the snapshot by reference to the link's mapping.

const time = {
  start_at: '2027-01-03T05:00:00Z',
  end_at: '2027-01-03T06:00:00Z',
  time_zone: 'Asia/Seoul',
  all_day: false,
};
const weekly: EventCreate = {
  title: 'Team meeting',
  time,
  description: 'Agenda',
  rrule: 'FREQ=WEEKLY;COUNT=4',
};
const id = '6b16f205761612bd706b7828';

function mapped(kakaoId: string | null, event: EventCreate): ItemMapping {
  const unit = { kakaoId, desiredHash: 'd', kakaoHash: 'k', start: '', end: '', recurring: false };
  return {
    sourceKey: 'uid-1',
    sourceHash: 's',
    contentHash: 'h:s',
    units: { main: { ...unit, instancesApplied: [], event } },
  };
}

describe('snapshot references to our own events', () => {
  const ownEvents = ownEventsOf([['feed', [mapped(id, weekly)]]]);

  it('stores the link alone and reads the event and list entry from the mapping', () => {
    const text = encodeOwnRef(id, 'feed');
    expect(text).not.toContain('Team meeting');
    expect(text.length).toBeLessThan(20);
    expect(decodeSnapshotEntry(id, text, ownEvents)).toStrictEqual({
      key: id,
      linkId: 'feed',
      event: weekly,
      brief: ownBrief(id, weekly),
    });
  });

  it('keeps a listed entry only where it says more than the event', () => {
    const same = encodeOwnRef(id, 'feed', { brief: ownBrief(id, weekly), event: weekly });
    expect(same).toBe(encodeOwnRef(id, 'feed'));
    const listed = { ...ownBrief(id, weekly), calendar_id: 'primary', title: 'Edited in Talk Calendar' };
    const text = encodeOwnRef(id, 'feed', { brief: listed, event: weekly });
    expect(decodeSnapshotEntry(id, text, ownEvents)?.brief).toStrictEqual(listed);
    expect(text).not.toContain('Team meeting'); // only what differs is stored
    const { is_host: _dropped, ...without } = { ...ownBrief(id, weekly), calendar_id: 'primary' };
    const lean = encodeOwnRef(id, 'feed', { brief: without, event: weekly });
    expect(lean.length).toBeLessThan(60);
    expect(decodeSnapshotEntry(id, lean, ownEvents)?.brief).toStrictEqual(without);
  });

  it('drops a reference its link no longer maps (deleted, replaced, or another link)', () => {
    const text = encodeOwnRef(id, 'feed');
    expect(decodeSnapshotEntry(id, text, ownEventsOf([['feed', [mapped(null, weekly)]]]))).toBeUndefined();
    expect(decodeSnapshotEntry(id, text, ownEventsOf([['feed', [mapped('other', weekly)]]]))).toBeUndefined();
    expect(decodeSnapshotEntry(id, text, ownEventsOf([['work', [mapped(id, weekly)]]]))).toBeUndefined();
  });

  it('reads an own entry of the previous version, which carried its event, as it was written', () => {
    const before =
      '1{"Q":"feed","R":{"A":"Team meeting","B":{"H":"^@tr1sk0","I":"^@tr1vc0","J":"Asia/Seoul","K":false},"D":"Agenda","C":"FREQ=WEEKLY;COUNT=4"},"S":"^.mxdr7sco"}';
    const expected: SnapshotEntry = {
      key: id,
      linkId: 'feed',
      event: weekly,
      seenAt: '2026-12-07T21:00:00.456Z',
      brief: { id, title: 'Team meeting', type: 'USER', is_host: true, time, is_recur_event: true },
    };
    expect(decodeSnapshotEntry(id, before, ownEventsOf([]))).toStrictEqual(expected);
  });

  it('resolves any event and list entry to what went in (property)', () => {
    const brief = fc.record(
      {
        id: fc.constant(id),
        title: fc.string(),
        type: fc.constant('USER' as const),
        calendar_id: fc.string(),
        is_host: fc.boolean(),
        time: fc.constant(time),
        is_recur_event: fc.boolean(),
      },
      { requiredKeys: ['time'] },
    );
    const event = fc.record(
      {
        title: fc.string(),
        time: fc.constant(time),
        rrule: fc.constant('FREQ=DAILY'),
        location: fc.record({ name: fc.string() }),
      },
      { requiredKeys: ['title', 'time'] },
    );
    fc.assert(
      fc.property(event, fc.option(brief, { nil: undefined }), fc.string(), (e, listed, linkId) => {
        const text = encodeOwnRef(id, linkId, listed && { brief: listed, event: e });
        const read = decodeSnapshotEntry(
          id,
          text,
          ownEventsOf([[linkId, [mapped(id, JSON.parse(JSON.stringify(e)))]]]),
        );
        const expected = { key: id, linkId, event: e, brief: listed ?? ownBrief(id, e) };
        expect(read).toStrictEqual(JSON.parse(JSON.stringify(expected)));
      }),
      { numRuns: 200 },
    );
  });
});
