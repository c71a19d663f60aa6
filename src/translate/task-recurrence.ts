// A VTODO's RRULE in the form Kakao tasks accept: a date-level rule anchored on the due date, UNTIL
// written as yyyyMMdd'T'000000Z (after the due date), and — for a due date in the past — advanced to
// the first occurrence on or after today (COUNT reduced by the occurrences skipped). Pure.
import { DateTime } from 'luxon';
import rrule from 'rrule';
import type { TranslateWarning } from '../model/desired.js';
import { ruleTooCostly } from './limit-warnings.js';
import { formatCount } from './limits.js';
import { candidatesPerPeriod, periodsBetween } from './rule-plan.js';
import { walkRule } from './rule-walk.js';

const { RRule } = rrule;
/** The Gregorian calendar repeats every 400 years: a rule without a match in 400 × INTERVAL years has none. */
const calendarCycleYears = 400;

/** Parts Kakao tasks can carry; anything else (BYHOUR, BYSETPOS…) is dropped with a warning. */
const keptParts = new Set(['FREQ', 'INTERVAL', 'COUNT', 'UNTIL', 'BYDAY', 'BYMONTHDAY', 'BYMONTH', 'WKST']);
const taskFrequencies = new Set(['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY']);

export interface TaskRecurrence {
  /** The rule to send, or undefined when nothing recurring remains. */
  rrule?: string;
  /** The due date (yyyyMMdd) after advancing past dates. */
  dueDate: string;
  /** false when the series has no occurrence on or after today. */
  hasFuture: boolean;
}

function parseParts(rule: string): Map<string, string> {
  const parts = new Map<string, string>();
  for (const piece of rule.replace(/^RRULE:/i, '').split(';')) {
    const eq = piece.indexOf('=');
    if (eq > 0) parts.set(piece.slice(0, eq).trim().toUpperCase(), piece.slice(eq + 1).trim());
  }
  return parts;
}

function formatParts(parts: Map<string, string>): string {
  return [...parts].map(([k, v]) => `${k}=${v}`).join(';');
}

/** A calendar date as a UTC-midnight Date (rrule computes in UTC; dates carry no zone here). */
function dateAsUtc(yyyyMMdd: string): Date {
  return DateTime.fromFormat(yyyyMMdd, 'yyyyMMdd', { zone: 'UTC' }).toJSDate();
}

function utcToDate(at: Date): string {
  return DateTime.fromJSDate(at, { zone: 'UTC' }).toFormat('yyyyMMdd');
}

/**
 * Normalises `rule` for a task due on `dueDate` (yyyyMMdd in `zone`), today being `today`.
 * Returns null when the rule cannot be used at all (warning pushed).
 */
export function taskRecurrence(
  rule: string,
  dueDate: string,
  zone: string,
  today: string,
  warnings: TranslateWarning[],
  maxIterations: number,
): TaskRecurrence | null {
  const parts = parseParts(rule);
  const freq = parts.get('FREQ')?.toUpperCase();
  if (!freq || !taskFrequencies.has(freq)) {
    warnings.push({
      code: 'unsupported',
      message: `RRULE FREQ=${freq ?? '?'} is not possible for a task; sent as a single task`,
    });
    return null;
  }
  for (const key of [...parts.keys()]) {
    if (!keptParts.has(key)) {
      warnings.push({
        code: 'unsupported',
        message: `RRULE part ${key} dropped (Kakao tasks recur by date only)`,
      });
      parts.delete(key);
    }
  }
  const untilRaw = parts.get('UNTIL');
  if (untilRaw) {
    const m = untilRaw.match(/^(\d{8})(?:T(\d{6})(Z?))?$/);
    if (!m) {
      warnings.push({ code: 'invalid-item', message: `RRULE UNTIL=${untilRaw} unreadable; dropped` });
      parts.delete('UNTIL');
    } else {
      // A UTC UNTIL names an instant: its date is the one in the task's zone.
      const untilDate =
        m[2] && m[3] === 'Z'
          ? DateTime.fromFormat(`${m[1]}${m[2]}`, 'yyyyMMddHHmmss', { zone: 'UTC' })
              .setZone(zone)
              .toFormat('yyyyMMdd')
          : m[1]!;
      parts.set('UNTIL', `${untilDate}T000000Z`);
    }
  }
  let options: ReturnType<typeof RRule.parseString>;
  try {
    options = RRule.parseString(formatParts(parts));
  } catch {
    warnings.push({ code: 'invalid-item', message: `RRULE ${rule} unreadable; sent as a single task` });
    return null;
  }
  const rr = new RRule({ ...options, dtstart: dateAsUtc(dueDate), tzid: null });
  let newDue = dueDate;
  if (dueDate < today) {
    const next = nextOccurrence(rr, dateAsUtc(today).getTime(), maxIterations);
    if (next === 'too-costly') {
      warnings.push(
        ruleTooCostly(
          `RRULE ${rule}: finding its next occurrence could look at more than ${formatCount(maxIterations)} dates (limits.maxRuleIterations)`,
        ),
      );
      return null;
    }
    if (!next) return { dueDate, hasFuture: false };
    newDue = utcToDate(new Date(next.at));
    const count = parts.get('COUNT');
    if (count) parts.set('COUNT', String(Number(count) - next.skipped));
    warnings.push({
      code: 'due-in-past',
      message: `recurring task due ${dueDate} (past): due date moved to the next occurrence ${newDue}`,
    });
  }
  const until = parts.get('UNTIL');
  // Kakao requires UNTIL after the due date; a series ending on its due date is a single task.
  if ((until && until.slice(0, 8) <= newDue) || parts.get('COUNT') === '1') {
    return { dueDate: newDue, hasFuture: true };
  }
  return { rrule: formatParts(parts), dueDate: newDue, hasFuture: true };
}

/**
 * The first occurrence at or after `fromMs` and how many came before it, walking at most
 * `maxIterations` candidates and 400 × INTERVAL years; undefined when the series ends before.
 */
function nextOccurrence(
  rr: InstanceType<typeof RRule>,
  fromMs: number,
  maxIterations: number,
): { at: number; skipped: number } | undefined | 'too-costly' {
  const o = rr.options;
  const fromYear = Math.max(o.dtstart.getUTCFullYear(), new Date(fromMs).getUTCFullYear());
  const edge = Date.UTC(fromYear + calendarCycleYears * o.interval, 0, 1);
  const affordable = Math.floor(maxIterations / candidatesPerPeriod(o));
  const cycle = periodsBetween(o, o.dtstart.getTime(), edge);
  let found: { at: number; skipped: number } | undefined;
  let skipped = 0;
  const { exhausted } = walkRule(rr, {
    maxPeriods: Math.min(affordable, cycle),
    onMatch: (at) => {
      if (at < fromMs) {
        skipped++;
        return true;
      }
      found = { at, skipped };
      return false;
    },
  });
  return exhausted && !found && affordable < cycle ? 'too-costly' : found;
}
