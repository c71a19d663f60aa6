import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isBackingOff, nextBackoff } from '../../../src/sync/store/link-backoff.js';

const policy = { baseMs: 15 * 60_000, maxMs: 24 * 3600_000 };
const t0 = new Date('2026-12-07T00:00:00Z');

describe('link backoff', () => {
  it('doubles the delay per consecutive failure up to the cap, keeping when the series began', () => {
    let b = nextBackoff(undefined, 'HTTP 503', t0, policy);
    expect(b).toEqual({
      failures: 1,
      retryAt: '2026-12-07T00:15:00.000Z',
      reason: 'HTTP 503',
      since: t0.toISOString(),
    });
    const later = new Date(t0.getTime() + 3600_000);
    b = nextBackoff(b, 'too costly', later, policy);
    expect(b.failures).toBe(2);
    expect(b.retryAt).toBe('2026-12-07T01:30:00.000Z');
    expect(b.reason).toBe('too costly');
    expect(b.since).toBe(t0.toISOString());
  });

  it('never waits longer than the cap, however many failures', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), (failures) => {
        const prev = failures === 0 ? undefined : { failures, retryAt: '', reason: '', since: '' };
        const b = nextBackoff(prev, 'x', t0, policy);
        const wait = Date.parse(b.retryAt) - t0.getTime();
        expect(wait).toBeGreaterThanOrEqual(policy.baseMs);
        expect(wait).toBeLessThanOrEqual(policy.maxMs);
      }),
    );
  });

  it('skips the link only before retryAt', () => {
    const b = nextBackoff(undefined, 'x', t0, policy);
    expect(isBackingOff(b, new Date(t0.getTime() + 60_000))).toBe(true);
    expect(isBackingOff(b, new Date(t0.getTime() + policy.baseMs))).toBe(false);
    expect(isBackingOff(undefined, t0)).toBe(false);
  });
});
