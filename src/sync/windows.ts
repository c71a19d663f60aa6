import type { Window } from './plan-types.js';

// The horizon cut into 31-day windows (one Kakao list call each), and which windows a run reads:
// everything on a first sync or after drift, otherwise at most a few due verification windows,
// nearest first. Pure.

const dayMs = 86_400_000;
export const windowDays = 31;

export interface VerifyCadence {
  nearDays: number;
  nearEveryHours: number;
  farEveryHours: number;
  /** Windows read per run at most (outside a full listing). */
  perRun: number;
}

export const windowKey = (w: Window) => w.from.slice(0, 10);

/**
 * Windows covering `pastDays` before `now` to `futureDays` after it, on a fixed 31-day grid counted
 * from the Unix epoch: a window keeps its key from day to day, so its verification time stays
 * meaningful as the horizon moves.
 */
export function horizonWindows(now: Date, pastDays: number, futureDays: number): Window[] {
  const span = windowDays * dayMs;
  const from = now.getTime() - pastDays * dayMs;
  const until = now.getTime() + futureDays * dayMs;
  const out: Window[] = [];
  for (let start = Math.floor(from / span) * span; start < until; start += span) {
    out.push({ from: iso(start), to: iso(start + span) });
  }
  return out;
}

export const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function windowOf(windows: Window[], instant: string): Window | undefined {
  const t = Date.parse(instant);
  return windows.find((w) => Date.parse(w.from) <= t && t < Date.parse(w.to));
}

/**
 * The verification windows due now, most overdue first (near windows weigh more), limited to
 * `perRun`. Only windows holding something of ours are worth a call.
 */
export function dueWindows(
  windows: Window[],
  occupied: ReadonlySet<string>,
  verified: Record<string, string>,
  now: Date,
  cadence: VerifyCadence,
): Window[] {
  const t = now.getTime();
  const scored: { w: Window; overdue: number }[] = [];
  for (const w of windows) {
    if (!occupied.has(windowKey(w))) continue;
    const near = Date.parse(w.from) < t + cadence.nearDays * dayMs && Date.parse(w.to) > t;
    const every = (near ? cadence.nearEveryHours : cadence.farEveryHours) * 3600_000;
    const last = verified[windowKey(w)];
    const age = last ? t - Date.parse(last) : Number.POSITIVE_INFINITY;
    if (age >= every) scored.push({ w, overdue: age / every });
  }
  scored.sort((a, b) => b.overdue - a.overdue || Date.parse(a.w.from) - Date.parse(b.w.from));
  return scored.slice(0, cadence.perRun).map((s) => s.w);
}
