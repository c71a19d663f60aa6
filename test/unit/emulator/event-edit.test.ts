import { describe, expect, it } from 'vitest';
import { KakaoApiFailure } from '../../../src/emulator/errors.js';
import { buildEvent, deleteEvent, editEvent } from '../../../src/emulator/event-edit.js';
import { EventIndex } from '../../../src/emulator/event-index.js';
import { instanceId, instancesInWindow } from '../../../src/emulator/event-view.js';
import type { EventCreate } from '../../../src/kakao/types.js';

const now = new Date('2024-04-01T00:00:00Z');
const from = new Date('2024-05-01T00:00:00Z');
const to = new Date('2024-05-31T00:00:00Z');

/** An index holding one event built from `body` in the primary calendar. */
function indexed(body: EventCreate) {
  const index = new EventIndex();
  const event = buildEvent(body, 'primary', now);
  index.add(event);
  return { index, event };
}

function daily(count = 5) {
  return indexed({
    title: 'Daily',
    time: { start_at: '2024-05-01T01:00:00Z', end_at: '2024-05-01T02:00:00Z', time_zone: 'Asia/Seoul' },
    rrule: `FREQ=DAILY;COUNT=${count}`,
  });
}

/** A one-hour single event titled 'One' starting at `day` 00:00 UTC (yyyy-MM-dd). */
function oneHour(day: string) {
  return indexed({ title: 'One', time: { start_at: `${day}T00:00:00Z`, end_at: `${day}T01:00:00Z` } });
}

function listed(index: EventIndex) {
  const { single, recurring } = index.candidates(from, to);
  return [...single, ...recurring]
    .flatMap((e) => instancesInWindow(e, from, to))
    .sort((a, b) => a.time.start.getTime() - b.time.start.getTime())
    .map((i) => ({ id: instanceId(i), start: i.time.start.toISOString(), title: i.title }));
}

describe('recurring edits', () => {
  it('THIS delete removes one instance and its id is then unknown', () => {
    const { index, event } = daily();
    deleteEvent(index, `${event.id}_20240502T010000Z`, 'THIS', now);
    expect(listed(index).map((l) => l.id)).not.toContain(`${event.id}_20240502T010000Z`);
    expect(listed(index)).toHaveLength(4);
    expect(() => deleteEvent(index, `${event.id}_20240502T010000Z`, 'THIS', now)).toThrow(KakaoApiFailure);
  });

  it('THIS edit moves one instance and keeps its id', () => {
    const { index, event } = daily();
    editEvent(index, {
      eventId: `${event.id}_20240503T010000Z`,
      recurUpdateType: 'THIS',
      patch: { title: 'Moved', time: { start_at: '2024-05-03T05:00:00Z', end_at: '2024-05-03T06:00:00Z' } },
      now,
    });
    const moved = listed(index).find((l) => l.id === `${event.id}_20240503T010000Z`);
    expect(moved).toEqual({
      id: `${event.id}_20240503T010000Z`,
      start: '2024-05-03T05:00:00.000Z',
      title: 'Moved',
    });
    expect(listed(index).filter((l) => l.title === 'Daily')).toHaveLength(4);
  });

  it('THIS_AND_FOLLOWING edit splits the series into two events', () => {
    const { index, event } = daily();
    const newId = editEvent(index, {
      eventId: `${event.id}_20240503T010000Z`,
      recurUpdateType: 'THIS_AND_FOLLOWING',
      patch: { title: 'Later' },
      now,
    });
    expect(newId).not.toBe(event.id);
    const rows = listed(index);
    expect(rows.map((r) => r.title)).toEqual(['Daily', 'Daily', 'Later', 'Later', 'Later']);
    expect(rows[2]!.id).toBe(`${newId}_20240503T010000Z`);
    expect(index.byId.get(event.id)!.rrule).toBe('FREQ=DAILY;UNTIL=20240503T005959Z');
    expect(index.byId.get(newId)!.rrule).toBe('FREQ=DAILY;COUNT=3');
  });

  it('ALL with a new time moves every instance by the same offset', () => {
    const { index, event } = daily(3);
    editEvent(index, {
      eventId: `${event.id}_20240502T010000Z`,
      recurUpdateType: 'ALL',
      patch: { time: { start_at: '2024-05-02T03:00:00Z', end_at: '2024-05-02T03:30:00Z' } },
      now,
    });
    expect(listed(index).map((l) => l.start)).toEqual([
      '2024-05-01T03:00:00.000Z',
      '2024-05-02T03:00:00.000Z',
      '2024-05-03T03:00:00.000Z',
    ]);
  });

  it('THIS_AND_FOLLOWING delete ends the series before the instance', () => {
    const { index, event } = daily();
    deleteEvent(index, `${event.id}_20240504T010000Z`, 'THIS_AND_FOLLOWING', now);
    expect(listed(index)).toHaveLength(3);
    deleteEvent(index, `${event.id}_20240501T010000Z`, 'THIS_AND_FOLLOWING', now);
    expect(index.size).toBe(0);
  });

  it('needs recur_update_type and an instance id', () => {
    const { index, event } = daily();
    expect(() => editEvent(index, { eventId: event.id, patch: { title: 'x' }, now })).toThrow(
      /recur_update_type/,
    );
    expect(() =>
      editEvent(index, { eventId: event.id, recurUpdateType: 'THIS', patch: { title: 'x' }, now }),
    ).toThrow(/instance/);
    expect(() => deleteEvent(index, `${event.id}_20240502T010000Z`, undefined, now)).toThrow(
      /recur_update_type/,
    );
  });

  it('rrule "" with ALL makes a one-time event', () => {
    const { index, event } = daily();
    editEvent(index, { eventId: event.id, recurUpdateType: 'ALL', patch: { rrule: '' }, now });
    expect(listed(index)).toEqual([{ id: event.id, start: '2024-05-01T01:00:00.000Z', title: 'Daily' }]);
  });

  it('a new rule end with ALL keeps the id and the exceptions of instances it still has', () => {
    const { index, event } = daily(6);
    deleteEvent(index, `${event.id}_20240502T010000Z`, 'THIS', now);
    deleteEvent(index, `${event.id}_20240506T010000Z`, 'THIS', now);
    editEvent(index, {
      eventId: `${event.id}_20240503T010000Z`,
      recurUpdateType: 'THIS',
      patch: { title: 'Moved' },
      now,
    });
    editEvent(index, {
      eventId: `${event.id}_20240504T010000Z`,
      recurUpdateType: 'THIS',
      patch: { title: 'Late' },
      now,
    });
    editEvent(index, {
      eventId: `${event.id}_20240501T010000Z`,
      recurUpdateType: 'ALL',
      patch: { rrule: 'FREQ=DAILY;COUNT=3' },
      now,
    });
    expect(listed(index)).toEqual([
      { id: `${event.id}_20240501T010000Z`, start: '2024-05-01T01:00:00.000Z', title: 'Daily' },
      { id: `${event.id}_20240503T010000Z`, start: '2024-05-03T01:00:00.000Z', title: 'Moved' },
    ]);
    // Lengthened again: the instances the shorter rule dropped come back without their exceptions.
    editEvent(index, {
      eventId: event.id,
      recurUpdateType: 'ALL',
      patch: { rrule: 'FREQ=DAILY;COUNT=6' },
      now,
    });
    expect(listed(index).map((l) => `${l.start.slice(8, 10)} ${l.title}`)).toEqual([
      '01 Daily',
      '03 Moved',
      '04 Daily',
      '05 Daily',
      '06 Daily',
    ]);
  });
});

describe('one-time edits', () => {
  it('re-indexes an event moved to another month', () => {
    const { index, event } = oneHour('2024-03-01');
    editEvent(index, {
      eventId: event.id,
      patch: { time: { start_at: '2024-05-10T00:00:00Z', end_at: '2024-05-10T01:00:00Z' } },
      now,
    });
    expect(listed(index).map((l) => l.id)).toEqual([event.id]);
  });

  it('leaves the event untouched when an edit is rejected', () => {
    const { index, event } = oneHour('2024-05-01');
    // All-day with a timed reminder range is fine, but -1440 is not valid for a timed event.
    expect(() =>
      editEvent(index, { eventId: event.id, patch: { title: 'Changed', reminders: [-1440] }, now }),
    ).toThrow(KakaoApiFailure);
    expect(() =>
      editEvent(index, {
        eventId: event.id,
        patch: { title: 'Changed', time: { start_at: '2024-05-01T02:00:00Z' } },
        now,
      }),
    ).toThrow(KakaoApiFailure);
    expect(listed(index)).toEqual([{ id: event.id, start: '2024-05-01T00:00:00.000Z', title: 'One' }]);
  });

  it('rejects a merged time whose end is before its start', () => {
    const { index, event } = oneHour('2024-05-01');
    expect(() =>
      editEvent(index, { eventId: event.id, patch: { time: { start_at: '2024-05-01T02:00:00Z' } }, now }),
    ).toThrow(/end_at/);
  });
});
