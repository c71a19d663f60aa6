import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventCreate } from '../../../src/kakao/types.js';
import { onlyRuleEndChanged, seriesHasInstance } from '../../../src/sync/events/series-change.js';

// Which rule changes keep a series' instances (so Kakao's exceptions keep their meaning), and
// whether a series still has an instance, by its original start.

const weekly = (rrule: string, over: Partial<EventCreate['time']> = {}): EventCreate => ({
  title: 'Weekly',
  time: {
    start_at: '2025-03-03T00:00:00Z',
    end_at: '2025-03-03T01:00:00Z',
    time_zone: 'Asia/Seoul',
    ...over,
  },
  rrule,
});

const weekStart = (k: number) =>
  new Date(Date.parse('2025-03-03T00:00:00Z') + k * 7 * 86_400_000)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');

describe('onlyRuleEndChanged', () => {
  it('is true for COUNT, UNTIL or no end, whatever the part order and case', () => {
    const old = weekly('FREQ=WEEKLY;BYDAY=MO;COUNT=10');
    for (const rrule of [
      'FREQ=WEEKLY;BYDAY=MO;COUNT=4',
      'BYDAY=mo;FREQ=WEEKLY;UNTIL=20250401T000000Z',
      'FREQ=WEEKLY;BYDAY=MO',
    ])
      expect(onlyRuleEndChanged(old, weekly(rrule))).toBe(true);
  });

  it('is false when the instances themselves change', () => {
    const old = weekly('FREQ=WEEKLY;COUNT=10');
    expect(onlyRuleEndChanged(old, weekly('FREQ=DAILY;COUNT=10'))).toBe(false);
    expect(onlyRuleEndChanged(old, weekly('FREQ=WEEKLY;INTERVAL=2;COUNT=10'))).toBe(false);
    expect(onlyRuleEndChanged(old, weekly('FREQ=WEEKLY;COUNT=5', { start_at: '2025-03-04T00:00:00Z' }))).toBe(
      false,
    );
    expect(onlyRuleEndChanged(old, weekly('FREQ=WEEKLY;COUNT=5', { time_zone: 'Europe/Berlin' }))).toBe(
      false,
    );
    expect(onlyRuleEndChanged(old, { ...weekly(''), rrule: undefined })).toBe(false);
  });
});

describe('seriesHasInstance', () => {
  it('a weekly series with COUNT n has exactly its first n weekly starts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 40 }), (count, k) => {
        expect(seriesHasInstance(weekly(`FREQ=WEEKLY;COUNT=${count}`), weekStart(k))).toBe(k < count);
      }),
    );
  });

  it('UNTIL is inclusive; a start off the rule is no instance', () => {
    const until = weekly('FREQ=WEEKLY;UNTIL=20250317T000000Z');
    expect(seriesHasInstance(until, '20250317T000000Z')).toBe(true);
    expect(seriesHasInstance(until, '20250324T000000Z')).toBe(false);
    expect(seriesHasInstance(until, '20250318T000000Z')).toBe(false);
  });

  it('follows the wall clock of the series zone across a DST change', () => {
    // 09:00 in Berlin: 08:00Z before 30 March 2025, 07:00Z after.
    const berlin = weekly('FREQ=WEEKLY;COUNT=4', {
      start_at: '2025-03-20T08:00:00Z',
      end_at: '2025-03-20T09:00:00Z',
      time_zone: 'Europe/Berlin',
    });
    expect(seriesHasInstance(berlin, '20250327T080000Z')).toBe(true);
    expect(seriesHasInstance(berlin, '20250403T070000Z')).toBe(true);
    expect(seriesHasInstance(berlin, '20250403T080000Z')).toBe(false);
  });

  it('all-day series have their dates at 00:00Z', () => {
    const days = weekly('FREQ=DAILY;COUNT=3', {
      start_at: '2025-03-03T00:00:00Z',
      end_at: '2025-03-04T00:00:00Z',
      all_day: true,
    });
    expect(seriesHasInstance(days, '20250305T000000Z')).toBe(true);
    expect(seriesHasInstance(days, '20250306T000000Z')).toBe(false);
  });

  it('an unreadable rule, zone or key answers true (the caller then keeps to delete + create)', () => {
    expect(seriesHasInstance(weekly('FREQ=WEEKLY;BYDAY=XX;COUNT=2'), '20250401T000000Z')).toBe(true);
    expect(
      seriesHasInstance(weekly('FREQ=WEEKLY;COUNT=2', { time_zone: 'Mars/Olympus' }), '20250401T000000Z'),
    ).toBe(true);
    expect(seriesHasInstance(weekly('FREQ=WEEKLY;COUNT=2'), 'not-a-key')).toBe(true);
  });
});
