import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { shiftToWeekOf } from '../../../src/daemon/demo-feed.js';

const sample = readFileSync(new URL('../../../config/demo/sample.ics', import.meta.url), 'utf8');

describe('demo feed date shift', () => {
  it('moves event dates by whole weeks to the current week, leaving time zones alone', () => {
    const shifted = shiftToWeekOf(sample, new Date('2026-11-25T12:00:00Z'));
    // 2026-01-05 (Mon) → 2026-11-23 (Mon): 46 weeks.
    expect(shifted).toContain('DTSTART;TZID=Asia/Seoul:20261123T100000');
    expect(shifted).toContain('RECURRENCE-ID;TZID=Asia/Seoul:20261207T100000');
    expect(shifted).toContain('DTSTART;VALUE=DATE:20261202');
    expect(shifted).toContain('DTSTART:19880509T030000'); // VTIMEZONE untouched
    expect(shifted).toContain('DTSTAMP:20260105T000000Z');
    expect(shiftToWeekOf(sample, new Date('2026-01-07T00:00:00Z'))).toBe(sample.replace(/\r?\n/g, '\r\n'));
  });

  it('ships the promised cases: a weekly series with an exception, an all-day trip, two zones, alarms, a long Korean title', () => {
    expect(sample).toMatch(/RRULE:FREQ=WEEKLY/);
    expect(sample).toMatch(/RECURRENCE-ID/);
    expect(sample).toMatch(/DTSTART;VALUE=DATE:20260114\r?\nDTEND;VALUE=DATE:20260117/);
    expect(sample).toMatch(/TZID=Europe\/Berlin:/);
    expect(sample).toMatch(/BEGIN:VALARM/);
    const korean = /SUMMARY:(.*[가-힣].*)/.exec(sample)?.[1] ?? '';
    expect([...korean.trim()].length).toBeGreaterThan(50);
  });
});
