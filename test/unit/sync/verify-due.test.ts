import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  booksOf,
  lastRead,
  recordReads,
  spansOf,
  type VerifiedSpan,
} from '../../../src/sync/verification/verify-books.js';
import {
  type DueContext,
  dueVerification,
  type MappedInstant,
} from '../../../src/sync/verification/verify-due.js';
import { horizonOf, horizonWindows } from '../../../src/sync/verification/windows.js';

// Verification reads, priced in list calls: the books of what was read when, and what is due.

const hour = 3_600_000;
const day = 24 * hour;
const t0 = Date.parse('2026-03-02T00:00:00Z');
const cadence = { nearDays: 31, nearEveryHours: 24, farEveryHours: 168, perRun: 1 };
const at = (ms: number) => new Date(ms).toISOString();

describe('verification books', () => {
  const h = { from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' };

  it('a read paints over what it covers; the rest keeps its older time', () => {
    const w = (from: string, to: string) => ({ from: `${from}T00:00:00Z`, to: `${to}T00:00:00Z` });
    let spans = recordReads([], [w('2026-03-01', '2026-04-01')], new Date(t0), h);
    spans = recordReads(spans, [w('2026-03-10', '2026-03-20')], new Date(t0 + hour), h);
    expect(lastRead(spans, '2026-03-05T00:00:00Z')).toBe(t0);
    expect(lastRead(spans, '2026-03-15T00:00:00Z')).toBe(t0 + hour);
    expect(lastRead(spans, '2026-03-25T00:00:00Z')).toBe(t0);
    expect(lastRead(spans, '2026-04-05T00:00:00Z')).toBeUndefined();
    // Stored and read back the same; a read covering everything leaves one span.
    expect(spansOf(booksOf(spans))).toEqual(spans);
    expect(recordReads(spans, [w('2026-02-01', '2026-05-01')], new Date(t0 + 2 * hour), h)).toHaveLength(1);
  });

  it('books of the old fixed grid are read as 31-day windows; spans before the horizon are dropped', () => {
    const spans = spansOf({ '2026-02-14': at(t0), 'not a span': at(t0), '2025-01-01/2025-02-01': at(t0) });
    expect(lastRead(spans, '2026-03-16T23:00:00Z')).toBe(t0);
    expect(lastRead(spans, '2026-03-17T00:00:00Z')).toBeUndefined();
    expect(recordReads(spans, [], new Date(t0), h).map((s) => at(s.from))).toEqual([
      '2026-02-14T00:00:00.000Z',
    ]);
  });

  it('stay as many spans as reads of one cycle, however long the link runs', () => {
    const events = spread(200);
    const run = simulate(events, 56, 60);
    expect(run.spans.length).toBeLessThanOrEqual(40);
  });
});

describe('what verification reads', () => {
  const now = new Date(t0);
  const horizon = horizonOf(now, 30, 365);
  const ctx = (items: MappedInstant[], over: Partial<DueContext> = {}): DueContext => ({
    items,
    spans: [],
    now,
    horizon,
    cadence,
    byDay: false,
    ...over,
  });
  const soon = { at: at(t0 + 3 * day) };
  const later = { at: at(t0 + 100 * day) };

  it('nothing mapped, nothing read', () => {
    expect(dueVerification(ctx([]))).toEqual({ near: [], far: [] });
  });

  it('the near region is one call every nearEveryHours, and only when it holds something of ours', () => {
    const read = at(t0 - 23 * hour);
    expect(dueVerification(ctx([soon], { nearReadAt: read, farReadAt: read })).near).toEqual([]);
    expect(dueVerification(ctx([soon], { nearReadAt: at(t0 - 24 * hour) })).near).toEqual([
      { from: '2026-03-02T00:00:00Z', to: '2026-04-02T00:00:00Z' },
    ]);
    expect(dueVerification(ctx([later], { nearReadAt: at(t0 - 48 * hour) })).near).toEqual([]);
  });

  it('far stretches: the most overdue first, perRun of them; a write counts as a read', () => {
    const spans = recordReads([], horizonWindows(now, 30, 365), new Date(t0 - 200 * hour), horizon);
    const older = recordReads(
      spans,
      [{ from: later.at, to: at(t0 + 101 * day) }],
      new Date(t0 - 300 * hour),
      horizon,
    );
    const due = dueVerification(ctx([later, { at: at(t0 + 200 * day) }], { spans: older }));
    expect(due.far).toEqual([{ from: '2026-06-10T00:00:00Z', to: '2026-07-11T00:00:00Z' }]);
    const written = { at: later.at, writtenAt: at(t0 - hour) };
    const after = dueVerification(ctx([written], { spans: older, farReadAt: at(t0 - hour) }));
    expect(after.far).toEqual([]);
  });

  it('a day of the default cadence costs 1 near call and about 1.8 far calls for events all over the horizon', () => {
    const run = simulate(spread(200), 21);
    const perDay = (n: number) => n / 14; // the last two weeks
    expect(perDay(run.near)).toBeCloseTo(1, 1);
    expect(perDay(run.far)).toBeGreaterThan(1.6);
    expect(perDay(run.far)).toBeLessThan(1.9);
  });

  it('every item is read (or written) within farEveryHours; the near region within nearEveryHours', () => {
    const instant = fc.integer({ min: t0 - 30 * day, max: t0 + 400 * day });
    fc.assert(
      fc.property(fc.array(instant, { minLength: 1, maxLength: 40 }), (times) => {
        const run = simulate(times.map(at), 21, 60);
        expect(run.maxFarAgeHours).toBeLessThanOrEqual(168);
        expect(run.maxNearGapHours).toBeLessThan(24);
      }),
      { numRuns: 8 },
    );
  });
});

/** `n` events spread evenly over the horizon and the weeks after it (the horizon moves forward). */
function spread(n: number): string[] {
  const span = (395 + 60) * day;
  return Array.from({ length: n }, (_, i) => at(t0 - 30 * day + (span * (i + 0.5)) / n));
}

/**
 * A link whose events are all in Kakao since a full listing at t0, polled every `stepMinutes` for
 * `days`: list calls counted after the first week, and how stale things got. An event entering the
 * horizon counts as written then (the daemon creates it when it enters).
 */
function simulate(events: string[], days: number, stepMinutes = 15) {
  const written = (e: string) => at(Math.max(t0, Date.parse(e) - 365 * day));
  let spans: VerifiedSpan[] = recordReads(
    [],
    horizonWindows(new Date(t0), 30, 365),
    new Date(t0),
    horizonOf(new Date(t0), 30, 365),
  );
  let nearReadAt = at(t0);
  let farReadAt = at(t0);
  const counted = { near: 0, far: 0, maxFarAgeHours: 0, maxNearGapHours: 0 };
  for (let t = t0 + stepMinutes * 60_000; t <= t0 + days * day; t += stepMinutes * 60_000) {
    const now = new Date(t);
    const horizon = horizonOf(now, 30, 365);
    const items = events.map((e) => ({ at: e, writtenAt: written(e) }));
    const due = dueVerification({ items, spans, now, horizon, cadence, byDay: false, nearReadAt, farReadAt });
    if (t > t0 + 7 * day) {
      counted.near += due.near.length;
      counted.far += due.far.length;
    }
    spans = recordReads(spans, [...due.near, ...due.far], now, horizon);
    if (due.near.length > 0) nearReadAt = at(t);
    if (due.far.length > 0) farReadAt = at(t);
    // Whenever the next 30 days hold an event, the near region was read within a day.
    if (events.some((e) => Date.parse(e) >= t && Date.parse(e) < t + 30 * day))
      counted.maxNearGapHours = Math.max(counted.maxNearGapHours, (t - Date.parse(nearReadAt)) / hour);
    for (const e of events) {
      if (Date.parse(e) < Date.parse(horizon.from) || Date.parse(e) >= Date.parse(horizon.to)) continue;
      const known = Math.max(lastRead(spans, e) ?? 0, Date.parse(written(e)));
      counted.maxFarAgeHours = Math.max(counted.maxFarAgeHours, (t - known) / hour);
    }
  }
  return { ...counted, spans };
}
