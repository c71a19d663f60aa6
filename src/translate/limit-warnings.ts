// The warnings a breached bound (config `limits`) leaves on an item: each names what was kept and
// the key that decided it, so a user can tell a hostile calendar from a limit set too low.
import type { TranslateWarning } from '../model/desired.js';
import { formatCount, type TranslateLimits } from './limits.js';

/** A property value longer than limits.maxPropertyChars, by property name. */
export interface CappedProperty {
  name: string;
  /** How many values of that name were over the limit, and the longest one's length. */
  count: number;
  longest: number;
  /** Text is cut to the limit; other values (binary attachments, ...) are dropped. */
  cut: boolean;
}

export function propertyCapped(p: CappedProperty, max: number): TranslateWarning {
  const what =
    p.count > 1
      ? `${formatCount(p.count)} ${p.name} values (up to ${formatCount(p.longest)} characters)`
      : `${p.name} (${formatCount(p.longest)} characters)`;
  const done = p.cut ? `cut to ${formatCount(max)} characters` : 'dropped';
  return {
    code: 'property-capped',
    message: `${what} ${done}: limits.maxPropertyChars is ${formatCount(max)}`,
  };
}

export function timezonesCapped(dropped: number, max: number): TranslateWarning {
  return {
    code: 'timezones-capped',
    message: `${formatCount(dropped)} VTIMEZONEs past the first ${formatCount(max)} ignored (limits.maxTimezonesPerSource)`,
  };
}

export function occurrencesCapped(kept: number): TranslateWarning {
  return {
    code: 'occurrences-capped',
    message: `only the first ${formatCount(kept)} occurrences in the horizon are synced (limits.maxOccurrencesPerEvent)`,
  };
}

export function overridesCapped(kept: number, total: number): TranslateWarning {
  return {
    code: 'overrides-capped',
    message: `${formatCount(kept)} of ${formatCount(total)} overrides (RECURRENCE-ID) applied, those nearest the sync window; the rest ignored (limits.maxOverridesPerSeries)`,
  };
}

export function ruleTooCostly(detail: string): TranslateWarning {
  return { code: 'rule-too-costly', message: `${detail}; the series is not synced` };
}

/** What reading the item cut or left out. */
export function readingWarnings(
  parsed: { capped: CappedProperty[]; timezonesDropped: number },
  limits: Pick<TranslateLimits, 'maxPropertyChars' | 'maxTimezonesPerSource'>,
): TranslateWarning[] {
  const out = parsed.capped.map((p) => propertyCapped(p, limits.maxPropertyChars));
  if (parsed.timezonesDropped > 0)
    out.push(timezonesCapped(parsed.timezonesDropped, limits.maxTimezonesPerSource));
  return out;
}
