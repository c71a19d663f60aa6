// Creating, editing and deleting a user's own events, including THIS / THIS_AND_FOLLOWING / ALL on
// recurring series. Input has already passed src/kakao/validate.ts; semantic checks that need the
// stored event (e.g. merged end before start) are made here.
import type { EventCreate, KakaoLocation, KakaoTime, RecurUpdateType } from '../kakao/types.js';
import { validateReminders, validateTime } from '../kakao/validate.js';
import { invalidParam, notFound } from './errors.js';
import type { EventIndex } from './event-index.js';
import { findInstance, type Instance, shapeOf } from './event-view.js';
import { newObjectId } from './ids.js';
import type { EventTime, StoredEvent } from './model.js';
import { firstOccurrence, hasOccurrenceAt, rruleContinuing, rruleEndingBefore } from './recurrence.js';
import { defaultZone, instanceKey, parseInstanceKey } from './time.js';

export function toEventTime(time: KakaoTime): EventTime {
  return {
    start: new Date(time.start_at),
    end: new Date(time.end_at),
    timeZone: time.time_zone ?? defaultZone,
    allDay: time.all_day ?? false,
    lunar: time.lunar ?? false,
  };
}

/** A stored event from a validated EventCreate. */
export function buildEvent(body: EventCreate, calendarId: string, now: Date, foreign = false): StoredEvent {
  const event: StoredEvent = {
    id: newObjectId(),
    calendarId,
    type: 'USER',
    foreign,
    title: body.title,
    time: toEventTime(body.time),
    exdates: new Set(),
    overrides: new Map(),
    createdAt: now,
    updatedAt: now,
  };
  if (body.rrule) event.rrule = body.rrule.replace(/^RRULE:/i, '');
  if (body.description) event.description = body.description;
  if (body.location) event.location = body.location;
  if (body.reminders) event.reminders = [...body.reminders];
  if (body.color) event.color = body.color;
  return event;
}

/** `{id}_{yyyyMMddTHHmmssZ}` → [id, key]; a plain id → [id]. */
export function splitEventId(eventId: string): [string, string?] {
  const m = /^(.+)_(\d{8}T\d{6}Z)$/.exec(eventId);
  return m ? [m[1]!, m[2]] : [eventId];
}

/** Merges a partial wire Time over a stored one and checks the result. */
export function mergeTime(base: EventTime, patch: Partial<KakaoTime>): EventTime {
  const merged: KakaoTime = {
    start_at: patch.start_at ?? base.start.toISOString().replace('.000Z', 'Z'),
    end_at: patch.end_at ?? base.end.toISOString().replace('.000Z', 'Z'),
    time_zone: patch.time_zone ?? base.timeZone,
    all_day: patch.all_day ?? base.allDay,
    lunar: patch.lunar ?? base.lunar,
  };
  const issues = validateTime(merged);
  if (issues.length > 0) throw invalidParam(issues.map((i) => `${i.field} ${i.message}`).join('; '));
  return toEventTime(merged);
}

export interface HostPatch {
  title?: string;
  time?: Partial<KakaoTime>;
  rrule?: string;
  description?: string;
  location?: KakaoLocation | null | '';
  reminders?: number[] | null;
  color?: string;
  memo?: string;
}

function applyFields(event: StoredEvent, patch: HostPatch): void {
  if (patch.title !== undefined) event.title = patch.title;
  if (patch.description !== undefined) {
    if (patch.description === '') delete event.description;
    else event.description = patch.description;
  }
  if (patch.location !== undefined) {
    if (patch.location === null || patch.location === '') delete event.location;
    else event.location = patch.location;
  }
  if (patch.reminders !== undefined) {
    if (patch.reminders === null) delete event.reminders;
    else event.reminders = [...patch.reminders];
  }
  if (patch.color !== undefined) {
    if (patch.color === '') delete event.color;
    else event.color = patch.color as StoredEvent['color'];
  }
  if (patch.memo !== undefined) {
    if (patch.memo === '') delete event.memo;
    else event.memo = patch.memo;
  }
}

/** Every check that needs the stored event, made before anything changes (edits are all-or-nothing). */
function precheck(event: StoredEvent, instance: Instance | undefined, patch: HostPatch): void {
  const time = patch.time ? mergeTime(instance?.time ?? event.time, patch.time) : event.time;
  const reminders = patch.reminders === undefined ? event.reminders : patch.reminders;
  if (reminders === undefined || reminders === null) return;
  const issues = validateReminders(reminders, time.allDay);
  if (issues.length > 0) throw invalidParam(issues.map((i) => `${i.field} ${i.message}`).join('; '));
}

export interface EditRequest {
  eventId: string;
  calendarId?: string;
  recurUpdateType?: RecurUpdateType;
  patch: HostPatch;
  now: Date;
}

/** Resolves `event_id` to the stored event and (for recurring ids) the addressed instance. */
export function resolve(
  index: EventIndex,
  eventId: string,
): { event: StoredEvent; instance?: Instance; key?: string } {
  const [id, key] = splitEventId(eventId);
  const event = index.byId.get(id);
  if (!event || event.foreign || event.type !== 'USER') throw notFound('event', eventId);
  if (key === undefined) return { event };
  const instance = findInstance(event, key);
  if (!instance) throw notFound('event', eventId);
  return { event, instance, key };
}

/** "Edit event for host". Returns the id of the event edited (a new id for the split-off series). */
export function editEvent(index: EventIndex, req: EditRequest): string {
  const { event, instance, key } = resolve(index, req.eventId);
  const { patch } = req;
  precheck(event, instance, patch);
  if (event.rrule === undefined) {
    index.reindex(event, () => {
      if (patch.time) event.time = mergeTime(event.time, patch.time);
      if (patch.rrule) event.rrule = patch.rrule.replace(/^RRULE:/i, '');
    });
    applyFields(event, patch);
    if (req.calendarId !== undefined) event.calendarId = req.calendarId;
    event.updatedAt = req.now;
    return event.id;
  }
  if (req.recurUpdateType === undefined)
    throw invalidParam('recur_update_type is required for a recurring event');
  if (req.recurUpdateType !== 'ALL' && (!instance || !key)) {
    throw invalidParam(
      `event_id must name an instance ({EVENT_ID}_{yyyyMMddTHHmmssZ}) with ${req.recurUpdateType}`,
    );
  }
  if (req.recurUpdateType === 'THIS') {
    const inst = instance!;
    const override = { ...event.overrides.get(key!) };
    if (patch.title !== undefined) override.title = patch.title;
    if (patch.description !== undefined) override.description = patch.description || undefined;
    if (patch.location !== undefined) override.location = patch.location || undefined;
    if (patch.time) override.time = mergeTime(inst.time, patch.time);
    event.overrides.set(key!, override);
    event.updatedAt = req.now;
    return event.id;
  }
  const first = firstOccurrence(shapeOf(event));
  if (req.recurUpdateType === 'THIS_AND_FOLLOWING' && instance && first && key) {
    const splitAt = parseInstanceKey(key)!;
    if (splitAt.getTime() > first.getTime()) return splitSeries(index, event, splitAt, instance, req);
  }
  editWholeSeries(index, event, instance, req);
  return event.id;
}

function editWholeSeries(
  index: EventIndex,
  event: StoredEvent,
  instance: Instance | undefined,
  req: EditRequest,
) {
  const { patch } = req;
  index.reindex(event, () => {
    if (patch.time) {
      // The time sent is the addressed instance's new time: the whole series moves by the same delta.
      const anchor = instance?.time ?? event.time;
      const moved = mergeTime(anchor, patch.time);
      const origin = instance?.key ? parseInstanceKey(instance.key)! : event.time.start;
      const delta = moved.start.getTime() - origin.getTime();
      const start = new Date(event.time.start.getTime() + delta);
      const durationMs = moved.end.getTime() - moved.start.getTime();
      event.time = { ...moved, start, end: new Date(start.getTime() + durationMs) };
      if (delta !== 0) {
        event.exdates = new Set([...event.exdates].map((k) => shiftKey(k, delta)));
        event.overrides.clear();
      }
    }
    if (patch.rrule !== undefined) {
      if (patch.rrule === '') {
        delete event.rrule;
        event.exdates.clear();
        event.overrides.clear();
      } else {
        const rule = patch.rrule.replace(/^RRULE:/i, '');
        const changed = rule !== event.rrule;
        event.rrule = rule;
        if (changed) dropExceptionsWithoutInstance(event);
      }
    }
  });
  applyFields(event, patch);
  if (req.calendarId !== undefined) event.calendarId = req.calendarId;
  event.updatedAt = req.now;
}

/**
 * After a rule change, exceptions (EXDATEs, THIS edits) stay with their instance (by its original
 * start) while the new rule still has it — "fields not given remain the same" — and go with it
 * when it does not (a shortened series loses its later exceptions).
 */
function dropExceptionsWithoutInstance(event: StoredEvent): void {
  const shape = shapeOf(event);
  const exists = (key: string) => {
    const start = parseInstanceKey(key);
    return start !== undefined && hasOccurrenceAt(shape, start);
  };
  for (const key of [...event.exdates]) if (!exists(key)) event.exdates.delete(key);
  for (const key of [...event.overrides.keys()]) if (!exists(key)) event.overrides.delete(key);
}

function shiftKey(key: string, deltaMs: number): string {
  const start = parseInstanceKey(key);
  return start ? instanceKey(new Date(start.getTime() + deltaMs)) : key;
}

/** THIS_AND_FOLLOWING: the old series ends before the instance, a new event continues from it. */
function splitSeries(
  index: EventIndex,
  event: StoredEvent,
  splitAt: Date,
  instance: Instance,
  req: EditRequest,
): string {
  const continuing = rruleContinuing(shapeOf(event), splitAt);
  const baseTime: EventTime = {
    ...event.time,
    start: splitAt,
    end: new Date(splitAt.getTime() + (event.time.end.getTime() - event.time.start.getTime())),
  };
  const next: StoredEvent = {
    ...event,
    id: newObjectId(),
    time: baseTime,
    rrule: continuing,
    exdates: new Set([...event.exdates].filter((k) => k >= instanceKey(splitAt))),
    overrides: new Map([...event.overrides].filter(([k]) => k > instanceKey(splitAt))),
    createdAt: req.now,
    updatedAt: req.now,
  };
  if (event.location) next.location = { ...event.location };
  if (event.reminders) next.reminders = [...event.reminders];
  index.reindex(event, () => {
    event.rrule = rruleEndingBefore(event.rrule!, splitAt);
    for (const k of [...event.exdates]) if (k >= instanceKey(splitAt)) event.exdates.delete(k);
    for (const k of [...event.overrides.keys()]) if (k >= instanceKey(splitAt)) event.overrides.delete(k);
  });
  event.updatedAt = req.now;
  index.add(next);
  const nextInstance: Instance = { ...instance, event: next, time: baseTime };
  editWholeSeries(index, next, nextInstance, req);
  return next.id;
}

/** "Delete event" of a user's own event. */
export function deleteEvent(
  index: EventIndex,
  eventId: string,
  type: RecurUpdateType | undefined,
  now: Date,
) {
  const { event, instance, key } = resolve(index, eventId);
  if (event.rrule === undefined) {
    index.remove(event);
    return;
  }
  if (type === undefined) throw invalidParam('recur_update_type is required for a recurring event');
  if (type === 'ALL') {
    index.remove(event);
    return;
  }
  if (!instance || !key) {
    throw invalidParam(`event_id must name an instance ({EVENT_ID}_{yyyyMMddTHHmmssZ}) with ${type}`);
  }
  if (type === 'THIS') {
    event.exdates.add(key);
    event.overrides.delete(key);
  } else {
    const splitAt = parseInstanceKey(key)!;
    const first = firstOccurrence(shapeOf(event));
    if (!first || splitAt.getTime() <= first.getTime()) {
      index.remove(event);
      return;
    }
    index.reindex(event, () => {
      event.rrule = rruleEndingBefore(event.rrule!, splitAt);
    });
  }
  event.updatedAt = now;
}
