import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { koreanDay, koreanDayElapsed, nextKoreanMidnight } from '../../../src/queue/korean-day.js';
import { stableOffsetMs } from '../../../src/queue/stable-offset.js';

describe('Korean calendar day', () => {
  it('switches at 15:00 UTC (midnight KST)', () => {
    expect(koreanDay(new Date('2026-03-01T14:59:59Z'))).toBe('2026-03-01');
    expect(koreanDay(new Date('2026-03-01T15:00:00Z'))).toBe('2026-03-02');
    expect(nextKoreanMidnight(new Date('2026-03-01T14:59:59Z')).toISOString()).toBe(
      '2026-03-01T15:00:00.000Z',
    );
    expect(nextKoreanMidnight(new Date('2026-03-01T15:00:00Z')).toISOString()).toBe(
      '2026-03-02T15:00:00.000Z',
    );
    expect(koreanDayElapsed(new Date('2026-03-01T03:00:00Z'))).toBeCloseTo(0.5);
  });

  it('the next reset is always within one day and starts a new Korean day', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        (at) => {
          const reset = nextKoreanMidnight(at);
          const gap = reset.getTime() - at.getTime();
          expect(gap).toBeGreaterThan(0);
          expect(gap).toBeLessThanOrEqual(86_400_000);
          expect(koreanDay(reset)).not.toBe(koreanDay(at));
          expect(koreanDay(new Date(reset.getTime() - 1))).toBe(koreanDay(at));
        },
      ),
    );
  });
});

describe('stable per-user offset', () => {
  it('is stable, within range, and spreads users', () => {
    expect(stableOffsetMs('user-1', 300_000)).toBe(stableOffsetMs('user-1', 300_000));
    expect(stableOffsetMs('user-1', 0)).toBe(0);
    const offsets = Array.from({ length: 1000 }, (_, i) => stableOffsetMs(`u${i}`, 300_000));
    for (const o of offsets) expect(o >= 0 && o <= 300_000).toBe(true);
    // Ten buckets of 30 s each all get users (a fixed offset would put all in one).
    const buckets = new Set(offsets.map((o) => Math.min(9, Math.floor(o / 30_000))));
    expect(buckets.size).toBe(10);
  });
});
