// Whether an existing property already says what a new one says, so the patcher can leave its bytes
// alone: dates compared as instants (or wall dates when either is a DATE), text after unescaping,
// RRULE part by part, GEO numerically, alarms by trigger. Pure.

import { type ContentLine, unescapeText } from '../ics/content-lines.js';
import { parseIcsDuration, readIcsTime } from './ics-values.js';

const dateProps = new Set(['DTSTART', 'DTEND', 'DUE', 'COMPLETED', 'RECURRENCE-ID', 'EXDATE', 'RDATE']);
const textProps = new Set(['SUMMARY', 'DESCRIPTION', 'LOCATION', 'COMMENT']);

/** The instants/dates of a date property, as comparable keys (EXDATE may list several values). */
export function dateKeys(line: ContentLine): string[] {
  return line.value.split(',').map((value) => {
    const t = readIcsTime({ ...line, value }, 'UTC');
    if (!t) return `raw:${value}`;
    return t.dateOnly ? `date:${t.at.toFormat('yyyyMMdd')}` : `at:${t.at.toMillis()}`;
  });
}

function sameDate(a: ContentLine, b: ContentLine): boolean {
  const ta = readIcsTime(a, 'UTC');
  const tb = readIcsTime(b, 'UTC');
  if (!ta || !tb) return a.value === b.value;
  if (ta.dateOnly !== tb.dateOnly) {
    // A task's due date is a day: a DUE date-time on that day (in its own zone) says the same.
    return a.name === 'DUE' && ta.at.toFormat('yyyyMMdd') === tb.at.toFormat('yyyyMMdd');
  }
  if (ta.dateOnly) return ta.at.toFormat('yyyyMMdd') === tb.at.toFormat('yyyyMMdd');
  // A floating time only equals a floating time with the same wall clock.
  const floating = (l: ContentLine): boolean => !l.params['TZID'] && !l.value.endsWith('Z');
  if (floating(a) !== floating(b)) return false;
  return ta.at.toMillis() === tb.at.toMillis();
}

function ruleParts(value: string): string {
  return value
    .split(';')
    .filter(Boolean)
    .map((p) => p.toUpperCase())
    .sort()
    .join(';');
}

/** IN-PROCESS and NEEDS-ACTION are both "open" to Kakao. */
function statusClass(value: string): string {
  const v = value.trim().toUpperCase();
  return v === 'IN-PROCESS' ? 'NEEDS-ACTION' : v;
}

function isHighPriority(value: string): boolean {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= 4;
}

export function sameProperty(a: ContentLine, b: ContentLine): boolean {
  if (a.name !== b.name) return false;
  if (a.name === 'EXDATE' || a.name === 'RDATE') return dateKeys(a).join() === dateKeys(b).join();
  // Only whether a task is completed is Kakao's; the original completion time stays.
  if (a.name === 'COMPLETED') return true;
  if (dateProps.has(a.name)) return sameDate(a, b);
  if (textProps.has(a.name)) return unescapeText(a.value) === unescapeText(b.value);
  if (a.name === 'RRULE') return ruleParts(a.value) === ruleParts(b.value);
  if (a.name === 'GEO') {
    const pa = a.value.split(';').map(Number);
    const pb = b.value.split(';').map(Number);
    return (
      pa.length === 2 && pb.length === 2 && pa.every((x, i) => Math.abs(x - (pb[i] ?? Number.NaN)) < 1e-6)
    );
  }
  if (a.name === 'STATUS') return statusClass(a.value) === statusClass(b.value);
  // Kakao knows only "bookmarked" = high priority (1-4).
  if (a.name === 'PRIORITY') return isHighPriority(a.value) === isHighPriority(b.value);
  if (a.name === 'CLASS' || a.name === 'TRANSP') {
    return a.value.trim().toUpperCase() === b.value.trim().toUpperCase();
  }
  if (a.name === 'SEQUENCE' || a.name === 'PERCENT-COMPLETE') {
    return Number(a.value) === Number(b.value);
  }
  return a.value === b.value;
}

export function sameProperties(a: ContentLine[], b: ContentLine[]): boolean {
  return a.length === b.length && a.every((line, i) => sameProperty(line, b[i]!));
}

/** A comparable key of a TRIGGER: a relative offset in seconds with its anchor, or an instant. */
export function triggerKey(trigger: ContentLine): string {
  const absolute = trigger.params['VALUE']?.toUpperCase() === 'DATE-TIME';
  if (absolute) {
    const t = readIcsTime({ ...trigger, params: {} }, 'UTC');
    return `at:${t?.at.toMillis() ?? trigger.value}`;
  }
  const d = parseIcsDuration(trigger.value);
  const related = trigger.params['RELATED']?.toUpperCase() === 'END' ? 'END' : 'START';
  return `rel:${related}:${d ? d.as('seconds') : trigger.value}`;
}
