// The documented request rules of the Talk Calendar API as pure functions. The emulator answers -2
// for every issue found here; the translators' property tests prove they never produce one.
import rrulePkg from 'rrule';
import type {
  EventCreate,
  EventUpdate,
  KakaoTime,
  RecurUpdateType,
  TaskCreate,
  TaskDueInfo,
} from './types.js';
import { kakaoColors, kakaoLimits } from './types.js';

const { RRule } = rrulePkg;

export interface ValidationIssue {
  field: string;
  message: string;
}

/** `YYYY-MM-DDThh:mm:ssZ` exactly, as the API documents (no fraction, no offset). */
const utcTimestamp = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

export function parseKakaoTimestamp(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const m = utcTimestamp.exec(value);
  if (!m) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return undefined;
  // Reject values Date silently rolls over, e.g. 2024-02-30.
  if (date.toISOString().slice(0, 19) !== value.slice(0, 19)) return undefined;
  return date;
}

// Only zones Intl knows are remembered, and only so many: Intl also takes any capitalisation and
// offsets such as +09:00, so the names it accepts are not a small fixed set either.
const knownZones = new Set<string>();
const maxKnownZones = 2000;

export function isValidTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone === '') return false;
  if (knownZones.has(zone)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    return false;
  }
  if (knownZones.size < maxKnownZones) knownZones.add(zone);
  return true;
}

export function isKakaoColor(value: unknown): boolean {
  return typeof value === 'string' && Object.hasOwn(kakaoColors, value);
}

/** An RRULE value (without the `RRULE:` prefix) that the rrule package can read and has a FREQ. */
export function isValidRrule(value: unknown): boolean {
  if (typeof value !== 'string' || value.trim() === '') return false;
  if (!/(^|;)FREQ=/i.test(value)) return false;
  // Talk Calendar offers no sub-hourly repetition; such rules would also expand into millions of instances.
  if (/(^|;)FREQ=(SECONDLY|MINUTELY)(;|$)/i.test(value)) return false;
  try {
    const options = RRule.parseString(value.replace(/^RRULE:/i, ''));
    return options.freq !== undefined;
  } catch {
    return false;
  }
}

function checkString(
  issues: ValidationIssue[],
  field: string,
  value: unknown,
  max: number,
  required: boolean,
): void {
  if (value === undefined) {
    if (required) issues.push({ field, message: 'is required' });
    return;
  }
  if (typeof value !== 'string') {
    issues.push({ field, message: 'must be a string' });
    return;
  }
  if (required && value.trim() === '') issues.push({ field, message: 'must not be empty' });
  if (value.length > max) issues.push({ field, message: `must be at most ${max} characters` });
}

function onGrid(date: Date): boolean {
  return date.getUTCSeconds() === 0 && date.getUTCMilliseconds() === 0 && date.getUTCMinutes() % 5 === 0;
}

function isMidnightUtc(date: Date): boolean {
  return date.getUTCHours() === 0 && date.getUTCMinutes() === 0 && date.getUTCSeconds() === 0;
}

/**
 * Checks a Time object. With `partial`, start_at/end_at may be missing (an update merges them with
 * the stored event). A timed event may have end_at == start_at; an all-day event lasts ≥ 1 day.
 */
export function validateTime(time: unknown, partial = false, field = 'event.time'): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (time === null || typeof time !== 'object' || Array.isArray(time)) {
    return [{ field, message: 'must be an object' }];
  }
  const t = time as Partial<Record<keyof KakaoTime, unknown>>;
  const parsed: Partial<Record<'start_at' | 'end_at', Date>> = {};
  for (const key of ['start_at', 'end_at'] as const) {
    const value = t[key];
    if (value === undefined) {
      if (!partial) issues.push({ field: `${field}.${key}`, message: 'is required' });
      continue;
    }
    const date = parseKakaoTimestamp(value);
    if (!date) {
      issues.push({ field: `${field}.${key}`, message: 'must be a UTC timestamp YYYY-MM-DDThh:mm:ssZ' });
      continue;
    }
    if (!onGrid(date)) issues.push({ field: `${field}.${key}`, message: 'must be on the 5-minute grid' });
    parsed[key] = date;
  }
  if (t.all_day !== undefined && typeof t.all_day !== 'boolean') {
    issues.push({ field: `${field}.all_day`, message: 'must be a boolean' });
  }
  if (t.lunar !== undefined && typeof t.lunar !== 'boolean') {
    issues.push({ field: `${field}.lunar`, message: 'must be a boolean' });
  }
  if (t.time_zone !== undefined && !isValidTimeZone(t.time_zone)) {
    issues.push({ field: `${field}.time_zone`, message: 'must be an IANA time zone' });
  }
  const allDay = t.all_day === true;
  if (allDay) {
    for (const key of ['start_at', 'end_at'] as const) {
      const date = parsed[key];
      if (date && !isMidnightUtc(date)) {
        issues.push({ field: `${field}.${key}`, message: 'must be 00:00:00Z for an all-day event' });
      }
    }
  }
  const { start_at: start, end_at: end } = parsed;
  if (start && end) {
    if (end.getTime() < start.getTime()) {
      issues.push({ field: `${field}.end_at`, message: 'must not be before start_at' });
    } else if (allDay && end.getTime() === start.getTime()) {
      issues.push({ field: `${field}.end_at`, message: 'must be after start_at for an all-day event' });
    }
  }
  return issues;
}

/** Reminders for an event that is (or will be) all-day or timed. */
export function validateReminders(reminders: unknown, allDay: boolean, field = 'event.reminders') {
  const issues: ValidationIssue[] = [];
  if (!Array.isArray(reminders)) return [{ field, message: 'must be an array of integers' }];
  if (reminders.length > kakaoLimits.remindersMax) {
    issues.push({ field, message: `must hold at most ${kakaoLimits.remindersMax} values` });
  }
  for (const r of reminders) {
    if (typeof r !== 'number' || !Number.isInteger(r)) {
      issues.push({ field, message: `${String(r)} is not an integer` });
      continue;
    }
    if (r % kakaoLimits.reminderStep !== 0) {
      issues.push({ field, message: `${r} is not a multiple of ${kakaoLimits.reminderStep}` });
    }
    const tooLow = allDay ? r <= kakaoLimits.allDayReminderExclusiveMin : r < kakaoLimits.timedReminderMin;
    if (tooLow || r > kakaoLimits.reminderMax) {
      issues.push({
        field,
        message: allDay
          ? `${r} is outside -1435 < r ≤ ${kakaoLimits.reminderMax} (all-day)`
          : `${r} is outside 0 ≤ r ≤ ${kakaoLimits.reminderMax}`,
      });
    }
  }
  return issues;
}

function validateLocation(location: unknown, issues: ValidationIssue[]): void {
  if (location === null || typeof location !== 'object' || Array.isArray(location)) {
    issues.push({ field: 'event.location', message: 'must be an object' });
    return;
  }
  const loc = location as Record<string, unknown>;
  checkString(issues, 'event.location.name', loc.name, kakaoLimits.locationNameMax, true);
  if (loc.address !== undefined && typeof loc.address !== 'string') {
    issues.push({ field: 'event.location.address', message: 'must be a string' });
  }
  for (const key of ['location_id', 'latitude', 'longitude'] as const) {
    const v = loc[key];
    if (v !== undefined && v !== null && (typeof v !== 'number' || !Number.isFinite(v))) {
      issues.push({ field: `event.location.${key}`, message: 'must be a number' });
    }
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** "Create event": the `event` form field. */
export function validateEventCreate(body: EventCreate): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (!isObject(body)) return [{ field: 'event', message: 'must be a JSON object' }];
  const b = body as unknown as Record<string, unknown>;
  checkString(issues, 'event.title', b.title, kakaoLimits.titleMax, true);
  if (b.time === undefined) issues.push({ field: 'event.time', message: 'is required' });
  else issues.push(...validateTime(b.time));
  if (b.rrule !== undefined && !isValidRrule(b.rrule)) {
    issues.push({ field: 'event.rrule', message: 'must be an RFC 5545 RRULE with FREQ' });
  }
  checkString(issues, 'event.description', b.description, kakaoLimits.descriptionMax, false);
  if (b.location !== undefined) validateLocation(b.location, issues);
  if (b.reminders !== undefined) {
    const allDay = isObject(b.time) && b.time.all_day === true;
    issues.push(...validateReminders(b.reminders, allDay));
  }
  if (b.color !== undefined && !isKakaoColor(b.color)) {
    issues.push({ field: 'event.color', message: 'is not a documented colour name' });
  }
  return issues;
}

export interface EventUpdateContext {
  /** The form also carried `calendar_id` (a field to change). */
  calendarId?: string;
  /** The stored event is all-day (decides the reminder range when `time` is not sent). */
  storedAllDay?: boolean;
}

/**
 * "Edit event for host": the `event` form field (may be absent) plus recur_update_type. At least one
 * field must change; THIS forbids calendar_id, memo, reminders, color, rrule, time.lunar, time.all_day.
 * An empty string deletes a string field (title cannot be deleted); null deletes location/reminders.
 */
export function validateEventUpdate(
  body: EventUpdate | undefined,
  recurUpdateType?: RecurUpdateType | string,
  context: EventUpdateContext = {},
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (recurUpdateType !== undefined && !['ALL', 'THIS', 'THIS_AND_FOLLOWING'].includes(recurUpdateType)) {
    issues.push({ field: 'recur_update_type', message: 'must be ALL, THIS or THIS_AND_FOLLOWING' });
  }
  if (body !== undefined && !isObject(body))
    return [...issues, { field: 'event', message: 'must be an object' }];
  const b = (body ?? {}) as Record<string, unknown>;
  const known = ['title', 'time', 'rrule', 'description', 'location', 'reminders', 'color', 'memo'];
  const given = known.filter((k) => b[k] !== undefined);
  if (given.length === 0 && context.calendarId === undefined) {
    issues.push({ field: 'event', message: 'at least one field to change is required' });
  }
  if (body !== undefined && given.length === 0 && Object.keys(b).length === 0) {
    issues.push({ field: 'event', message: 'must not be empty when passed' });
  }
  if (b.title !== undefined) checkString(issues, 'event.title', b.title, kakaoLimits.titleMax, true);
  if (b.time !== undefined) issues.push(...validateTime(b.time, true));
  if (b.rrule !== undefined && b.rrule !== '' && !isValidRrule(b.rrule)) {
    issues.push({
      field: 'event.rrule',
      message: 'must be an RFC 5545 RRULE with FREQ, or "" to stop recurring',
    });
  }
  checkString(issues, 'event.description', b.description, kakaoLimits.descriptionMax, false);
  checkString(issues, 'event.memo', b.memo, kakaoLimits.memoMax, false);
  if (b.location !== undefined && b.location !== null && b.location !== '')
    validateLocation(b.location, issues);
  if (b.reminders !== undefined && b.reminders !== null) {
    const allDay =
      isObject(b.time) && typeof b.time.all_day === 'boolean' ? b.time.all_day : !!context.storedAllDay;
    issues.push(...validateReminders(b.reminders, allDay));
  }
  if (b.color !== undefined && b.color !== '' && !isKakaoColor(b.color)) {
    issues.push({ field: 'event.color', message: 'is not a documented colour name' });
  }
  if (recurUpdateType === 'THIS') {
    if (context.calendarId !== undefined) {
      issues.push({ field: 'calendar_id', message: 'cannot be changed with recur_update_type=THIS' });
    }
    for (const key of ['memo', 'reminders', 'color', 'rrule'] as const) {
      if (b[key] !== undefined) {
        issues.push({ field: `event.${key}`, message: 'cannot be changed with recur_update_type=THIS' });
      }
    }
    if (isObject(b.time)) {
      for (const key of ['lunar', 'all_day'] as const) {
        if (b.time[key] !== undefined) {
          issues.push({
            field: `event.time.${key}`,
            message: 'cannot be changed with recur_update_type=THIS',
          });
        }
      }
    }
  }
  return issues;
}

const yyyymmdd = /^(\d{4})(\d{2})(\d{2})$/;

export function isValidYmd(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = yyyymmdd.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return (
    d.getUTCFullYear() === Number(m[1]) &&
    d.getUTCMonth() === Number(m[2]) - 1 &&
    d.getUTCDate() === Number(m[3])
  );
}

/** HHmm with minutes on the 5-minute grid. */
export function isValidAlarmTime(value: unknown): boolean {
  if (typeof value !== 'string' || !/^\d{4}$/.test(value)) return false;
  const h = Number(value.slice(0, 2));
  const m = Number(value.slice(2));
  return h < 24 && m < 60 && m % kakaoLimits.gridMinutes === 0;
}

/** Checks a DueInfo; `today` is yyyyMMdd in the task's zone. `partial` is for "Edit task". */
export function validateDueInfo(due: unknown, today: string, partial = false): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (!isObject(due)) return [{ field: 'task.due_info', message: 'must be an object' }];
  const d = due as Partial<Record<keyof TaskDueInfo, unknown>>;
  if (d.due_date === undefined) {
    if (!partial) issues.push({ field: 'task.due_info.due_date', message: 'is required' });
  } else if (!isValidYmd(d.due_date)) {
    issues.push({ field: 'task.due_info.due_date', message: 'must be yyyyMMdd' });
  } else if (d.due_date < today) {
    issues.push({ field: 'task.due_info.due_date', message: `must not be in the past (today is ${today})` });
  }
  if (d.time_zone !== undefined && !isValidTimeZone(d.time_zone)) {
    issues.push({ field: 'task.due_info.time_zone', message: 'must be an IANA time zone' });
  }
  if (d.alarm_time !== undefined && d.alarm_time !== null && !isValidAlarmTime(d.alarm_time)) {
    issues.push({ field: 'task.due_info.alarm_time', message: 'must be HHmm on the 5-minute grid' });
  }
  if (d.recur !== undefined && d.recur !== null) {
    if (!isObject(d.recur)) {
      issues.push({ field: 'task.due_info.recur', message: 'must be an object' });
    } else {
      const { rrule, record_on } = d.recur;
      if (rrule !== undefined && !isValidRrule(rrule)) {
        issues.push({ field: 'task.due_info.recur.rrule', message: 'must be an RFC 5545 RRULE with FREQ' });
      } else if (typeof rrule === 'string') {
        const until = /(?:^|;)UNTIL=([^;]*)/i.exec(rrule)?.[1];
        if (until !== undefined) {
          if (!/^\d{8}T000000Z$/.test(until)) {
            issues.push({ field: 'task.due_info.recur.rrule', message: "UNTIL must be yyyyMMdd'T'000000Z" });
          } else if (typeof d.due_date === 'string' && until.slice(0, 8) <= d.due_date) {
            issues.push({ field: 'task.due_info.recur.rrule', message: 'UNTIL must be after due_date' });
          }
        }
      }
      if (record_on !== undefined && typeof record_on !== 'boolean') {
        issues.push({ field: 'task.due_info.recur.record_on', message: 'must be a boolean' });
      }
    }
  }
  return issues;
}

/** "Create task": the `task` form field. `today` is yyyyMMdd in the task's zone. */
export function validateTaskCreate(task: TaskCreate, today: string): ValidationIssue[] {
  if (!isObject(task)) return [{ field: 'task', message: 'must be a JSON object' }];
  const issues: ValidationIssue[] = [];
  checkString(issues, 'task.content', task.content, kakaoLimits.taskContentMax, true);
  if (task.due_info !== undefined) issues.push(...validateDueInfo(task.due_info, today));
  return issues;
}

/** "Edit task": at least one field; null deletes due_info (and with it recur). */
export function validateTaskUpdate(task: unknown, today: string): ValidationIssue[] {
  if (!isObject(task)) return [{ field: 'task', message: 'must be a JSON object' }];
  const issues: ValidationIssue[] = [];
  if (!['content', 'bookmark', 'due_info'].some((k) => k in task)) {
    issues.push({ field: 'task', message: 'at least one field to change is required' });
  }
  if (task.content !== undefined)
    checkString(issues, 'task.content', task.content, kakaoLimits.taskContentMax, true);
  if (task.bookmark !== undefined && typeof task.bookmark !== 'boolean') {
    issues.push({ field: 'task.bookmark', message: 'must be a boolean' });
  }
  if (task.due_info !== undefined && task.due_info !== null)
    issues.push(...validateDueInfo(task.due_info, today, true));
  return issues;
}
