// RRULE: what Kakao can take as is (see docs/recurrence.md), UNTIL in Kakao's form, and occurrence
// expansion. Occurrences are computed by the rrule library on WALL time (dates carrying the wall
// clock as if it were UTC, no tzid), then each is converted to UTC in the event's own zone — so a
// 09:00 weekly meeting stays 09:00 local across DST changes, whatever the process TZ. Every walk
// is bounded (rule-plan.ts, rule-walk.ts): it ends at the window's edge, after the occurrences
// wanted, and a rule that could cost more than limits.maxRuleIterations is refused.
import { planRuleWalk } from './rule-plan.js';
import { walkRule } from './rule-walk.js';
import { compactUtc, parseDateValue, utcToWallMs, wallAsUtcMs, wallToUtcMs } from './wall-time.js';
import type { ZoneRules } from './zone.js';

const representableFreq = new Set(['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY']);
const representableParts = new Set([
  'FREQ',
  'INTERVAL',
  'COUNT',
  'UNTIL',
  'BYDAY',
  'BYMONTHDAY',
  'BYMONTH',
  'WKST',
]);

export function ruleParts(rrule: string): Map<string, string> {
  const parts = new Map<string, string>();
  for (const piece of rrule.replace(/^RRULE:/i, '').split(';')) {
    const eq = piece.indexOf('=');
    // Whitespace inside a value ("BYDAY=MO, TU") is a common writer bug: tolerated.
    if (eq > 0) parts.set(piece.slice(0, eq).trim().toUpperCase(), piece.slice(eq + 1).replace(/\s+/g, ''));
  }
  return parts;
}

export { RuleTooCostlyError, UnreadableRuleError } from './rule-plan.js';

const weekday = '(?:MO|TU|WE|TH|FR|SA|SU)';
const partSyntax: Record<string, RegExp> = {
  FREQ: /^(?:SECONDLY|MINUTELY|HOURLY|DAILY|WEEKLY|MONTHLY|YEARLY)$/,
  INTERVAL: /^[1-9]\d*$/,
  COUNT: /^[1-9]\d*$/,
  UNTIL: /^\d{8}(?:T\d{6}Z?)?$/,
  BYDAY: new RegExp(`^[+-]?\\d{0,2}${weekday}(?:,[+-]?\\d{0,2}${weekday})*$`),
  BYMONTHDAY: /^[+-]?\d{1,2}(?:,[+-]?\d{1,2})*$/,
  BYMONTH: /^\d{1,2}(?:,\d{1,2})*$/,
  WKST: new RegExp(`^${weekday}$`),
  BYHOUR: /^\d{1,2}(?:,\d{1,2})*$/,
  BYMINUTE: /^\d{1,2}(?:,\d{1,2})*$/,
  BYSECOND: /^\d{1,2}(?:,\d{1,2})*$/,
};

/** What is wrong with the RRULE's syntax (the rrule library accepts some nonsense silently). */
export function ruleSyntaxError(rrule: string): string | undefined {
  for (const [key, value] of ruleParts(rrule)) {
    const syntax = partSyntax[key];
    if (syntax && !syntax.test(value.toUpperCase())) return `${key}=${value}`;
    const range = partRange[key];
    if (range && value.split(',').some((v) => !inRange(v, range))) return `${key}=${value}`;
    const clock = clockRange[key];
    if (clock && value.split(',').some((v) => Number(v) > clock)) return `${key}=${value}`;
  }
  return undefined;
}

/** Allowed magnitudes of numeric list values (RFC 5545 §3.3.10); 0 is never allowed. */
const partRange: Record<string, number> = { BYMONTHDAY: 31, BYMONTH: 12, BYDAY: 53 };

/** Largest value of the time-of-day lists (0 allowed; 60 is a leap second). */
const clockRange: Record<string, number> = { BYHOUR: 23, BYMINUTE: 59, BYSECOND: 60 };

function inRange(value: string, max: number): boolean {
  const n = Number.parseInt(value, 10);
  if (Number.isNaN(n)) return true; // a BYDAY without ordinal
  return n !== 0 && Math.abs(n) <= max && !(max === 12 && n < 0);
}

/** Why Kakao cannot take this RRULE, or undefined when it can. */
export function unrepresentableReason(rrule: string): string | undefined {
  const parts = ruleParts(rrule);
  const freq = parts.get('FREQ')?.toUpperCase();
  if (!freq) return 'RRULE without FREQ';
  if (!representableFreq.has(freq)) return `FREQ=${freq}`;
  for (const key of parts.keys()) if (!representableParts.has(key)) return `RRULE part ${key}`;
  if (parts.has('COUNT') && parts.has('UNTIL')) return 'RRULE with both COUNT and UNTIL';
  return undefined;
}

/**
 * UNTIL → UTC instant. A UTC value is taken as is; a floating one is read in the event's zone; a
 * DATE means the end of that day (inclusive) for timed events and that date for all-day ones.
 */
export function untilInstantMs(until: string, zone: ZoneRules, allDay: boolean): number | undefined {
  const v = parseDateValue(until, {});
  if (!v) return undefined;
  const wall = wallAsUtcMs(v.wall);
  if (allDay) {
    if (v.kind !== 'utc') return Date.UTC(v.wall.year, v.wall.month - 1, v.wall.day);
    // A UTC UNTIL on an all-day series (Exchange writes local midnight in UTC): that instant's date in the zone.
    const local = new Date(utcToWallMs(wall, zone));
    return Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
  }
  if (v.kind === 'utc') return wall;
  if (v.kind === 'date') return wallToUtcMs(wall + 86_399_000, zone);
  return wallToUtcMs(wall, zone);
}

/** The RRULE Kakao gets: parts in source order, UNTIL as yyyyMMddTHHmmssZ. */
export function normaliseRule(rrule: string, zone: ZoneRules, allDay: boolean): string {
  const out: string[] = [];
  for (const [key, value] of ruleParts(rrule)) {
    if (key === 'UNTIL') {
      const ms = untilInstantMs(value, zone, allDay);
      if (ms !== undefined) out.push(`UNTIL=${compactUtc(ms)}`);
    } else {
      out.push(`${key}=${value.toUpperCase()}`);
    }
  }
  return out.join(';');
}

export interface Series {
  rrules: string[];
  /** DTSTART wall time (ms as if UTC); all-day: the date at 00:00. */
  startWallMs: number;
  zone: ZoneRules;
  allDay: boolean;
  /** RDATE starts, UTC ms (all-day: date at 00:00Z). */
  rdates: number[];
  /** EXDATE starts, UTC ms (all-day: date at 00:00Z). */
  exdates: number[];
}

/** Wall ms (as if UTC) → the occurrence's start: UTC ms, or the date itself for all-day. */
function occurrenceStart(wallMs: number, s: Series): number {
  // An all-day series with a sub-daily rule (FREQ=HOURLY on a DATE) still yields whole days.
  return s.allDay ? Math.floor(wallMs / 86_400_000) * 86_400_000 : wallToUtcMs(wallMs, s.zone);
}

export interface ExpansionBounds {
  /** Occurrences kept (the first ones in the window); Infinity for all. */
  maxOccurrences: number;
  /** limits.maxRuleIterations: candidates one rule's walk may look at. */
  maxIterations: number;
}

export interface Expansion {
  /** Occurrence starts in the window, in order, at most `maxOccurrences`. */
  starts: number[];
  /** More occurrences were in the window than kept. */
  capped: boolean;
}

// Rules run on wall time, which is UTC plus -12 to +14 hours: the window is widened by a day, and a
// wall time 14 hours inside the window is surely inside it in UTC.
const dayMs = 86_400_000;
const marginMs = dayMs;
const maxOffsetMs = 14 * 3_600_000;

/**
 * Occurrence starts (UTC ms; all-day: date at 00:00Z) in [fromMs, toMs), EXDATEs removed, RDATEs
 * added, DTSTART included (RFC 5545: it is the first instance), the first `maxOccurrences` of them.
 * Throws UnreadableRuleError or RuleTooCostlyError.
 */
export function expandOccurrences(
  s: Series,
  fromMs: number,
  toMs: number,
  bounds: ExpansionBounds,
): Expansion {
  const lo = fromMs - marginMs;
  const hi = toMs + marginMs;
  const excluded = new Set(s.exdates);
  // Each rule yields enough for the union to keep its first `maxOccurrences` after EXDATEs.
  const perRule = bounds.maxOccurrences + excluded.size + 1;
  const found = new Set<number>();
  for (const text of s.rrules) {
    const plan = rulePlan(text, s, { lo, hi, fromMs, toMs, perRule }, bounds.maxIterations);
    if (!plan) continue;
    let counted = 0;
    walkRule(plan.rule, {
      maxPeriods: plan.maxPeriods,
      onMatch: (wallMs) => {
        if (wallMs >= hi) return false;
        if (wallMs < lo) return true;
        const start = occurrenceStart(wallMs, s);
        found.add(start);
        return !(start >= fromMs && start < toMs && ++counted >= perRule);
      },
    });
  }
  found.add(occurrenceStart(s.startWallMs, s));
  for (const r of s.rdates) found.add(r);
  const starts = [...found]
    .filter((ms) => ms >= fromMs && ms < toMs && !excluded.has(ms))
    .sort((a, b) => a - b);
  return { starts: starts.slice(0, bounds.maxOccurrences), capped: starts.length > bounds.maxOccurrences };
}

function rulePlan(
  text: string,
  s: Series,
  w: { lo: number; hi: number; fromMs: number; toMs: number; perRule: number },
  maxIterations: number,
) {
  const parts = ruleParts(text);
  const until = parts.get('UNTIL');
  parts.delete('UNTIL');
  let untilWallMs: number | undefined;
  if (until !== undefined) {
    const ms = untilInstantMs(until, s.zone, s.allDay);
    if (ms !== undefined) untilWallMs = s.allDay ? ms : utcToWallMs(ms, s.zone);
  }
  const rest = [...parts].map(([k, v]) => `${k}=${v}`).join(';');
  return planRuleWalk(
    rest,
    s.startWallMs,
    untilWallMs,
    {
      fromWallMs: w.lo,
      edgeWallMs: w.hi,
      countFromWallMs: w.fromMs + maxOffsetMs,
      countToWallMs: w.toMs - maxOffsetMs,
      cap: w.perRule,
    },
    maxIterations,
  );
}

/**
 * Whether a start is an occurrence of the rules (EXDATEs aside), for many starts at once: one walk
 * over the span they cover, not one walk per start.
 */
export function occurrenceTester(
  s: Series,
  probes: number[],
  maxIterations: number,
): (startMs: number) => boolean {
  if (probes.length === 0) return () => false;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const p of probes) {
    if (p < lo) lo = p;
    if (p > hi) hi = p;
  }
  const all = { maxOccurrences: Number.POSITIVE_INFINITY, maxIterations };
  const occurrences = new Set(expandOccurrences({ ...s, exdates: [] }, lo, hi + 1, all).starts);
  return (startMs) => occurrences.has(startMs);
}
