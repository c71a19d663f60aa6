// iCalendar DATE / DATE-TIME values and the conversion of a zone's wall time to a UTC instant,
// with RFC 5545 §3.3.5 semantics: a nonexistent local time (DST gap) moves forward by the gap, an
// ambiguous one (DST overlap) takes the first occurrence. (luxon alone takes the later one in some
// zones, so the choice is made here.)
import type { RawProperty } from './parse.js';
import type { ZoneRules } from './zone.js';

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export type DateValue =
  | { kind: 'date'; wall: WallTime }
  | { kind: 'utc'; wall: WallTime }
  | { kind: 'local'; wall: WallTime; tzid?: string };

/**
 * Reads DTSTART/DTEND/RECURRENCE-ID/EXDATE values. Tolerant: a date-time under VALUE=DATE is read as
 * the date-time it literally is (its time part is explicit); a TZID on a DATE is ignored.
 */
export function parseDateValue(value: string, params: Record<string, string>): DateValue | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?(Z)?)?$/.exec(value.trim());
  if (!m) return undefined;
  const wall: WallTime = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4] ?? 0),
    minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0),
  };
  if (wall.month < 1 || wall.month > 12 || wall.day < 1 || wall.day > 31) return undefined;
  if (wall.hour > 23 || wall.minute > 59 || wall.second > 60) return undefined;
  if (m[4] === undefined) return { kind: 'date', wall };
  if (m[7]) return { kind: 'utc', wall };
  return params.TZID ? { kind: 'local', wall, tzid: params.TZID } : { kind: 'local', wall };
}

export function parseDateProperty(p: RawProperty | undefined): DateValue | undefined {
  return p ? parseDateValue(p.value, p.params) : undefined;
}

/** The wall time's fields read as if it were UTC (ms). */
export function wallAsUtcMs(w: WallTime): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

export function utcMsToWall(ms: number): WallTime {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

const day = 86_400_000;

/** Wall time in `zone` → UTC ms (gap: forward by the gap; overlap: first occurrence). */
export function wallToUtcMs(wallMs: number, zone: ZoneRules): number {
  const before = zone.offsetAt(wallMs - day);
  const after = zone.offsetAt(wallMs + day);
  const candidates = [before, after]
    .map((o) => wallMs - o * 60_000)
    .filter((ms) => zone.offsetAt(ms) * 60_000 === wallMs - ms)
    .sort((a, b) => a - b);
  const first = candidates[0];
  if (first !== undefined) return first;
  // In a gap: read with the offset before the transition, which lands `gap` later on the clock.
  return wallMs - before * 60_000;
}

/** UTC ms → wall time ms in `zone`. */
export function utcToWallMs(utcMs: number, zone: ZoneRules): number {
  return utcMs + zone.offsetAt(utcMs) * 60_000;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Kakao's time format: YYYY-MM-DDThh:mm:ssZ. */
export function kakaoTimestamp(utcMs: number): string {
  const w = utcMsToWall(utcMs);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}Z`;
}

/** Kakao instance ids and RRULE UNTIL: yyyyMMddTHHmmssZ. */
export function compactUtc(utcMs: number): string {
  const w = utcMsToWall(utcMs);
  return `${pad(w.year, 4)}${pad(w.month)}${pad(w.day)}T${pad(w.hour)}${pad(w.minute)}${pad(w.second)}Z`;
}
