import type { Window } from '../events/plan-types.js';

// When each stretch of a link's horizon was last read from Kakao: disjoint spans [from, to) with the
// time of their latest read, stored as `from/to → at`. A new read paints over what it covers, so
// the books stay as many spans as there were reads in the last verification cycle (about 15), not
// one per read ever made. Pure.

export interface VerifiedSpan {
  from: number;
  to: number;
  /** Epoch ms of the read. */
  at: number;
}

const dayMs = 86_400_000;
/** Books written before spans: a window start (yyyy-MM-dd) of the old fixed 31-day grid. */
const legacyKey = /^\d{4}-\d{2}-\d{2}$/;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The stored books as sorted disjoint spans; unreadable entries are ignored (read again). */
export function spansOf(books: Readonly<Record<string, string>>): VerifiedSpan[] {
  let spans: VerifiedSpan[] = [];
  const entries = Object.entries(books)
    .map(([key, value]) => ({ ...rangeOf(key), at: Date.parse(value) }))
    .filter((s) => Number.isFinite(s.from) && Number.isFinite(s.to) && s.from < s.to && Number.isFinite(s.at))
    .sort((a, b) => a.at - b.at);
  for (const s of entries) spans = paint(spans, s);
  return spans;
}

function rangeOf(key: string): { from: number; to: number } {
  if (legacyKey.test(key)) {
    const from = Date.parse(`${key}T00:00:00Z`);
    return { from, to: from + 31 * dayMs };
  }
  const [from = '', to = ''] = key.split('/');
  return { from: Date.parse(from), to: Date.parse(to) };
}

/** The books as stored. */
export function booksOf(spans: readonly VerifiedSpan[]): Record<string, string> {
  return Object.fromEntries(spans.map((s) => [`${iso(s.from)}/${iso(s.to)}`, iso(s.at)]));
}

/** Epoch ms of the latest read covering the instant, or undefined when none did. */
export function lastRead(spans: readonly VerifiedSpan[], instant: string): number | undefined {
  const t = Date.parse(instant);
  return spans.find((s) => s.from <= t && t < s.to)?.at;
}

/**
 * The books after reading `windows` at `at`: each window paints over what it covers; spans that
 * ended before `horizon` began are dropped (nothing of ours is verified there any more).
 */
export function recordReads(
  spans: readonly VerifiedSpan[],
  windows: readonly Window[],
  at: Date,
  horizon: Window,
): VerifiedSpan[] {
  let out = spans.filter((s) => s.to > Date.parse(horizon.from));
  for (const w of windows)
    out = paint(out, { from: Date.parse(w.from), to: Date.parse(w.to), at: at.getTime() });
  return out;
}

/** Paints one span over sorted disjoint spans (cutting what it overlaps), joining equal neighbours. */
function paint(spans: readonly VerifiedSpan[], add: VerifiedSpan): VerifiedSpan[] {
  const out: VerifiedSpan[] = [];
  for (const s of spans) {
    if (s.to <= add.from || s.from >= add.to) {
      out.push(s);
      continue;
    }
    if (s.from < add.from) out.push({ ...s, to: add.from });
    if (s.to > add.to) out.push({ ...s, from: add.to });
  }
  out.push(add);
  out.sort((a, b) => a.from - b.from);
  const joined: VerifiedSpan[] = [];
  for (const s of out) {
    const last = joined.at(-1);
    if (last && last.to === s.from && last.at === s.at) last.to = s.to;
    else joined.push({ ...s });
  }
  return joined;
}
