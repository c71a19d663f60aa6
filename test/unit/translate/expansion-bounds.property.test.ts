// Whatever a rule says (any FREQ down to SECONDLY, any INTERVAL, COUNT, UNTIL and BY* parts, a
// DTSTART years away), its expansion ends, keeps at most limits.maxOccurrencesPerEvent
// occurrences, all inside the window and in order — or refuses the rule with a typed error.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  expandOccurrences,
  RuleTooCostlyError,
  type Series,
  UnreadableRuleError,
} from '../../../src/translate/recurrence.js';
import { ianaRules } from '../../../src/translate/zone.js';

const maxOccurrences = 25;
const bounds = { maxOccurrences, maxIterations: 50_000 };
const hour = 3_600_000;
const day = 24 * hour;
const base = Date.UTC(2024, 5, 1);

const subset = (values: number[] | string[], maxLength = 4) =>
  fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength }).map((v) => v.join(','));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

const part = fc.oneof(
  subset(range(1, 12)).map((v) => `BYMONTH=${v}`),
  subset([...range(1, 31), -1, -2, -31]).map((v) => `BYMONTHDAY=${v}`),
  subset(['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU', '1MO', '-1FR', '2SU']).map((v) => `BYDAY=${v}`),
  subset(range(0, 23)).map((v) => `BYHOUR=${v}`),
  subset(range(0, 59)).map((v) => `BYMINUTE=${v}`),
  subset(range(0, 60)).map((v) => `BYSECOND=${v}`),
  subset([1, 2, -1, 3]).map((v) => `BYSETPOS=${v}`),
  subset([1, 100, 366, -1]).map((v) => `BYYEARDAY=${v}`),
);

const rule = fc
  .record({
    freq: fc.constantFrom('SECONDLY', 'MINUTELY', 'HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'),
    interval: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 1000 })),
    end: fc.oneof(
      fc.constant(''),
      fc.integer({ min: 1, max: 1_000_000_000 }).map((n) => `;COUNT=${n}`),
      fc.integer({ min: -400, max: 4000 }).map((d) => {
        const at = new Date(base + d * day).toISOString().replace(/[-:]|\.\d{3}/g, '');
        return `;UNTIL=${at}`;
      }),
    ),
    parts: fc.uniqueArray(part, { maxLength: 3, selector: (p) => p.split('=')[0] }),
  })
  .map((r) => [`FREQ=${r.freq}`, `INTERVAL=${r.interval}`, ...r.parts].join(';') + r.end);

const series = fc.record({
  rrule: rule,
  // DTSTART from five years before the window to a month after it, on any second.
  startWallMs: fc.integer({ min: -5 * 365 * day, max: 30 * day }).map((d) => base + d - (d % 1000)),
  allDay: fc.boolean(),
  zone: fc.constantFrom('UTC', 'Asia/Seoul', 'America/New_York', 'Australia/Lord_Howe'),
});

const window = fc.record({
  from: fc.integer({ min: 0, max: 20 * day }).map((d) => base + d),
  length: fc.oneof(fc.integer({ min: hour, max: 2 * day }), fc.integer({ min: day, max: 60 * day })),
});

describe('expandOccurrences under limits', () => {
  it('ends with at most maxOccurrencesPerEvent occurrences, all inside the window, or refuses the rule', () => {
    fc.assert(
      fc.property(series, window, (g, w) => {
        const s: Series = {
          rrules: [g.rrule],
          startWallMs: g.allDay ? g.startWallMs - (g.startWallMs % day) : g.startWallMs,
          zone: ianaRules(g.zone),
          allDay: g.allDay,
          rdates: [],
          exdates: [],
        };
        const to = w.from + w.length;
        try {
          const { starts, capped } = expandOccurrences(s, w.from, to, bounds);
          expect(starts.length).toBeLessThanOrEqual(maxOccurrences);
          for (const start of starts) {
            expect(start).toBeGreaterThanOrEqual(w.from);
            expect(start).toBeLessThan(to);
          }
          expect([...starts].sort((a, b) => a - b)).toEqual(starts);
          if (capped) expect(starts).toHaveLength(maxOccurrences);
        } catch (error) {
          if (!(error instanceof RuleTooCostlyError || error instanceof UnreadableRuleError)) throw error;
        }
      }),
      { numRuns: 300 },
    );
  });
});
