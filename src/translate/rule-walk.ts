// Walking one rrule RRule for a bounded number of periods. rrule calls back only on matches, so a
// rule whose BY* parts reject every candidate (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30) walks on to the
// year 9999 without a single call, whatever UNTIL says (UNTIL is compared with candidates only).
// Its loop reads `options.interval` once when it starts and twice per period (the end-of-period
// check and the step to the next period; rrule 2.8 iter/index.ts and datetime.ts): a getter there
// counts the periods and, past the allowance, throws to end the walk where it stands.
import type { RRule } from './rrule-lib.js';

export interface WalkBounds {
  /** Periods (steps of FREQ × INTERVAL) the walk may take before it is ended. */
  maxPeriods: number;
  /** Each match, as the wall time rrule computes (ms as if UTC); false ends the walk. */
  onMatch: (wallMs: number) => boolean;
}

class PeriodsExhausted extends Error {}

/** Walks `rule` from its DTSTART; `exhausted` says whether the allowance of periods ended it. */
export function walkRule(rule: RRule, bounds: WalkBounds): { exhausted: boolean } {
  const options = rule.options;
  const interval = options.interval;
  const maxReads = 2 * Math.max(1, bounds.maxPeriods) + 1;
  let reads = 0;
  Object.defineProperty(options, 'interval', {
    configurable: true,
    enumerable: true,
    get: () => {
      if (++reads > maxReads) throw new PeriodsExhausted();
      return interval;
    },
  });
  try {
    rule.all((date) => bounds.onMatch(date.getTime()));
    return { exhausted: false };
  } catch (error) {
    if (error instanceof PeriodsExhausted) return { exhausted: true };
    throw error;
  } finally {
    Object.defineProperty(options, 'interval', {
      value: interval,
      writable: true,
      configurable: true,
      enumerable: true,
    });
  }
}
