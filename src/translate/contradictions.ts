// Values that contradict each other or themselves: each reading is a choice (docs/translation.md,
// "Contradictory values"), and each gets a 'contradictory-times' warning naming what was found.
import type { TranslateWarning } from '../model/desired.js';
import type { RawProperty } from './parse.js';

export function contradiction(message: string): TranslateWarning {
  return { code: 'contradictory-times', message };
}

/** `TZID=…` on a value that ends in Z: the Z decides (UTC), the TZID is ignored. */
export function tzidOnUtc(p: RawProperty | undefined): TranslateWarning | undefined {
  const tzid = p?.params.TZID;
  if (!p || !tzid || !/T\d{6}Z$/i.test(p.value.trim().split(',')[0] ?? '')) return undefined;
  return contradiction(
    `${p.name} ${p.value.trim().slice(0, 40)} is UTC (Z) but names TZID=${tzid.slice(0, 60)}: read as UTC, the TZID ignored`,
  );
}

/** An end (DTEND or DURATION) before the start: timed, it ends at its start; all-day, it lasts a day. */
export function endBeforeStart(start: RawProperty, end: RawProperty, reading: string): TranslateWarning {
  const what =
    end.name === 'DURATION'
      ? `DURATION ${end.value.trim().slice(0, 40)} is negative`
      : `${end.name} ${end.value.trim().slice(0, 40)} is before DTSTART ${start.value.trim().slice(0, 40)}`;
  return contradiction(`${what}: ${reading}`);
}

/** A DATE start with a DATE-TIME end, or the reverse: DTSTART decides whether the event is all-day. */
export function mixedValueTypes(start: RawProperty, end: RawProperty, reading: string): TranslateWarning {
  const kind = (p: RawProperty) => (/T\d{4}/i.test(p.value) ? 'a DATE-TIME' : 'a DATE');
  return contradiction(
    `DTSTART is ${kind(start)} (${start.value.trim().slice(0, 40)}) but ${end.name} ${kind(end)} (${end.value.trim().slice(0, 40)}): ${reading}`,
  );
}
