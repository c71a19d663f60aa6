// The core of `talkcal inspect`: one calendar text → per item, the Kakao request(s) it becomes, the
// warnings, and (optionally) the occurrences Kakao will show inside a window. Pure (no I/O), so it
// is tested directly and the command only reads input and prints.
import { DateTime } from 'luxon';
import type { EventCreate, TaskCreate } from '../../kakao/types.js';
import type { InstanceOperation, TranslateWarning } from '../../model/desired.js';
import { TalkcalError } from '../../model/errors.js';
import { splitCalendar } from '../../sources/ics-split.js';
import type { SourceItem } from '../../sources/storage.js';
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
  /** What decoding the bytes had to guess or repair (the feed fetcher's charset warnings). */
  decodingNotices?: string[];
}

import { type Occurrence, unitOccurrences } from './occurrences.js';

export { type Occurrence, unitOccurrences } from './occurrences.js';

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
  /**
   * Readings chosen, nothing skipped: how the bytes were decoded, bare components, iTIP messages
   * superseded or cancelled (line: message where there is a line).
   */
  notices: string[];
  truncated: boolean;
}

const utcIso = (at: DateTime): string => at.toUTC().toISO({ suppressMilliseconds: true }) ?? '';

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
    problems: split.problems.filter((p) => !p.code).map((p) => `line ${p.line}: ${p.message}`),
    notices: [
      ...(opts.decodingNotices ?? []),
      ...split.problems.filter((p) => p.code).map((p) => `line ${p.line}: ${p.message}`),
    ],
    truncated: split.truncated,
  };
}
