// Expansion of a stored recurring event into instances, in the event's own zone. The rrule package
// is used in "floating" mode (wall-clock times written as UTC) so the result does not depend on the
// process TZ; each wall time is then placed in the zone with luxon (DST-correct).

import type { RRule as RRuleType } from 'rrule';
import rrulePkg from 'rrule';
import { formatKakao, fromFloating, instanceKey, toFloating } from './time.js';

const { RRule } = rrulePkg;

export interface RecurringShape {
  start: Date;
  end: Date;
  allDay: boolean;
  timeZone: string;
  rrule: string;
}

/** Zone the series repeats in: all-day events repeat on UTC dates (their times are 00:00:00Z). */
function seriesZone(shape: RecurringShape): string {
  return shape.allDay ? 'UTC' : shape.timeZone;
}

function untilToFloating(raw: string, zone: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/i.exec(raw);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]) - 1, Number(m[3])];
  if (m[4] === undefined) return new Date(Date.UTC(y, mo, d, 23, 59, 59)); // date-only: the whole day
  const wall = new Date(Date.UTC(y, mo, d, Number(m[4]), Number(m[5]), Number(m[6])));
  return m[7] ? toFloating(wall, zone) : wall;
}

// Parsed rules by (rrule, DTSTART, zone): list requests expand the same series again and again.
const cache = new Map<string, RRuleType>();
const cacheMax = 50_000;

function buildRule(shape: RecurringShape): RRuleType {
  const zone = seriesZone(shape);
  const key = `${shape.rrule}|${shape.start.getTime()}|${zone}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const text = shape.rrule
    .replace(/^RRULE:/i, '')
    .split(';')
    .filter((part) => part !== '' && !/^(DTSTART|UNTIL)=/i.test(part))
    .join(';');
  const options = RRule.parseString(text);
  const rawUntil = /(?:^|;)UNTIL=([^;]+)/i.exec(shape.rrule)?.[1];
  const until = rawUntil ? untilToFloating(rawUntil, zone) : undefined;
  const rule = new RRule({
    ...options,
    dtstart: toFloating(shape.start, zone),
    until: until ?? null,
    tzid: null,
  });
  if (cache.size >= cacheMax) cache.clear();
  cache.set(key, rule);
  return rule;
}

export interface Occurrence {
  start: Date;
  end: Date;
  key: string;
}

const dayMs = 86_400_000;

/**
 * Occurrences whose original start lies in [from - duration - 1 day, to + 1 day]: a superset of the
 * ones overlapping [from, to). Callers filter exactly (after applying overrides).
 */
export function occurrencesNear(shape: RecurringShape, from: Date, to: Date): Occurrence[] {
  const zone = seriesZone(shape);
  const duration = shape.end.getTime() - shape.start.getTime();
  const rule = buildRule(shape);
  const lo = toFloating(new Date(from.getTime() - duration - dayMs), zone);
  const hi = toFloating(new Date(to.getTime() + dayMs), zone);
  return rule.between(lo, hi, true).map((floating) => {
    const start = fromFloating(floating, zone);
    return { start, end: new Date(start.getTime() + duration), key: instanceKey(start) };
  });
}

/** Whether the series has an occurrence starting exactly at `start`. */
export function hasOccurrenceAt(shape: RecurringShape, start: Date): boolean {
  return occurrencesNear(shape, start, new Date(start.getTime() + 1)).some(
    (o) => o.start.getTime() === start.getTime(),
  );
}

/** Number of occurrences starting strictly before `before`. */
export function countBefore(shape: RecurringShape, before: Date): number {
  const zone = seriesZone(shape);
  const rule = buildRule(shape);
  const hi = toFloating(new Date(before.getTime() + dayMs), zone);
  return rule
    .between(toFloating(shape.start, zone), hi, true)
    .filter((f) => fromFloating(f, zone).getTime() < before.getTime()).length;
}

/** First occurrence of the series, if any (an UNTIL before DTSTART leaves none). */
export function firstOccurrence(shape: RecurringShape): Date | undefined {
  const zone = seriesZone(shape);
  const first = buildRule(shape).after(toFloating(shape.start, zone), true);
  return first ? fromFloating(first, zone) : undefined;
}

/** The rrule with COUNT/UNTIL replaced by an UNTIL just before `splitAt` (the old half of a split). */
export function rruleEndingBefore(rrule: string, splitAt: Date): string {
  const parts = rrule
    .replace(/^RRULE:/i, '')
    .split(';')
    .filter((p) => p !== '' && !/^(COUNT|UNTIL)=/i.test(p));
  const until = formatKakao(new Date(splitAt.getTime() - 1000))
    .replaceAll('-', '')
    .replaceAll(':', '');
  return [...parts, `UNTIL=${until}`].join(';');
}

/** The rrule continuing after a split: COUNT reduced by the occurrences already used, if any. */
export function rruleContinuing(shape: RecurringShape, splitAt: Date): string {
  const count = /(?:^|;)COUNT=(\d+)/i.exec(shape.rrule)?.[1];
  if (count === undefined) return shape.rrule;
  const left = Math.max(1, Number(count) - countBefore(shape, splitAt));
  return shape.rrule.replace(/COUNT=\d+/i, `COUNT=${left}`);
}
