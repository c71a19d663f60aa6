import { describe, expect, it } from 'vitest';
import { RRule } from '../../../src/translate/rrule-lib.js';
import { walkRule } from '../../../src/translate/rule-walk.js';

// The one hook into rrule's loop: if a new rrule version stopped reading `options.interval` per
// period, these would fail (or hang on the never-matching rule) instead of passing silently.
describe('walkRule', () => {
  const never = () =>
    new RRule({
      ...RRule.parseString('FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30'),
      dtstart: new Date(Date.UTC(2024, 0, 1)),
    });

  it('ends a rule that never matches after its allowance of periods', () => {
    const matches: number[] = [];
    const rule = never();
    expect(walkRule(rule, { maxPeriods: 400, onMatch: (ms) => matches.push(ms) > 0 })).toEqual({
      exhausted: true,
    });
    expect(matches).toEqual([]);
    // The rule is left as it was, so it can be walked again.
    expect(rule.options.interval).toBe(1);
    expect(walkRule(rule, { maxPeriods: 10, onMatch: () => true })).toEqual({ exhausted: true });
  });

  it('hands every match over until the caller stops, within the allowance', () => {
    const rule = new RRule({
      ...RRule.parseString('FREQ=DAILY;INTERVAL=2'),
      dtstart: new Date(Date.UTC(2024, 0, 1)),
    });
    const seen: string[] = [];
    const result = walkRule(rule, {
      maxPeriods: 100,
      onMatch: (ms) => seen.push(new Date(ms).toISOString().slice(0, 10)) < 3,
    });
    expect(result).toEqual({ exhausted: false });
    expect(seen).toEqual(['2024-01-01', '2024-01-03', '2024-01-05']);
    // A period allowance shorter than the matches wanted ends the walk first.
    const short: number[] = [];
    expect(walkRule(rule, { maxPeriods: 2, onMatch: (ms) => short.push(ms) > 0 }).exhausted).toBe(true);
    expect(short.length).toBeLessThanOrEqual(3);
  });
});
