import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  countBefore,
  hasOccurrenceAt,
  occurrencesNear,
  type RecurringShape,
  rruleContinuing,
  rruleEndingBefore,
} from '../../../src/emulator/recurrence.js';
import { instanceKey, parseInstanceKey } from '../../../src/emulator/time.js';

const keys = (shape: RecurringShape, from: string, to: string) =>
  occurrencesNear(shape, new Date(from), new Date(to))
    .filter((o) => o.start < new Date(to) && o.end > new Date(from))
    .map((o) => o.key);

describe('occurrencesNear', () => {
  it('keeps local wall time across DST in the event zone', () => {
    // 09:00 Europe/Berlin weekly: 08:00Z in winter, 07:00Z after 31 March 2024.
    const shape: RecurringShape = {
      start: new Date('2024-03-18T08:00:00Z'),
      end: new Date('2024-03-18T09:00:00Z'),
      allDay: false,
      timeZone: 'Europe/Berlin',
      rrule: 'FREQ=WEEKLY;COUNT=4',
    };
    expect(keys(shape, '2024-03-01T00:00:00Z', '2024-04-30T00:00:00Z')).toEqual([
      '20240318T080000Z',
      '20240325T080000Z',
      '20240401T070000Z',
      '20240408T070000Z',
    ]);
  });

  it('repeats Asia/Seoul events by local day (BYDAY counted in KST)', () => {
    // Monday 08:00 KST = Sunday 23:00Z: BYDAY=MO must follow the Korean Monday.
    const shape: RecurringShape = {
      start: new Date('2024-03-03T23:00:00Z'),
      end: new Date('2024-03-04T00:00:00Z'),
      allDay: false,
      timeZone: 'Asia/Seoul',
      rrule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=2',
    };
    expect(keys(shape, '2024-03-01T00:00:00Z', '2024-03-31T00:00:00Z')).toEqual([
      '20240303T230000Z',
      '20240310T230000Z',
    ]);
  });

  it('repeats all-day events on UTC dates and honours a date-only UNTIL', () => {
    const shape: RecurringShape = {
      start: new Date('2024-02-28T00:00:00Z'),
      end: new Date('2024-02-29T00:00:00Z'),
      allDay: true,
      timeZone: 'Asia/Seoul',
      rrule: 'FREQ=DAILY;UNTIL=20240301',
    };
    expect(keys(shape, '2024-02-01T00:00:00Z', '2024-03-31T00:00:00Z')).toEqual([
      '20240228T000000Z',
      '20240229T000000Z',
      '20240301T000000Z',
    ]);
  });

  it('includes an instance that started before the window but overlaps it', () => {
    const shape: RecurringShape = {
      start: new Date('2024-01-01T22:00:00Z'),
      end: new Date('2024-01-02T02:00:00Z'),
      allDay: false,
      timeZone: 'UTC',
      rrule: 'FREQ=DAILY',
    };
    expect(keys(shape, '2024-01-05T00:00:00Z', '2024-01-05T12:00:00Z')).toEqual(['20240104T220000Z']);
  });

  it('finds exactly the generated instants', () => {
    const shape: RecurringShape = {
      start: new Date('2024-01-01T01:00:00Z'),
      end: new Date('2024-01-01T02:00:00Z'),
      allDay: false,
      timeZone: 'Asia/Seoul',
      rrule: 'FREQ=DAILY;INTERVAL=2',
    };
    expect(hasOccurrenceAt(shape, new Date('2024-01-03T01:00:00Z'))).toBe(true);
    expect(hasOccurrenceAt(shape, new Date('2024-01-04T01:00:00Z'))).toBe(false);
    expect(hasOccurrenceAt(shape, new Date('2024-01-03T01:05:00Z'))).toBe(false);
  });
});

describe('splitting a series', () => {
  const shape: RecurringShape = {
    start: new Date('2024-05-01T00:00:00Z'),
    end: new Date('2024-05-01T01:00:00Z'),
    allDay: false,
    timeZone: 'Asia/Seoul',
    rrule: 'FREQ=DAILY;COUNT=10',
  };

  it('old half ends just before the split and the new half keeps the remaining count', () => {
    const split = new Date('2024-05-04T00:00:00Z');
    expect(countBefore(shape, split)).toBe(3);
    const old = { ...shape, rrule: rruleEndingBefore(shape.rrule, split) };
    expect(keys(old, '2024-04-01T00:00:00Z', '2024-05-30T00:00:00Z')).toHaveLength(3);
    const continuing = rruleContinuing(shape, split);
    expect(continuing).toBe('FREQ=DAILY;COUNT=7');
    const next = { ...shape, start: split, end: new Date(split.getTime() + 3_600_000), rrule: continuing };
    const all = [
      ...keys(old, '2024-04-01T00:00:00Z', '2024-05-30T00:00:00Z'),
      ...keys(next, '2024-04-01T00:00:00Z', '2024-05-30T00:00:00Z'),
    ];
    expect(all).toEqual(keys(shape, '2024-04-01T00:00:00Z', '2024-05-30T00:00:00Z'));
  });

  it('any split point partitions the instances without loss or duplicate', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), (n) => {
        const split = new Date(shape.start.getTime() + n * 86_400_000);
        const old = { ...shape, rrule: rruleEndingBefore(shape.rrule, split) };
        const next = {
          ...shape,
          start: split,
          end: new Date(split.getTime() + 3_600_000),
          rrule: rruleContinuing(shape, split),
        };
        const w: [string, string] = ['2024-04-01T00:00:00Z', '2024-05-30T00:00:00Z'];
        return (
          JSON.stringify([...keys(old, ...w), ...keys(next, ...w)]) === JSON.stringify(keys(shape, ...w))
        );
      }),
    );
  });
});

describe('instance keys', () => {
  it('round-trip any second-aligned instant', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000 }), (s) => {
        const d = new Date(s * 1000);
        return parseInstanceKey(instanceKey(d))?.getTime() === d.getTime();
      }),
    );
    expect(parseInstanceKey('20240230T000000Z')).toBeUndefined();
  });
});
