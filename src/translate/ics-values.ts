// Typed iCalendar values read from content lines: DATE / DATE-TIME (with TZID, UTC or floating) as
// luxon DateTimes, and DURATION. Used by the task translator and the patcher; pure.
import { DateTime, Duration, IANAZone } from 'luxon';
import { findIana } from 'windows-iana';
import type { ContentLine } from '../ics/content-lines.js';

export interface IcsTime {
  /** The instant, in `zone` (for DATE values: midnight of that day in `zone`). */
  at: DateTime;
  /** VALUE=DATE. */
  dateOnly: boolean;
  /** Zone the value is meant in: its TZID, UTC for a Z value, the fallback for floating/DATE. */
  zone: string;
  /** The TZID was present but is not a known zone (the fallback was used). */
  unknownZone?: string;
}

/** An IANA zone for a TZID: itself, its Windows mapping, or a trailing IANA path ("/mozilla.org/…/Europe/Paris"). */
function ianaZoneOf(tzid: string): string | undefined {
  const clean = tzid.trim().replace(/^"|"$/g, '');
  if (IANAZone.isValidZone(clean)) return clean;
  const windows = findIana(clean)[0];
  if (windows && IANAZone.isValidZone(windows)) return windows;
  const tail = clean.match(/([A-Za-z_]+\/[A-Za-z_+-]+(?:\/[A-Za-z_+-]+)?)$/)?.[1];
  if (tail && IANAZone.isValidZone(tail)) return tail;
  return undefined;
}

/** Reads a DATE or DATE-TIME property value; null when malformed. */
export function readIcsTime(line: ContentLine, fallbackZone: string): IcsTime | null {
  const raw = line.value.trim().split(',')[0] ?? '';
  const dateOnly = line.params['VALUE']?.toUpperCase() === 'DATE' || /^\d{8}$/.test(raw);
  if (dateOnly) {
    const at = DateTime.fromFormat(raw.slice(0, 8), 'yyyyMMdd', { zone: fallbackZone });
    return at.isValid ? { at, dateOnly: true, zone: fallbackZone } : null;
  }
  const m = raw.match(/^(\d{8}T\d{6})(Z?)$/);
  if (!m) return null;
  if (m[2] === 'Z') {
    const at = DateTime.fromFormat(m[1]!, "yyyyMMdd'T'HHmmss", { zone: 'UTC' });
    return at.isValid ? { at, dateOnly: false, zone: 'UTC' } : null;
  }
  const tzid = line.params['TZID'];
  const resolved = tzid ? ianaZoneOf(tzid) : undefined;
  const zone = resolved ?? fallbackZone;
  const at = DateTime.fromFormat(m[1]!, "yyyyMMdd'T'HHmmss", { zone });
  if (!at.isValid) return null;
  const result: IcsTime = { at, dateOnly: false, zone };
  if (tzid && !resolved) result.unknownZone = tzid;
  return result;
}

/** Parses an RFC 5545 DURATION ("-P1DT2H", "PT15M", "P2W"); null when malformed. */
export function parseIcsDuration(value: string): Duration | null {
  const m = value.trim().match(/^([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i);
  if (!m || value.trim().match(/^[+-]?PT?$/i)) return null;
  const sign = m[1] === '-' ? -1 : 1;
  const n = (i: number): number => sign * Number(m[i] ?? 0);
  return Duration.fromObject({ weeks: n(2), days: n(3), hours: n(4), minutes: n(5), seconds: n(6) });
}

/** Formats a UTC DATE-TIME value (yyyyMMddTHHmmssZ). */
export function formatUtc(at: DateTime): string {
  return at.toUTC().toFormat("yyyyMMdd'T'HHmmss'Z'");
}
