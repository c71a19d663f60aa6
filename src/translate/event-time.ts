// A VEVENT's start and end as UTC instants (timed) or dates (all-day), with the zone its wall
// times are read in. RFC 5545 §3.6.1 defaults: DTSTART only with a DATE → one day; with a
// DATE-TIME → zero length (made 5 minutes later by the grid, with a warning).
import type { TranslateWarning } from '../model/desired.js';
import { endBeforeStart, mixedValueTypes, tzidOnUtc } from './contradictions.js';
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
  /** X-WR-TIMEZONE of the calendar: floating times are read in it rather than the user's zone. */
  calendarTimeZone?: string;
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
  if (value.kind === 'date') return ianaRules(src.userTimeZone);
  if (!value.tzid) return floatingZone(value.wall, src, warnings);
  return resolved(value.tzid, value.wall, src, warnings);
}

function resolved(tzid: string, wall: WallTime, src: ZoneSource, warnings: TranslateWarning[]): ZoneRules {
  const zone = resolveZone(tzid, src.timezones, src.userTimeZone, wallAsUtcMs(wall), src.maxRuleIterations);
  if (zone.warning) warnOnce(warnings, zone.warning);
  return zone.rules;
}

/**
 * The zone of a floating time (no TZID, no Z): the calendar's X-WR-TIMEZONE when it declares one
 * (what Google, Apple and the python x-wr-timezone convention do), else the user's zone. The
 * warning says which; an X-WR-TIMEZONE no zone matches adds the usual unknown-timezone warning.
 */
function floatingZone(wall: WallTime, src: ZoneSource, warnings: TranslateWarning[]): ZoneRules {
  const declared = src.calendarTimeZone;
  if (!declared) {
    warnOnce(warnings, {
      code: 'floating-time',
      message: `floating times read in the user's zone ${src.userTimeZone} (the calendar declares no X-WR-TIMEZONE)`,
    });
    return ianaRules(src.userTimeZone);
  }
  const zone = resolved(declared, wall, src, warnings);
  warnOnce(warnings, {
    code: 'floating-time',
    message: `floating times read in ${zone.ianaName}, the calendar's X-WR-TIMEZONE "${declared}"`,
  });
  return zone;
}

function warnOnce(warnings: TranslateWarning[], w: TranslateWarning): void {
  if (!warnings.some((x) => x.code === w.code && x.message === w.message)) warnings.push(w);
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
  const startProp = prop(c, 'DTSTART');
  const start = parseDateProperty(startProp);
  if (!start || !startProp) return undefined;
  const endProp = prop(c, 'DTEND');
  const end = parseDateProperty(endProp);
  const durationProp = end ? undefined : prop(c, 'DURATION');
  const duration = parseDuration(durationProp?.value ?? '');
  const endSource = end ? endProp : duration ? durationProp : undefined;
  for (const p of [startProp, endProp]) {
    const w = tzidOnUtc(p);
    if (w) warnOnce(warnings, w);
  }

  if (start.kind === 'date') {
    const startMs = dateOnlyMs(start.wall);
    let endMs = startMs + dayMs;
    if (end) endMs = dateOnlyMs(end.wall) + (end.kind !== 'date' && hasTimeOfDay(end.wall) ? dayMs : 0);
    else if (duration)
      endMs =
        startMs + duration.sign * (duration.days * dayMs + Math.ceil(duration.seconds / 86_400) * dayMs);
    if (endMs < startMs && endSource)
      warnOnce(warnings, endBeforeStart(startProp, endSource, 'read as one day'));
    if (endMs <= startMs) endMs = startMs + dayMs;
    if (startMs >= latestMs) return undefined;
    endMs = Math.min(endMs, latestMs);
    if (end && end.kind !== 'date' && endProp)
      warnOnce(
        warnings,
        mixedValueTypes(startProp, endProp, `read as all-day, through ${isoDate(endMs - dayMs)}`),
      );
    return { allDay: true, startMs, endMs, zone: ianaRules(src.userTimeZone), startWallMs: startMs };
  }

  const zone = zoneOf(start, src, warnings);
  const startWallMs = wallAsUtcMs(start.wall);
  const startMs = start.kind === 'utc' ? startWallMs : wallToUtcMs(startWallMs, zone);
  let endMs = startMs;
  if (end) {
    // DTEND may carry its own TZID (Outlook writes different ones); a DATE end is read in DTSTART's zone.
    endMs = end.kind === 'date' ? wallToUtcMs(wallAsUtcMs(end.wall), zone) : instantOf(end, src, warnings);
    if (end.kind === 'date' && endProp)
      warnOnce(
        warnings,
        mixedValueTypes(
          startProp,
          endProp,
          `read as a timed event ending at 00:00 of that date in ${zone.ianaName}`,
        ),
      );
  } else if (duration) {
    // Days are nominal (same wall time), the rest exact.
    const wallEnd = startWallMs + duration.sign * duration.days * dayMs;
    const base = start.kind === 'utc' ? wallEnd : wallToUtcMs(wallEnd, zone);
    endMs = base + duration.sign * duration.seconds * 1000;
  }
  if (endMs < startMs && endSource)
    warnOnce(warnings, endBeforeStart(startProp, endSource, 'read as ending at its start'));
  if (endMs < startMs) endMs = startMs;
  // Kakao's timestamps have four-digit years: an absurd DURATION ends at the last representable day.
  if (startMs > latestMs) return undefined;
  endMs = Math.max(startMs, Math.min(endMs, latestMs));
  return { allDay: false, startMs, endMs, zone, startWallMs };
}

function hasTimeOfDay(w: WallTime): boolean {
  return w.hour !== 0 || w.minute !== 0 || w.second !== 0;
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
