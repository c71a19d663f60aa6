import type { ZoneSource } from './event-time.js';
import type { TranslateLimits } from './limits.js';
import type { ParsedComponent } from './parse.js';

// What a translation needs to know beyond the source item itself. Passed in, never read from the
// environment, so translation stays a pure function of its inputs.
export interface TranslateContext {
  /** Floating times (no TZID, no Z) are read in this IANA zone unless the calendar declares one. */
  userTimeZone: string;
  /** The item's calendar's X-WR-TIMEZONE (set by the translator from the item itself). */
  calendarTimeZone?: string;
  /** Occurrences of recurrences Kakao cannot represent are expanded only inside this window. */
  horizon: { from: Date; to: Date };
  /** No VALARM → `reminders: []` (else the field is omitted and the calendar's default applies). */
  suppressDefaultReminders: boolean;
  now: Date;
  /** Bounds on what one item may cost (config `limits`; `defaultLimits` in tests). */
  limits: TranslateLimits;
  /** Every recurrence becomes one event per occurrence (channel links: public events cannot recur). */
  expandRecurrences?: boolean;
}

/** Where an item's date values find their zones, under the context's bounds. */
export function zoneSource(ctx: TranslateContext, timezones: ParsedComponent[]): ZoneSource {
  const src: ZoneSource = {
    timezones,
    userTimeZone: ctx.userTimeZone,
    maxRuleIterations: ctx.limits.maxRuleIterations,
  };
  if (ctx.calendarTimeZone) src.calendarTimeZone = ctx.calendarTimeZone;
  return src;
}
