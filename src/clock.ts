import { TalkcalError } from './model/errors.js';

// The daemon's one notion of "now": the scheduler, the quota governor, verification, the worker and
// the Kakao token session read the time here, so a test or a benchmark can run a day in minutes.
// Durations a process really waits (lock leases, HTTP timeouts, backoff sleeps, the per-second rate)
// stay real time; `toRealMs` converts a span of this clock into the real wait it takes (a schedule
// every 15 clock minutes is a BullMQ repeat of 15 real minutes, or of 2 real seconds at 450×).

export interface Clock {
  now(): Date;
  /** Real milliseconds that `ms` of this clock's time take (at least 1 for a positive span). */
  toRealMs(ms: number): number;
}

export const systemClock: Clock = {
  now: () => new Date(),
  toRealMs: (ms) => ms,
};

/** A clock that cannot run: its rate is not a positive finite number. */
export class ClockRateError extends TalkcalError {
  readonly scope = 'app';

  constructor(rate: number) {
    super(`a clock rate must be a positive number of clock seconds per real second (got ${rate})`);
  }
}

/**
 * Starts at `start` and runs `rate` times faster than real time: at 450×, 15 minutes pass every
 * 2 real seconds and a day in 192 s. Benchmarks run the whole daemon on it.
 */
export class ScaledClock implements Clock {
  private realStart: number;
  private start: Date;

  constructor(
    start: Date,
    readonly rate: number,
    private readonly realNow: () => number = Date.now,
  ) {
    if (!(rate > 0) || !Number.isFinite(rate)) throw new ClockRateError(rate);
    this.start = start;
    this.realStart = realNow();
  }

  /** Jumps to `at` (as of real time `realAt`, default now) and runs on at the same rate. */
  set(at: Date, realAt = this.realNow()): void {
    this.start = at;
    this.realStart = realAt;
  }

  now(): Date {
    return new Date(this.start.getTime() + (this.realNow() - this.realStart) * this.rate);
  }

  toRealMs(ms: number): number {
    return ms <= 0 ? 0 : Math.max(1, Math.round(ms / this.rate));
  }
}

/** Moves only when told (tests): `set` and `advance`. Real waits are not scaled. */
export class ManualClock implements Clock {
  private at: number;

  constructor(start: Date) {
    this.at = start.getTime();
  }

  now(): Date {
    return new Date(this.at);
  }

  set(at: Date): void {
    this.at = at.getTime();
  }

  advance(ms: number): Date {
    this.at += ms;
    return this.now();
  }

  toRealMs(ms: number): number {
    return Math.max(0, ms);
  }
}
