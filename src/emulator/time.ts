// Timestamp formats of the Talk Calendar API and the zone arithmetic the emulator needs.
import { DateTime } from 'luxon';

export const defaultZone = 'Asia/Seoul';

/** `YYYY-MM-DDThh:mm:ssZ`, the API's timestamp format. */
export function formatKakao(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** `yyyyMMddTHHmmssZ`: the suffix of a recurring instance id (the instance's UTC start). */
export function instanceKey(date: Date): string {
  return formatKakao(date).replaceAll('-', '').replaceAll(':', '');
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

/** The wall clock of `date` in `zone`, written as a UTC instant ("floating" time for rrule). */
export function toFloating(date: Date, zone: string): Date {
  const wall = DateTime.fromJSDate(date, { zone });
  return new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second));
}

/** Inverse of toFloating: the instant at which the wall clock in `zone` reads `floating`'s UTC fields. */
export function fromFloating(floating: Date, zone: string): Date {
  return DateTime.fromObject(
    {
      year: floating.getUTCFullYear(),
      month: floating.getUTCMonth() + 1,
      day: floating.getUTCDate(),
      hour: floating.getUTCHours(),
      minute: floating.getUTCMinutes(),
      second: floating.getUTCSeconds(),
    },
    { zone },
  ).toJSDate();
}
