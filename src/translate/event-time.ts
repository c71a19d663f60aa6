// A VEVENT's start and end as UTC instants (timed) or dates (all-day), with the zone its wall
// times are read in. RFC 5545 §3.6.1 defaults: DTSTART only with a DATE → one day; with a
// DATE-TIME → zero length (made 5 minutes later by the grid, with a warning).
import type { TranslateWarning } from '../model/desired.js';
import { parseDuration } from './duration.js';
import type { ParsedComponent } from './parse.js';
import { prop } from './parse.js';
import { type DateValue, parseDateProperty, type WallTime, wallAsUtcMs, wallToUtcMs } from './wall-time.js';
import { ianaRules, resolveZone, type ZoneRules } from './zone.js';

export interface EventSpan {
  allDay: boolean;
  /** Timed: exact UTC instant. All-day: the start date at 00:00:00Z. */
  startMs: number;
  /** Timed: exact UTC instant. All-day: the exclusive end date at 00:00:00Z. */
  endMs: number;
  /** The zone DTSTART is read in (recurrences expand in it); UTC for UTC values. */
  zone: ZoneRules;
  /** DTSTART as written (wall time, read as if UTC) — the base of recurrence expansion. */
  startWallMs: number;
}

export interface ZoneSource {
  timezones: ParsedComponent[];
  userTimeZone: string;
  /** limits.maxRuleIterations, for the rules of custom VTIMEZONE blocks. */
  maxRuleIterations?: number;
}

const dayMs = 86_400_000;
const latestMs = Date.UTC(9999, 11, 31);

export function dateOnlyMs(w: WallTime): number {
  return Date.UTC(w.year, w.month - 1, w.day);
}

/** The zone a DATE-TIME value is read in, plus any warning about it. */
export function zoneOf(value: DateValue, src: ZoneSource, warnings: TranslateWarning[]): ZoneRules {
  if (value.kind === 'utc') return ianaRules('UTC');
  if (value.kind === 'date' || !value.tzid) return ianaRules(src.userTimeZone);
  const resolved = resolveZone(
    value.tzid,
    src.timezones,
    src.userTimeZone,
    wallAsUtcMs(value.wall),
    src.maxRuleIterations,
  );
  if (resolved.warning && !warnings.some((w) => w.message === resolved.warning?.message)) {
    warnings.push(resolved.warning);
  }
  return resolved.rules;
}

/** A date or date-time value → UTC ms (a DATE is read as 00:00 in `zone`). */
export function instantOf(value: DateValue, src: ZoneSource, warnings: TranslateWarning[]): number {
  if (value.kind === 'utc') return wallAsUtcMs(value.wall);
  return wallToUtcMs(wallAsUtcMs(value.wall), zoneOf(value, src, warnings));
}

export function readEventSpan(
  c: ParsedComponent,
  src: ZoneSource,
  warnings: TranslateWarning[],
): EventSpan | undefined {
  const start = parseDateProperty(prop(c, 'DTSTART'));
  if (!start) return undefined;
  const end = parseDateProperty(prop(c, 'DTEND'));
  const duration = parseDuration(prop(c, 'DURATION')?.value ?? '');

  if (start.kind === 'date') {
    const startMs = dateOnlyMs(start.wall);
    let endMs = startMs + dayMs;
    if (end) endMs = dateOnlyMs(end.wall);
    else if (duration)
      endMs =
        startMs + duration.sign * (duration.days * dayMs + Math.ceil(duration.seconds / 86_400) * dayMs);
    if (endMs <= startMs) endMs = startMs + dayMs;
    if (startMs >= latestMs) return undefined;
    endMs = Math.min(endMs, latestMs);
    return { allDay: true, startMs, endMs, zone: ianaRules(src.userTimeZone), startWallMs: startMs };
  }

  const zone = zoneOf(start, src, warnings);
  const startWallMs = wallAsUtcMs(start.wall);
  const startMs = start.kind === 'utc' ? startWallMs : wallToUtcMs(startWallMs, zone);
  let endMs = startMs;
  if (end) {
    // DTEND may carry its own TZID (Outlook writes different ones); a DATE end is read in DTSTART's zone.
    endMs = end.kind === 'date' ? wallToUtcMs(wallAsUtcMs(end.wall), zone) : instantOf(end, src, warnings);
  } else if (duration) {
    // Days are nominal (same wall time), the rest exact.
    const wallEnd = startWallMs + duration.sign * duration.days * dayMs;
    const base = start.kind === 'utc' ? wallEnd : wallToUtcMs(wallEnd, zone);
    endMs = base + duration.sign * duration.seconds * 1000;
  }
  if (endMs < startMs) endMs = startMs;
  // Kakao's timestamps have four-digit years: an absurd DURATION ends at the last representable day.
  if (startMs > latestMs) return undefined;
  endMs = Math.max(startMs, Math.min(endMs, latestMs));
  return { allDay: false, startMs, endMs, zone, startWallMs };
}
