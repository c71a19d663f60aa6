// Stored events as the API shows them: instances inside a window, list entries, details.
import type { EventBrief, EventDetail, KakaoLocation, KakaoTime } from '../kakao/types.js';
import type { EventTime, StoredEvent } from './model.js';
import { hasOccurrenceAt, occurrencesNear, type RecurringShape } from './recurrence.js';
import { formatKakao, parseInstanceKey } from './time.js';

export interface Instance {
  event: StoredEvent;
  /** Set for instances of a recurring series: yyyyMMddTHHmmssZ of the original start. */
  key?: string;
  time: EventTime;
  title: string;
  description?: string;
  location?: KakaoLocation;
}

/** [start, end) overlaps [from, to); a zero-length event counts when from ≤ start < to. */
export function overlaps(start: Date, end: Date, from: Date, to: Date): boolean {
  const s = start.getTime();
  const e = end.getTime();
  if (s === e) return s >= from.getTime() && s < to.getTime();
  return s < to.getTime() && e > from.getTime();
}

export function shapeOf(event: StoredEvent): RecurringShape {
  return {
    start: event.time.start,
    end: event.time.end,
    allDay: event.time.allDay,
    timeZone: event.time.timeZone,
    rrule: event.rrule ?? '',
  };
}

function instanceFor(event: StoredEvent, key: string, start: Date, end: Date): Instance {
  const override = event.overrides.get(key);
  const time = override?.time ?? { ...event.time, start, end };
  const instance: Instance = { event, key, time, title: override?.title ?? event.title };
  const description = override && 'description' in override ? override.description : event.description;
  const location = override && 'location' in override ? override.location : event.location;
  if (description !== undefined) instance.description = description;
  if (location !== undefined) instance.location = location;
  return instance;
}

/** The instances of one stored event overlapping [from, to). */
export function instancesInWindow(event: StoredEvent, from: Date, to: Date): Instance[] {
  if (event.rrule === undefined) {
    if (!overlaps(event.time.start, event.time.end, from, to)) return [];
    const single: Instance = { event, time: event.time, title: event.title };
    if (event.description !== undefined) single.description = event.description;
    if (event.location !== undefined) single.location = event.location;
    return [single];
  }
  const out: Instance[] = [];
  for (const o of occurrencesNear(shapeOf(event), from, to)) {
    if (event.exdates.has(o.key) || event.overrides.has(o.key)) continue;
    if (overlaps(o.start, o.end, from, to)) out.push(instanceFor(event, o.key, o.start, o.end));
  }
  // Instances moved with THIS are checked at their new time, wherever they came from.
  for (const key of event.overrides.keys()) {
    if (event.exdates.has(key)) continue;
    const start = parseInstanceKey(key);
    if (!start) continue;
    const inst = instanceFor(event, key, start, new Date(start.getTime() + duration(event)));
    if (overlaps(inst.time.start, inst.time.end, from, to)) out.push(inst);
  }
  return out;
}

function duration(event: StoredEvent): number {
  return event.time.end.getTime() - event.time.start.getTime();
}

/** The instance `key` of a recurring event, if the series has it and it was not deleted. */
export function findInstance(event: StoredEvent, key: string): Instance | undefined {
  if (event.rrule === undefined || event.exdates.has(key)) return undefined;
  const start = parseInstanceKey(key);
  if (!start) return undefined;
  if (!event.overrides.has(key) && !hasOccurrenceAt(shapeOf(event), start)) return undefined;
  return instanceFor(event, key, start, new Date(start.getTime() + duration(event)));
}

export function wireTime(time: EventTime): KakaoTime {
  return {
    start_at: formatKakao(time.start),
    end_at: formatKakao(time.end),
    time_zone: time.timeZone,
    all_day: time.allDay,
    lunar: time.lunar,
  };
}

export function instanceId(instance: Instance): string {
  return instance.key ? `${instance.event.id}_${instance.key}` : instance.event.id;
}

export interface ViewerEdits {
  calendarId?: string;
  color?: string;
  memo?: string;
  reminders?: number[];
}

/** A list entry. Events of other apps show only `time`. */
export function toBrief(instance: Instance, guest?: ViewerEdits): EventBrief {
  const e = instance.event;
  if (e.foreign) return { time: wireTime(instance.time) };
  const brief: EventBrief = {
    id: instanceId(instance),
    title: instance.title,
    type: e.type,
    calendar_id: guest?.calendarId ?? e.calendarId,
    is_host: e.type === 'USER',
    time: wireTime(instance.time),
  };
  if (e.type === 'USER') brief.is_recur_event = e.rrule !== undefined;
  const color = guest?.color ?? e.color;
  if (color) brief.color = color as EventBrief['color'];
  return brief;
}

export function toDetail(instance: Instance, guest?: ViewerEdits): EventDetail {
  const e = instance.event;
  const detail: EventDetail = {
    id: instanceId(instance),
    title: instance.title,
    type: e.type,
    calendar_id: guest?.calendarId ?? e.calendarId,
    time: wireTime(instance.time),
    is_host: e.type === 'USER',
  };
  if (e.type === 'USER') detail.is_recur_event = e.rrule !== undefined;
  if (e.rrule !== undefined) {
    detail.rrule = e.rrule;
    detail.dt_start = formatKakao(e.time.start);
  }
  if (instance.description !== undefined) detail.description = instance.description;
  if (instance.location !== undefined) detail.location = instance.location;
  const reminders = guest?.reminders ?? e.reminders;
  if (reminders !== undefined) detail.reminders = reminders;
  const color = guest?.color ?? e.color;
  if (color) detail.color = color as EventDetail['color'];
  const memo = guest?.memo ?? e.memo;
  if (memo) detail.memo = memo;
  return detail;
}
