import type { Window } from './plan-types.js';

// The horizon cut into 31-day windows (one Kakao list call each), and which windows a run reads:
// the whole horizon on a first sync or after drift, otherwise at most a few due verification
// windows, nearest first. Two cuts: a full listing reads the fewest windows that cover the horizon
// (13 for 395 days), while verification keeps its books on a fixed grid whose keys (window starts)
// stay put from day to day. Pure.

const dayMs = 86_400_000;
export const windowDays = 31;
const span = windowDays * dayMs;

export interface VerifyCadence {
  nearDays: number;
  nearEveryHours: number;
  farEveryHours: number;
  /** Windows read per run at most (outside a full listing). */
  perRun: number;
}

export const windowKey = (w: Window) => w.from.slice(0, 10);

/** The horizon: whole UTC days from `pastDays` before `now` to `futureDays` after it. */
export function horizonOf(now: Date, pastDays: number, futureDays: number): Window {
  const from = Math.floor((now.getTime() - pastDays * dayMs) / dayMs) * dayMs;
  const to = Math.ceil((now.getTime() + futureDays * dayMs) / dayMs) * dayMs;
  return { from: iso(from), to: iso(to) };
}

/**
 * The fewest windows of at most 31 days that cover the horizon exactly, consecutive from its
 * start (the last one shorter): what a full listing reads.
 */
export function horizonWindows(now: Date, pastDays: number, futureDays: number): Window[] {
  const horizon = horizonOf(now, pastDays, futureDays);
  const until = Date.parse(horizon.to);
  const out: Window[] = [];
  for (let start = Date.parse(horizon.from); start < until; start += span) {
    out.push({ from: iso(start), to: iso(Math.min(start + span, until)) });
  }
  return out;
}

/**
 * The 31-day windows, on a fixed grid counted from the Unix epoch, that overlap the horizon: the
 * units of verification. A window keeps its key from day to day, so the time of its last read
 * (stored by key) stays meaningful as the horizon moves.
 */
export function verificationWindows(now: Date, pastDays: number, futureDays: number): Window[] {
  const horizon = horizonOf(now, pastDays, futureDays);
  const until = Date.parse(horizon.to);
  const out: Window[] = [];
  for (let start = Math.floor(Date.parse(horizon.from) / span) * span; start < until; start += span) {
    out.push({ from: iso(start), to: iso(start + span) });
  }
  return out;
}

/** True when the windows read, together, cover `target` (clipped to `within`) without a gap. */
export function covered(read: readonly Window[], target: Window, within: Window): boolean {
  let at = Math.max(Date.parse(target.from), Date.parse(within.from));
  const end = Math.min(Date.parse(target.to), Date.parse(within.to));
  const sorted = [...read].sort((a, b) => Date.parse(a.from) - Date.parse(b.from));
  for (const w of sorted) {
    if (at >= end) break;
    if (Date.parse(w.from) <= at && Date.parse(w.to) > at) at = Date.parse(w.to);
  }
  return at >= end;
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
