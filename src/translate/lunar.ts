// Kakao lunar events (`time.lunar: true`) recur on a Korean lunar date. iCalendar cannot say that,
// so export lists the solar date of every occurrence inside a window. Conversions use the KARI
// tables of `korean-lunar-calendar` (lunar 1000-01-01 … 2050-11-18). Rules:
// - yearly: same lunar month/day each lunar year; an occurrence whose first date was in a leap
//   month (윤달) recurs in the regular month of that number (the usual Korean practice);
// - monthly: same lunar day in each regular lunar month;
// - a day 30 in a 29-day month falls on the month's last day (29).
import lunarPackage from 'korean-lunar-calendar';

// The package's types describe a CommonJS module whose `default` is the class; at run time (ESM
// entry) the default import is the class itself. Accept both.
type LunarCalendarClass = (typeof lunarPackage)['default'];
const KoreanLunarCalendar: LunarCalendarClass =
  (lunarPackage as unknown as { default?: LunarCalendarClass }).default ??
  (lunarPackage as unknown as LunarCalendarClass);

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

export interface LunarDate extends CalendarDate {
  leap: boolean;
}

const lastLunarYear = 2050;

export function solarToLunar(date: CalendarDate): LunarDate | null {
  const cal = new KoreanLunarCalendar();
  if (!cal.setSolarDate(date.year, date.month, date.day)) return null;
  const l = cal.getLunarCalendar();
  return { year: l.year, month: l.month, day: l.day, leap: l.intercalation === true };
}

/** The solar date of a lunar date; null when that day does not exist (e.g. the 30th of a short month). */
export function lunarToSolar(lunar: LunarDate): CalendarDate | null {
  const cal = new KoreanLunarCalendar();
  if (!cal.setLunarDate(lunar.year, lunar.month, lunar.day, lunar.leap)) return null;
  const s = cal.getSolarCalendar();
  // The library accepts overflowing days silently: check the round trip.
  const back = solarToLunar(s);
  if (!back || back.month !== lunar.month || back.day !== lunar.day || back.leap !== lunar.leap) return null;
  return { year: s.year, month: s.month, day: s.day };
}

function solarOf(year: number, month: number, day: number): CalendarDate | null {
  const exact = lunarToSolar({ year, month, day, leap: false });
  return exact ?? (day === 30 ? lunarToSolar({ year, month, day: 29, leap: false }) : null);
}

const key = (d: CalendarDate): number => d.year * 10000 + d.month * 100 + d.day;

function ruleParts(rrule: string | undefined): Map<string, string> {
  const parts = new Map<string, string>();
  for (const piece of (rrule ?? '').split(';')) {
    const [k, v] = piece.split('=');
    if (k && v) parts.set(k.trim().toUpperCase(), v.trim());
  }
  return parts;
}

/**
 * Solar dates (within [from, to], inclusive) of a lunar event whose first occurrence is on solar
 * date `first`, recurring by `rrule` (FREQ=YEARLY or MONTHLY with INTERVAL/COUNT/UNTIL; none: once).
 */
export function lunarOccurrences(
  first: CalendarDate,
  rrule: string | undefined,
  from: CalendarDate,
  to: CalendarDate,
): CalendarDate[] {
  const start = solarToLunar(first);
  if (!start) return [];
  const parts = ruleParts(rrule);
  const freq = parts.get('FREQ')?.toUpperCase();
  const inWindow = (d: CalendarDate): boolean => key(d) >= key(from) && key(d) <= key(to);
  if (freq !== 'YEARLY' && freq !== 'MONTHLY') return inWindow(first) ? [first] : [];
  const interval = Math.max(1, Number(parts.get('INTERVAL') ?? 1) || 1);
  const count = parts.has('COUNT') ? Number(parts.get('COUNT')) : Number.POSITIVE_INFINITY;
  const untilDigits = parts.get('UNTIL')?.slice(0, 8);
  const until = untilDigits ? Number(untilDigits) : Number.POSITIVE_INFINITY;
  const out: CalendarDate[] = [];
  let seen = 0;
  let year = start.year;
  let month = start.month;
  while (year <= lastLunarYear && seen < count) {
    const solar = seen === 0 ? first : solarOf(year, month, start.day);
    if (solar) {
      if (key(solar) > key(to) || key(solar) > until) break;
      seen++;
      if (inWindow(solar)) out.push(solar);
    }
    if (freq === 'YEARLY') {
      year += interval;
    } else {
      month += interval;
      while (month > 12) {
        month -= 12;
        year++;
      }
    }
  }
  return out;
}
