import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { fromFloating, nextKstMidnight, toFloating } from '../../../src/emulator/time.js';

const zones = [
  'Asia/Seoul',
  'Europe/Berlin',
  'America/New_York',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'UTC',
];

describe('floating time conversion (cached offsets)', () => {
  it('agrees with luxon on the wall clock and maps it back to its first occurrence', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1_500_000_000, max: 2_000_000_000 }),
        fc.constantFrom(...zones),
        (s, zone) => {
          const date = new Date(s * 1000);
          const wall = DateTime.fromJSDate(date, { zone });
          const expected = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
          const floating = toFloating(date, zone);
          const back = fromFloating(floating, zone);
          // RFC 5545: an ambiguous local time (DST fall-back) means its first occurrence.
          const earlier = new Date(back.getTime() - 3_600_000);
          const firstOccurrence = toFloating(earlier, zone).getTime() !== floating.getTime();
          return (
            floating.getTime() === expected &&
            toFloating(back, zone).getTime() === floating.getTime() &&
            back.getTime() <= date.getTime() &&
            firstOccurrence
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('moves a wall time inside a DST gap forward like luxon', () => {
    // 2024-03-31 02:30 does not exist in Berlin.
    const gap = new Date(Date.UTC(2024, 2, 31, 2, 30));
    expect(fromFloating(gap, 'Europe/Berlin').toISOString()).toBe(
      DateTime.fromObject({ year: 2024, month: 3, day: 31, hour: 2, minute: 30 }, { zone: 'Europe/Berlin' })
        .toUTC()
        .toISO({ suppressMilliseconds: true })
        ?.replace('Z', '.000Z'),
    );
  });

  it('puts the quota reset at the next midnight KST', () => {
    expect(nextKstMidnight(new Date('2024-06-01T14:59:59Z')).toISOString()).toBe('2024-06-01T15:00:00.000Z');
    expect(nextKstMidnight(new Date('2024-06-01T15:00:00Z')).toISOString()).toBe('2024-06-02T15:00:00.000Z');
  });
});
