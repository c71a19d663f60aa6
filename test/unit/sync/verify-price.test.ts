import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { verificationPrice } from '../../../src/sync/verification/verify-price.js';

// The price of how fast Talk Calendar-side drift is found, as `talkcal status` prints it.

describe('verificationPrice', () => {
  const defaults = loadConfig({ env: {} }).sync;

  it('the defaults: the next 31 days daily (1 call), the rest weekly in rotation (12 windows), no detail reads', () => {
    const price = verificationPrice(defaults);
    expect(price).toMatchObject({ nearDays: 31, nearEveryHours: 24, farEveryHours: 168, near: 1, detail: 0 });
    // 12 windows a turn, a turn every 0.95 × 168 h.
    expect(price.far).toBeCloseTo((12 * 24) / (0.95 * 168), 5);
    expect(price.total).toBeCloseTo(2.8, 1);
  });

  it('faster detection costs proportionally more', () => {
    const twice = verificationPrice({ ...defaults, verifyNearEveryHours: 12, verifyFarEveryHours: 84 });
    const base = verificationPrice(defaults);
    expect(twice.near).toBe(2 * base.near);
    expect(twice.far).toBeCloseTo(2 * base.far, 5);
    expect(verificationPrice({ ...defaults, oneWayDetailReadsPerDay: 3 }).total).toBeCloseTo(
      base.total + 3,
      5,
    );
    // A near region of 62 days is two calls each time; the far part shrinks by as much.
    const wide = verificationPrice({ ...defaults, verifyNearDays: 62 });
    expect(wide.near).toBe(2);
    expect(wide.far).toBeLessThan(base.far);
  });

  it('two-way links: the near region every twoWayReadEveryMinutes with detail reads, + 1 read per event written', () => {
    const price = verificationPrice(defaults);
    // 24 near passes a day (60 min), 2 detail reads each, the far rotation as for one-way links.
    expect(price.twoWay).toMatchObject({ readEveryMinutes: 60, near: 24, detail: 48, perEditWritten: 1 });
    expect(price.twoWay.far).toBe(price.far);
    expect(price.twoWay.total).toBeCloseTo(24 + 48 + price.far, 5);
    const slower = verificationPrice({ ...defaults, twoWayReadEveryMinutes: 120, detailBudgetPerRun: 0 });
    expect(slower.twoWay.near).toBe(12);
    expect(slower.twoWay.detail).toBe(0);
  });
});
