import type { EventCreate } from '../../kakao/types.js';
import { defaultLimits } from '../../translate/limits.js';
import { occurrenceTester, ruleParts } from '../../translate/recurrence.js';
import { utcToWallMs } from '../../translate/wall-time.js';
import { ianaRules, isIanaZone } from '../../translate/zone.js';

// How a recurring series changed, in the terms of the exceptions Kakao holds for it: they are keyed
// by their instance's original start, so they keep meaning the same instances only while the series
// keeps its first start, zone and rule apart from where it ends. Pure.

const kakaoDefaultZone = 'Asia/Seoul';

function ruleWithoutEnd(rrule: string): string {
  return [...ruleParts(rrule)]
    .filter(([key]) => key !== 'COUNT' && key !== 'UNTIL')
    .map(([key, value]) => `${key}=${value.toUpperCase()}`)
    .sort()
    .join(';');
}

/** True when only the series' end (COUNT or UNTIL) differs: every remaining instance keeps its identity. */
export function onlyRuleEndChanged(old: EventCreate, want: EventCreate): boolean {
  if (!old.rrule || !want.rrule) return false;
  return (
    Date.parse(old.time.start_at) === Date.parse(want.time.start_at) &&
    (old.time.time_zone ?? kakaoDefaultZone) === (want.time.time_zone ?? kakaoDefaultZone) &&
    (old.time.all_day ?? false) === (want.time.all_day ?? false) &&
    ruleWithoutEnd(old.rrule) === ruleWithoutEnd(want.rrule)
  );
}

/** yyyyMMddTHHmmssZ → UTC ms. */
function instantOfKey(instanceStart: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(instanceStart);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : Number.NaN;
}

/**
 * Whether the recurring `event` has an instance starting originally at `instanceStart`
 * (yyyyMMddTHHmmssZ). An unreadable rule or key answers true: the caller then keeps to the
 * conservative path (delete + create) rather than trust an exception to be gone.
 */
export function seriesHasInstance(event: EventCreate, instanceStart: string): boolean {
  const at = instantOfKey(instanceStart);
  if (!event.rrule || Number.isNaN(at)) return true;
  const zoneName = event.time.time_zone ?? kakaoDefaultZone;
  if (!isIanaZone(zoneName)) return true;
  const allDay = event.time.all_day === true;
  const zone = ianaRules(zoneName);
  const start = Date.parse(event.time.start_at);
  try {
    const series = {
      rrules: [event.rrule],
      startWallMs: allDay ? start : utcToWallMs(start, zone),
      zone,
      allDay,
      rdates: [],
      exdates: [],
    };
    return occurrenceTester(series, [at], defaultLimits.maxRuleIterations)(at);
  } catch {
    return true;
  }
}
