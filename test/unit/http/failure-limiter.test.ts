import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FailureLimiter } from '../../../src/http/failure-limiter.js';

describe('FailureLimiter', () => {
  it('refuses a client past the limit until its window ends, and no one else', () => {
    let now = 1_000_000;
    const limiter = new FailureLimiter(2, 60_000, () => now);
    limiter.fail('a');
    expect(limiter.blockedFor('a')).toBeUndefined();
    limiter.fail('a');
    expect(limiter.blockedFor('a')).toBe(60);
    expect(limiter.blockedFor('b')).toBeUndefined();
    now += 45_500;
    expect(limiter.blockedFor('a')).toBe(15);
    now += 14_500;
    expect(limiter.blockedFor('a')).toBeUndefined();
  });

  it('never lets more than `limit` failures through in one window (any pattern of calls)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3_000 }), fc.constantFrom('a', 'b')), { maxLength: 200 }),
        (limit, steps) => {
          let now = 0;
          const limiter = new FailureLimiter(limit, 10_000, () => now);
          const allowed = new Map<string, number>();
          for (const [advance, client] of steps) {
            now += advance;
            const window = `${client}@${Math.floor(now / 10_000)}`;
            const retry = limiter.blockedFor(client);
            if (retry === undefined) {
              limiter.fail(client);
              allowed.set(window, (allowed.get(window) ?? 0) + 1);
            } else {
              expect(retry).toBeGreaterThanOrEqual(1);
              expect(retry).toBeLessThanOrEqual(10);
            }
          }
          for (const n of allowed.values()) expect(n).toBeLessThanOrEqual(limit);
        },
      ),
    );
  });
});
