import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NearestKept } from '../../../src/sources/nearest-kept.js';

describe('NearestKept', () => {
  it('keeps the entries of smallest distance, earlier ones on a tie, in the order they came', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 200 }),
        fc.integer({ min: 1, max: 20 }),
        (distances, max) => {
          const kept = new NearestKept<number>(max, (a) => a);
          for (const [i, d] of distances.entries()) kept.offer(`k${i}`, d, () => i);
          const expected = distances
            .map((d, i) => ({ d, i }))
            .sort((a, b) => a.d - b.d || a.i - b.i)
            .slice(0, max)
            .map((e) => e.i)
            .sort((a, b) => a - b);
          expect(kept.values()).toEqual(expected);
          expect(kept.dropped).toBe(distances.length - expected.length);
        },
      ),
    );
  });

  it('lets `choose` settle two entries with one key, building the value only when needed', () => {
    let built = 0;
    const kept = new NearestKept<string>(2, (_kept, candidate) => candidate);
    kept.offer('x', 1, () => `a${++built}`);
    kept.offer('x', 1, () => `b${++built}`);
    kept.offer('far1', 9, () => `far${++built}`);
    kept.offer('near', 0, () => `near${++built}`);
    kept.offer('far2', 9, () => `far${++built}`);
    expect(built).toBe(5);
    // Once full, an entry farther than every kept one is turned away without being built.
    kept.offer('far3', 9, () => `far${++built}`);
    expect(built).toBe(5);
    expect(kept.values()).toEqual(['b2', 'near4']);
    expect(kept.dropped).toBe(3);
  });
});
