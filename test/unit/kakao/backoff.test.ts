import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffCeiling, backoffDelay } from '../../../src/kakao/backoff.js';

describe('exponential backoff with full jitter', () => {
  const policy = { baseDelayMs: 100, maxDelayMs: 5000 };

  it('doubles the ceiling per attempt up to the maximum', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((a) => backoffCeiling(a, policy))).toEqual([
      100, 200, 400, 800, 1600, 3200, 5000, 5000,
    ]);
  });

  it('draws delays in [0, ceiling) for any attempt and random value', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 120_000 }),
        (attempt, r, base, max) => {
          const p = { baseDelayMs: base, maxDelayMs: max };
          const delay = backoffDelay(attempt, p, () => r);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(Math.min(max, base * 2 ** (attempt - 1)));
          expect(delay).toBeLessThanOrEqual(max);
        },
      ),
    );
  });

  it('uses the whole jitter range', () => {
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
    expect(backoffDelay(3, policy, () => 0.999999)).toBe(399);
  });
});
