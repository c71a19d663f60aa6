import { describe, expect, it } from 'vitest';
import { ClockRateError, ManualClock, ScaledClock, systemClock } from '../../../src/clock.js';

// The daemon's clock: real, scaled (benchmarks run a day in minutes) or moved by hand (tests).

describe('clocks', () => {
  it('a scaled clock runs `rate` times faster than real time from its start', () => {
    let real = 1_000_000;
    const start = new Date('2026-03-02T00:00:00Z');
    const clock = new ScaledClock(start, 450, () => real);
    expect(clock.now()).toEqual(start);
    real += 2_000;
    expect(clock.now().toISOString()).toBe('2026-03-02T00:15:00.000Z');
    // A 15-minute schedule repeats every 2 real seconds; a positive span never rounds to 0 ms.
    expect(clock.toRealMs(15 * 60_000)).toBe(2_000);
    expect(clock.toRealMs(1)).toBe(1);
    expect(clock.toRealMs(0)).toBe(0);
  });

  it('a scaled clock jumps when set and runs on at its rate', () => {
    let real = 5_000;
    const clock = new ScaledClock(new Date('2026-03-02T00:00:00Z'), 450, () => real);
    real += 1_000;
    clock.set(new Date('2026-03-03T00:00:00Z'));
    expect(clock.now().toISOString()).toBe('2026-03-03T00:00:00.000Z');
    real += 2_000;
    expect(clock.now().toISOString()).toBe('2026-03-03T00:15:00.000Z');
    // Set as of an earlier real moment (a second process anchored to the same instant).
    clock.set(new Date('2026-03-04T00:00:00Z'), real - 4_000);
    expect(clock.now().toISOString()).toBe('2026-03-04T00:30:00.000Z');
  });

  it('a scaled clock refuses a rate that cannot run', () => {
    for (const rate of [0, -1, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => new ScaledClock(new Date(), rate)).toThrow(ClockRateError);
  });

  it('a manual clock moves only when told; its spans are real spans', () => {
    const clock = new ManualClock(new Date('2026-03-02T14:59:00Z'));
    expect(clock.advance(60_000).toISOString()).toBe('2026-03-02T15:00:00.000Z');
    clock.set(new Date('2026-03-05T00:00:00Z'));
    expect(clock.now().toISOString()).toBe('2026-03-05T00:00:00.000Z');
    expect(clock.toRealMs(5_000)).toBe(5_000);
  });

  it('the system clock is real time', () => {
    const before = Date.now();
    const now = systemClock.now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(systemClock.toRealMs(900_000)).toBe(900_000);
  });
});
