// VTODO → Kakao task. Rules (each one is tested in test/unit/translate/task.test.ts):
// - SUMMARY → content (≤ 1000, cut on a grapheme boundary + '…' by text.ts, 'title-truncated'); no SUMMARY → the
//   first line of DESCRIPTION, else "(untitled)" with 'invalid-item'.
// - DUE (or DTSTART + DURATION) → due_date in the due's zone: its TZID; a UTC or floating or DATE
//   value is read in the user's zone. A time of day other than midnight is kept only as the date.
// - The first VALARM → alarm_time: the alarm's wall time in the due's zone, on the 5-minute grid
//   (nearest, 'rounded-to-grid'); an alarm on another day than the due date keeps only its time
//   ('reminder-approximated'); more alarms → 'reminders-dropped'.
// - RRULE → recur.rrule (see task-recurrence.ts). EXDATE/RDATE cannot be carried ('unsupported').
// - STATUS:COMPLETED, or a COMPLETED date without STATUS → completed. CANCELLED counts as completed.
// - PRIORITY 1–4 (RFC 5545 "high") → bookmark.
// - Past due dates (the API refuses them): an open task → due today in its zone; a recurring task →
//   its next occurrence on or after today; a completed task → no due date at all. All 'due-in-past'.
import { DateTime } from 'luxon';
import { unescapeText } from '../ics/content-lines.js';
import type { TaskCreate, TaskDueInfo } from '../kakao/types.js';
import { kakaoLimits } from '../kakao/types.js';
import type { DesiredTaskItem, TranslateWarning } from '../model/desired.js';
import { TalkcalError } from '../model/errors.js';
import type { SourceItem } from '../sources/storage.js';
import type { TranslateContext } from './context.js';
import { type IcsTime, parseIcsDuration, readIcsTime } from './ics-values.js';
import { readingWarnings } from './limit-warnings.js';
import { type ParsedComponent, parseComponents, prop, propsNamed, type RawProperty } from './parse.js';
import { taskRecurrence } from './task-recurrence.js';
import { truncateText } from './text.js';
import { isIanaZone, resolveZone } from './zone.js';

/** The item holds no VTODO (or only overrides): nothing to translate. */
export class TodoNotFoundError extends TalkcalError {
  readonly scope = 'item';
  constructor(readonly uid: string) {
    super(`item ${uid} holds no VTODO master; skipped`);
  }
}

type TodoContext = Pick<TranslateContext, 'userTimeZone' | 'now' | 'limits' | 'calendarTimeZone'>;

/** The TZID replaced by the IANA zone zone.ts resolves it to (Windows names, VTIMEZONE blocks…). */
function withResolvedZone(
  p: RawProperty,
  timezones: ParsedComponent[],
  ctx: TodoContext,
  warnings: TranslateWarning[],
): RawProperty {
  const fallback = ctx.userTimeZone;
  const tzid = p.params['TZID'] ?? floatingZoneOf(p, ctx, warnings);
  if (!tzid) return p;
  const digits = p.value.match(/^(\d{4})(\d{2})(\d{2})/);
  const nearMs = digits
    ? Date.UTC(Number(digits[1]), Number(digits[2]) - 1, Number(digits[3]))
    : ctx.now.getTime();
  const resolved = resolveZone(tzid, timezones, fallback, nearMs, ctx.limits.maxRuleIterations);
  if (resolved.warning) warnings.push(resolved.warning);
  const name = isIanaZone(resolved.rules.ianaName) ? resolved.rules.ianaName : fallback;
  return { ...p, params: { ...p.params, TZID: name } };
}

/**
 * A floating DATE-TIME (no TZID, no Z) of a calendar with an X-WR-TIMEZONE is meant in that zone,
 * as for events (event-time.ts): the zone to read it in, with a floating-time warning; undefined
 * (the user's zone) otherwise.
 */
function floatingZoneOf(p: RawProperty, ctx: TodoContext, warnings: TranslateWarning[]): string | undefined {
  if (!ctx.calendarTimeZone || !/^\d{8}T\d{6}$/.test(p.value.trim())) return undefined;
  const message = `floating times read in the calendar's X-WR-TIMEZONE "${ctx.calendarTimeZone}"`;
  if (!warnings.some((w) => w.message === message)) warnings.push({ code: 'floating-time', message });
  return ctx.calendarTimeZone;
}

function masterTodo(
  item: SourceItem,
  ctx: TodoContext,
  warnings: TranslateWarning[],
): { todo: ParsedComponent; timezones: ParsedComponent[]; calendarTimeZone?: string } {
  const parsed = parseComponents(item.ics, ctx.limits);
  warnings.push(...readingWarnings(parsed, ctx.limits));
  const todos = parsed.todos;
  const master =
    todos.find((t) => !prop(t, 'RECURRENCE-ID') && prop(t, 'UID')?.value.trim() === item.uid) ??
    todos.find((t) => !prop(t, 'RECURRENCE-ID'));
  if (!master) throw new TodoNotFoundError(item.uid);
  return parsed.calendarTimeZone
    ? { todo: master, timezones: parsed.timezones, calendarTimeZone: parsed.calendarTimeZone }
    : { todo: master, timezones: parsed.timezones };
}

function contentOf(todo: ParsedComponent, warnings: TranslateWarning[]): string {
  let text = unescapeText(prop(todo, 'SUMMARY')?.value ?? '').trim();
  if (!text)
    text =
      unescapeText(prop(todo, 'DESCRIPTION')?.value ?? '')
        .trim()
        .split('\n')[0]
        ?.trim() ?? '';
  if (!text) {
    warnings.push({ code: 'invalid-item', message: 'VTODO has no SUMMARY; content set to "(untitled)"' });
    return '(untitled)';
  }
  const cut = truncateText(text, kakaoLimits.taskContentMax);
  if (cut.truncated) {
    warnings.push({
      code: 'title-truncated',
      message: `SUMMARY of ${text.length} characters cut to ${cut.text.length} (Kakao tasks hold ${kakaoLimits.taskContentMax})`,
    });
  }
  return cut.text;
}

/** DUE, or DTSTART + DURATION; in the zone the due date is meant in. */
function dueOf(
  todo: ParsedComponent,
  timezones: ParsedComponent[],
  ctx: TodoContext,
  warnings: TranslateWarning[],
): IcsTime | null {
  const readTime = (name: string): IcsTime | null => {
    const found = prop(todo, name);
    if (!found) return null;
    const p = withResolvedZone(found, timezones, ctx, warnings);
    const t = readIcsTime(p, ctx.userTimeZone);
    if (!t) warnings.push({ code: 'invalid-item', message: `${name}:${p.value} unreadable; ignored` });
    if (t?.unknownZone) {
      warnings.push({
        code: 'unknown-timezone',
        message: `TZID ${t.unknownZone} unknown; read in ${ctx.userTimeZone}`,
      });
    }
    return t;
  };
  let due = readTime('DUE');
  if (!due) {
    const start = readTime('DTSTART');
    const duration = parseIcsDuration(prop(todo, 'DURATION')?.value ?? '');
    if (start && duration) due = { ...start, at: start.at.plus(duration) };
  }
  if (!due) return null;
  // A UTC value names an instant; the user sees its date in their own zone.
  if (due.zone === 'UTC') due = { ...due, at: due.at.setZone(ctx.userTimeZone), zone: ctx.userTimeZone };
  const local = due.at.setZone(due.zone);
  const endOfDay = local.hour === 23 && local.minute === 59;
  if (!due.dateOnly && !(local.hour === 0 && local.minute === 0) && !endOfDay) {
    warnings.push({
      code: 'unsupported',
      message: `due time ${local.toFormat('HH:mm')} kept only as the date (Kakao tasks have due dates, not times)`,
    });
  }
  return due;
}

/** The alarm instant of one VALARM, relative triggers anchored on DTSTART/DUE as RFC 5545 says. */
function alarmInstant(
  alarm: ParsedComponent,
  todo: ParsedComponent,
  due: IcsTime,
  zone: string,
): DateTime | null {
  const trigger = prop(alarm, 'TRIGGER');
  if (!trigger) return null;
  if (
    trigger.params['VALUE']?.toUpperCase() === 'DATE-TIME' ||
    /^\d{8}T\d{6}Z?$/.test(trigger.value.trim())
  ) {
    return readIcsTime({ ...trigger, params: { ...trigger.params, VALUE: 'DATE-TIME' } }, zone)?.at ?? null;
  }
  const offset = parseIcsDuration(trigger.value);
  if (!offset) return null;
  const startProp = prop(todo, 'DTSTART');
  const start = startProp ? readIcsTime(startProp, zone) : null;
  const anchor = trigger.params['RELATED']?.toUpperCase() === 'END' || !start ? due.at : start.at;
  return anchor.plus(offset);
}

function alarmTimeOf(
  todo: ParsedComponent,
  due: IcsTime,
  dueDate: string,
  warnings: TranslateWarning[],
): string | undefined {
  const alarms = todo.children.filter((c) => c.name === 'VALARM');
  if (alarms.length === 0) return undefined;
  if (alarms.length > 1) {
    warnings.push({
      code: 'reminders-dropped',
      message: `${alarms.length - 1} of ${alarms.length} alarms dropped (a task has one)`,
    });
  }
  const at = alarmInstant(alarms[0]!, todo, due, due.zone)?.setZone(due.zone);
  if (!at?.isValid) {
    warnings.push({ code: 'reminders-dropped', message: 'VALARM without a readable TRIGGER dropped' });
    return undefined;
  }
  const exact = at.hour * 60 + at.minute + at.second / 60;
  const grid = kakaoLimits.gridMinutes;
  const rounded = Math.min(Math.round(exact / grid) * grid, 24 * 60 - grid);
  if (rounded !== exact) {
    warnings.push({
      code: 'rounded-to-grid',
      message: `alarm at ${at.toFormat('HH:mm:ss')} rounded to the 5-minute grid`,
    });
  }
  if (at.toFormat('yyyyMMdd') !== dueDate) {
    warnings.push({
      code: 'reminder-approximated',
      message: `alarm on ${at.toISODate()} kept as its time of day on the due date (Kakao task alarms are on the due date)`,
    });
  }
  const hh = String(Math.floor(rounded / 60)).padStart(2, '0');
  const mm = String(rounded % 60).padStart(2, '0');
  return `${hh}${mm}`;
}

function isCompleted(todo: ParsedComponent, warnings: TranslateWarning[]): boolean {
  const status = prop(todo, 'STATUS')?.value.trim().toUpperCase();
  if (status === 'CANCELLED') {
    warnings.push({
      code: 'unsupported',
      message: 'STATUS:CANCELLED has no Kakao equivalent; sent as completed',
    });
    return true;
  }
  if (status) return status === 'COMPLETED';
  return prop(todo, 'COMPLETED') !== undefined;
}

function isBookmarked(todo: ParsedComponent): boolean {
  const priority = Number(prop(todo, 'PRIORITY')?.value.trim());
  return Number.isInteger(priority) && priority >= 1 && priority <= 4;
}

export function translateTodo(item: SourceItem, ctx: TodoContext): DesiredTaskItem {
  const warnings: TranslateWarning[] = [];
  const { todo, timezones, calendarTimeZone } = masterTodo(item, ctx, warnings);
  const task: TaskCreate = { content: contentOf(todo, warnings) };
  const completed = isCompleted(todo, warnings);
  const due = dueOf(todo, timezones, calendarTimeZone ? { ...ctx, calendarTimeZone } : ctx, warnings);
  if (due) {
    const dueInfo = dueInfoOf(todo, due, completed, ctx, warnings);
    if (dueInfo) task.due_info = dueInfo;
  }
  const result: DesiredTaskItem = { kind: 'task', sourceKey: item.uid, task, completed, warnings };
  if (isBookmarked(todo)) result.bookmark = true;
  return result;
}

function dueInfoOf(
  todo: ParsedComponent,
  due: IcsTime,
  completed: boolean,
  ctx: TodoContext,
  warnings: TranslateWarning[],
): TaskDueInfo | undefined {
  let dueDate = due.at.setZone(due.zone).toFormat('yyyyMMdd');
  const today = DateTime.fromJSDate(ctx.now, { zone: due.zone }).toFormat('yyyyMMdd');
  let rrule: string | undefined;
  const ruleProp = prop(todo, 'RRULE');
  if (ruleProp) {
    if (propsNamed(todo, 'EXDATE').length > 0 || propsNamed(todo, 'RDATE').length > 0) {
      warnings.push({
        code: 'unsupported',
        message: 'EXDATE/RDATE of a recurring task cannot be carried; ignored',
      });
    }
    const recurrence = taskRecurrence(
      ruleProp.value,
      dueDate,
      due.zone,
      today,
      warnings,
      ctx.limits.maxRuleIterations,
    );
    if (recurrence?.hasFuture) {
      dueDate = recurrence.dueDate;
      rrule = recurrence.rrule;
    }
  }
  if (dueDate < today) {
    if (completed) {
      warnings.push({
        code: 'due-in-past',
        message: `completed task due ${dueDate} (past): sent without a due date`,
      });
      return undefined;
    }
    warnings.push({
      code: 'due-in-past',
      message: `open task due ${dueDate} (past): due date set to today ${today}`,
    });
    dueDate = today;
  }
  const info: TaskDueInfo = { due_date: dueDate, time_zone: due.zone };
  const alarm = alarmTimeOf(todo, due, due.at.setZone(due.zone).toFormat('yyyyMMdd'), warnings);
  if (alarm) info.alarm_time = alarm;
  // record_on: Talk Calendar keeps the completion history (task records) the tasks feed shows.
  if (rrule) info.recur = { rrule, record_on: true };
  return info;
}
