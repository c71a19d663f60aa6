// Timestamp formats of the Talk Calendar API and the zone arithmetic the emulator needs.
import { DateTime, IANAZone } from 'luxon';

export const defaultZone = 'Asia/Seoul';

/** `YYYY-MM-DDThh:mm:ssZ`, the API's timestamp format. */
export function formatKakao(date: Date): string {
  const y = date.getUTCFullYear();
  if (y < 1000 || y > 9999) return `${date.toISOString().slice(0, 19)}Z`;
  return `${y}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}T${pad(date.getUTCHours())}:${pad(
    date.getUTCMinutes(),
  )}:${pad(date.getUTCSeconds())}Z`;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `yyyyMMddTHHmmssZ`: the suffix of a recurring instance id (the instance's UTC start). */
export function instanceKey(date: Date): string {
  const y = date.getUTCFullYear();
  if (y < 1000 || y > 9999) return formatKakao(date).replaceAll('-', '').replaceAll(':', '');
  return `${y}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}T${pad(date.getUTCHours())}${pad(
    date.getUTCMinutes(),
  )}${pad(date.getUTCSeconds())}Z`;
}

export function parseInstanceKey(key: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(key);
  if (!m) return undefined;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(date.getTime()) || instanceKey(date) !== key ? undefined : date;
}

/** yyyyMMdd of an instant in a zone. */
export function ymdInZone(date: Date, zone: string): string {
  return DateTime.fromJSDate(date, { zone }).toFormat('yyyyMMdd');
}

/** The next midnight in Asia/Seoul strictly after `date` (when Kakao's daily quota resets). */
export function nextKstMidnight(date: Date): Date {
  return DateTime.fromJSDate(date, { zone: defaultZone }).startOf('day').plus({ days: 1 }).toJSDate();
}

/** Start of the KST day that contains `date`. */
export function kstDayStart(date: Date): Date {
  return DateTime.fromJSDate(date, { zone: defaultZone }).startOf('day').toJSDate();
}

// Zone offsets are asked for thousands of times per list request; luxon computes each one through
// Intl. Offsets only change at transitions (whole minutes, in practice on quarter hours), so they
// are cached per zone and 15-minute slot.
const slotMs = 15 * 60_000;
const offsetCache = new Map<string, number>();
const offsetCacheMax = 500_000;

/** Offset of `zone` from UTC in minutes at instant `ms`. */
export function zoneOffsetMinutes(zone: string, ms: number): number {
  if (zone === 'UTC') return 0;
  const key = `${zone}|${Math.floor(ms / slotMs)}`;
  let offset = offsetCache.get(key);
  if (offset === undefined) {
    offset = IANAZone.create(zone).offset(ms);
    if (offsetCache.size >= offsetCacheMax) offsetCache.clear();
    offsetCache.set(key, offset);
  }
  return offset;
}

/** The wall clock of `date` in `zone`, written as a UTC instant ("floating" time for rrule). */
export function toFloating(date: Date, zone: string): Date {
  const ms = date.getTime();
  return new Date(ms + zoneOffsetMinutes(zone, ms) * 60_000);
}

/**
 * Inverse of toFloating: the instant at which the wall clock in `zone` reads `floating`'s UTC
 * fields. An ambiguous wall time (DST fall-back) is the earlier instant; one skipped by a DST gap
 * moves forward by the gap — both as luxon and RFC 5545 do.
 */
export function fromFloating(floating: Date, zone: string): Date {
  const local = floating.getTime();
  const day = 86_400_000;
  const offsets = new Set([
    zoneOffsetMinutes(zone, local - day),
    zoneOffsetMinutes(zone, local),
    zoneOffsetMinutes(zone, local + day),
  ]);
  let best: number | undefined;
  for (const o of offsets) {
    const t = local - o * 60_000;
    if (zoneOffsetMinutes(zone, t) === o && (best === undefined || t < best)) best = t;
  }
  return new Date(best ?? local - Math.min(...offsets) * 60_000);
}
