// RRULE: what Kakao can take as is (see docs/recurrence.md), UNTIL in Kakao's form, and occurrence
// expansion. Occurrences are computed by the rrule library on WALL time (dates carrying the wall
// clock as if it were UTC, no tzid), then each is converted to UTC in the event's own zone — so a
// 09:00 weekly meeting stays 09:00 local across DST changes, whatever the process TZ.
import { TalkcalError } from '../model/errors.js';
import { RRule } from './rrule-lib.js';
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

/** An RRULE neither Kakao nor the rrule library can read. */
export class UnreadableRuleError extends TalkcalError {
  readonly scope = 'item';

  constructor(readonly detail: string) {
    super(`unreadable RRULE: ${detail}`);
  }
}

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
};

/** What is wrong with the RRULE's syntax (the rrule library accepts some nonsense silently). */
export function ruleSyntaxError(rrule: string): string | undefined {
  for (const [key, value] of ruleParts(rrule)) {
    const syntax = partSyntax[key];
    if (syntax && !syntax.test(value.toUpperCase())) return `${key}=${value}`;
    const range = partRange[key];
    if (range && value.split(',').some((v) => !inRange(v, range))) return `${key}=${value}`;
  }
  return undefined;
}

/** Allowed magnitudes of numeric list values (RFC 5545 §3.3.10); 0 is never allowed. */
const partRange: Record<string, number> = { BYMONTHDAY: 31, BYMONTH: 12, BYDAY: 53 };

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

const subDailyStepMs: Record<string, number> = { HOURLY: 3_600_000, MINUTELY: 60_000, SECONDLY: 1000 };

/** Upper bound on occurrences generated per rule, so a hostile rule cannot stall a sync. */
export const maxGeneratedOccurrences = 200_000;

/**
 * A sub-daily rule without COUNT from a DTSTART far in the past would make rrule walk every hour
 * (or second) up to the window; starting it a whole number of intervals later gives the same
 * occurrences, since they lie on the same lattice and BY* parts only filter it.
 */
function iterationStart(parts: Map<string, string>, s: Series, fromWallMs: number): number {
  const unit = subDailyStepMs[parts.get('FREQ')?.toUpperCase() ?? ''];
  if (unit === undefined || parts.has('COUNT')) return s.startWallMs;
  const step = unit * Math.max(1, Number.parseInt(parts.get('INTERVAL') ?? '1', 10) || 1);
  const periods = Math.floor((fromWallMs - s.startWallMs) / step) - 1;
  return periods > 0 ? s.startWallMs + periods * step : s.startWallMs;
}

function buildRule(rrule: string, s: Series, fromWallMs: number): RRule {
  const parts = ruleParts(rrule);
  const until = parts.get('UNTIL');
  parts.delete('UNTIL');
  const text = [...parts].map(([k, v]) => `${k}=${v}`).join(';');
  let options: ReturnType<typeof RRule.parseString>;
  try {
    options = RRule.parseString(text);
  } catch (error) {
    throw new UnreadableRuleError((error as Error).message);
  }
  if (until !== undefined) {
    const ms = untilInstantMs(until, s.zone, s.allDay);
    if (ms !== undefined) options.until = new Date(s.allDay ? ms : utcToWallMs(ms, s.zone));
  }
  try {
    return new RRule({ ...options, dtstart: new Date(iterationStart(parts, s, fromWallMs)), tzid: null });
  } catch (error) {
    throw new UnreadableRuleError((error as Error).message);
  }
}

/**
 * Occurrence starts (UTC ms; all-day: date at 00:00Z) in [fromMs, toMs), EXDATEs removed, RDATEs
 * added, DTSTART included (RFC 5545: it is the first instance). Throws on an unreadable rule.
 */
export function expandOccurrences(s: Series, fromMs: number, toMs: number): number[] {
  // Rules run on wall time: widen the UTC window by the largest possible offset.
  const margin = 2 * 86_400_000;
  const lo = fromMs - margin;
  const hi = toMs + margin;
  const found = new Set<number>();
  for (const rrule of s.rrules) {
    const rule = buildRule(rrule, s, lo);
    rule.all((d, i) => {
      const t = d.getTime();
      if (i >= maxGeneratedOccurrences || t >= hi) return false;
      if (t >= lo) found.add(occurrenceStart(t, s));
      return true;
    });
  }
  found.add(occurrenceStart(s.startWallMs, s));
  for (const r of s.rdates) found.add(r);
  for (const x of s.exdates) found.delete(x);
  return [...found].filter((ms) => ms >= fromMs && ms < toMs).sort((a, b) => a - b);
}

/** Whether `startMs` (UTC; all-day: date at 00:00Z) is an occurrence of the rules. */
export function isOccurrence(s: Series, startMs: number): boolean {
  const probe = { ...s, exdates: [] };
  return expandOccurrences(probe, startMs, startMs + 1).includes(startMs);
}
