import type { Window } from '../events/plan-types.js';

// The horizon cut into 31-day windows (one Kakao list call each): a full listing reads the fewest
// windows that cover the horizon (13 for 395 days); verification reads a near window aligned to now
// and windows that start where a mapped item sits (src/sync/verify-due.ts). Pure.

const dayMs = 86_400_000;
export const windowDays = 31;
const span = windowDays * dayMs;

const hourMs = 3_600_000;

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

export function windowOf(windows: readonly Window[], instant: string): Window | undefined {
  const t = Date.parse(instant);
  return windows.find((w) => Date.parse(w.from) <= t && t < Date.parse(w.to));
}

/** The window of at most 31 days that starts on the UTC day of `instant`, clipped to the horizon. */
export function windowFrom(instant: string, horizon: Window): Window {
  const from = Math.max(Math.floor(Date.parse(instant) / dayMs) * dayMs, Date.parse(horizon.from));
  return { from: iso(from), to: iso(Math.min(from + span, Date.parse(horizon.to))) };
}

/**
 * The near region: `days` from now, read in as few windows as that takes (one for 31 days), clipped
 * to the horizon. Event listings start at the current hour; task listings, which go by due date,
 * at the current UTC day.
 */
export function nearWindows(now: Date, days: number, horizon: Window, byDay: boolean): Window[] {
  const step = byDay ? dayMs : hourMs;
  const from = Math.floor(now.getTime() / step) * step;
  const until = Math.min(from + days * dayMs, Date.parse(horizon.to));
  const out: Window[] = [];
  for (let start = from; start < until; start += span) {
    out.push({ from: iso(start), to: iso(Math.min(start + span, until)) });
  }
  return out;
}

/** The fewest windows that cover the instants (greedy from the earliest), each via `windowFrom`. */
export function coverInstants(instants: readonly string[], horizon: Window): Window[] {
  const out: Window[] = [];
  // Each instant parsed once, not in every comparison: this sorts every mapped item on every poll.
  const byTime = instants.map((at) => ({ at, t: Date.parse(at) })).sort((a, b) => a.t - b.t);
  for (const { at } of byTime) {
    if (windowOf(out, at)) continue;
    out.push(windowFrom(at, horizon));
  }
  return out;
}

/** True when the instant lies in the window. */
export function contains(w: Window, instant: string): boolean {
  const t = Date.parse(instant);
  return Date.parse(w.from) <= t && t < Date.parse(w.to);
}
