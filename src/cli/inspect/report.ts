// The core of `talkcal inspect`: one calendar text → per item, the Kakao request(s) it becomes, the
// warnings, and (optionally) the occurrences Kakao will show inside a window. Pure (no I/O), so it
// is tested directly and the command only reads input and prints.
import { DateTime } from 'luxon';
import type { EventCreate, TaskCreate } from '../../kakao/types.js';
import type { DesiredEvent, InstanceOperation, TranslateWarning } from '../../model/desired.js';
import { TalkcalError } from '../../model/errors.js';
import { splitCalendar } from '../../sources/ics-split.js';
import type { SourceItem } from '../../sources/storage.js';
import { expandMaster } from '../../translate/kakao-to-ical.js';
import { defaultLimits, type TranslateLimits } from '../../translate/limits.js';
import {
  type ItemTranslateOptions,
  type TranslationOutcome,
  translateItems,
} from '../../translate/source-item.js';

export interface InspectOptions {
  from: Date;
  to: Date;
  /** Zone floating times are read in (the user's zone). */
  zone: string;
  now: Date;
  occurrences: boolean;
  /** Bounds on what the calendar may cost (config `limits`); default `defaultLimits`. */
  limits?: TranslateLimits;
}

export interface Occurrence {
  start: string;
  end: string;
  allDay: boolean;
  title: string;
}

export type InspectRequest =
  | { kind: 'event'; unitKey: string; event: EventCreate; instances: InstanceOperation[] }
  | { kind: 'task'; task: TaskCreate; completed: boolean; bookmark: boolean };

export interface ItemReport {
  uid: string;
  kind: 'event' | 'todo';
  requests: InspectRequest[];
  warnings: TranslateWarning[];
  /** The item could not be translated at all (why). */
  error?: string;
  occurrences?: Occurrence[];
}

export interface InspectReport {
  items: ItemReport[];
  /** What the splitter skipped (line: message). */
  problems: string[];
  truncated: boolean;
}

const utcIso = (at: DateTime): string => at.toUTC().toISO({ suppressMilliseconds: true }) ?? '';

function kakaoUtc(text: string): DateTime {
  return DateTime.fromISO(text, { zone: 'UTC' });
}

/** Occurrences of one Kakao event as Kakao will show them: its rule, minus deletions, plus moves. */
export function unitOccurrences(unit: DesiredEvent, from: Date, to: Date): Occurrence[] {
  const ev = unit.event;
  const allDay = ev.time.all_day === true;
  const start = kakaoUtc(ev.time.start_at);
  const length = kakaoUtc(ev.time.end_at).diff(start);
  const occurrence = (s: DateTime, e: DateTime, title: string): Occurrence => ({
    start: utcIso(s),
    end: utcIso(e),
    allDay,
    title,
  });
  if (!ev.rrule) {
    const end = start.plus(length);
    const inWindow = end.toMillis() > from.getTime() && start.toMillis() < to.getTime();
    return inWindow ? [occurrence(start, end, ev.title)] : [];
  }
  const zone = allDay ? 'UTC' : (ev.time.time_zone ?? 'Asia/Seoul');
  const starts = expandMaster(
    {
      uid: '',
      summary: ev.title,
      start: start.setZone(zone),
      end: start.plus(length).setZone(zone),
      allDay,
      zone,
      rrule: ev.rrule,
      exdates: [],
      overrides: [],
      alarms: [],
      busy: false,
      lunar: false,
      sequence: 0,
    },
    { from: new Date(from.getTime() - length.toMillis()), to },
  );
  const ops = new Map(unit.instances.map((op) => [op.instanceStart, op]));
  const out: Occurrence[] = [];
  let ended = false;
  for (const at of starts) {
    if (ended) break;
    const key = at.toUTC().toFormat("yyyyMMdd'T'HHmmss'Z'");
    const op = ops.get(key);
    if (op?.scope === 'THIS_AND_FOLLOWING' && op.action === 'delete') ended = true;
    if (op?.action === 'delete') continue;
    const time = op?.update?.time;
    const s = time ? kakaoUtc(time.start_at) : at;
    const e = time ? kakaoUtc(time.end_at) : at.plus(length);
    if (e.toMillis() > from.getTime() && s.toMillis() < to.getTime()) {
      out.push(occurrence(s, e, op?.update?.title ?? ev.title));
    }
  }
  // An occurrence moved into the window from outside it is not listed (rare; inspect is a preview).
  return out.sort((a, b) => a.start.localeCompare(b.start));
}

function errorText(error: unknown): string {
  if (error instanceof TalkcalError) return error.message;
  return `unexpected failure: ${(error as Error).message ?? String(error)}`;
}

/** The report of one item from its translation (the outcome the sync itself would get). */
function itemReport(
  item: SourceItem,
  outcome: TranslationOutcome | undefined,
  opts: InspectOptions,
): ItemReport {
  const report: ItemReport = { uid: item.uid, kind: item.kind, requests: [], warnings: [] };
  if (!outcome?.ok) {
    report.error = outcome?.reason ?? 'not translated';
    return report;
  }
  const desired = outcome.desired;
  report.warnings = desired.warnings;
  if (desired.kind === 'task') {
    report.requests.push({
      kind: 'task',
      task: desired.task,
      completed: desired.completed,
      bookmark: desired.bookmark === true,
    });
    if (opts.occurrences && desired.task.due_info) {
      const due = DateTime.fromFormat(desired.task.due_info.due_date, 'yyyyMMdd', { zone: 'UTC' });
      report.occurrences = [
        { start: utcIso(due), end: utcIso(due.plus({ days: 1 })), allDay: true, title: desired.task.content },
      ];
    }
    return report;
  }
  for (const unit of desired.units) {
    report.requests.push({
      kind: 'event',
      unitKey: unit.unitKey,
      event: unit.event,
      instances: unit.instances,
    });
  }
  if (opts.occurrences) {
    report.occurrences = desired.units
      .flatMap((u) => unitOccurrences(u, opts.from, opts.to))
      .sort((a, b) => a.start.localeCompare(b.start));
  }
  return report;
}

/** Splits and translates with the functions a sync runs (its translation threads run the same). */
/** Throws SourceLimitError when the calendar holds more objects than limits.maxItemsPerSource. */
export function inspectCalendar(text: string, opts: InspectOptions): InspectReport {
  const limits = opts.limits ?? defaultLimits;
  const split = splitCalendar(text, limits, opts.now.getTime());
  if (split.limitExceeded) throw split.limitExceeded;
  const options: ItemTranslateOptions = {
    userTimeZone: opts.zone,
    horizon: { from: opts.from, to: opts.to },
    suppressDefaultReminders: false,
    now: opts.now,
    limits,
  };
  let outcomes: TranslationOutcome[];
  try {
    outcomes = translateItems(split.items, options);
  } catch (error) {
    // A bound broken by the calendar as a whole: every item reports it.
    outcomes = split.items.map(() => ({ ok: false, reason: errorText(error) }));
  }
  return {
    items: split.items.map((item, i) => itemReport(item, outcomes[i], opts)),
    problems: split.problems.map((p) => `line ${p.line}: ${p.message}`),
    truncated: split.truncated,
  };
}
