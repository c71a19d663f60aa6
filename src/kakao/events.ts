import {
  bad,
  idFrom,
  isKakaoTime,
  isObject,
  type KakaoCaller,
  optionalIdFrom,
  readAllPages,
} from './caller.js';
import { KakaoArgumentError } from './errors.js';
import type {
  EventBrief,
  EventCreate,
  EventDetail,
  EventGuest,
  EventListPage,
  EventUpdate,
  RecurUpdateType,
} from './types.js';
import { kakaoLimits } from './types.js';
import { checkRange, formatKakaoInstant, type Instant, maxWindowMs, splitTimeWindows } from './windows.js';

export type { Instant };

// User events: create, list (one window or any range), detail, host edit, guest edit, delete.

const base = '/v2/api/calendar';

export interface ListEventsInput {
  /** Omit to list every calendar of the user. */
  calendarId?: string;
  from: Instant;
  to: Instant;
  /** Page size, default and maximum 1000 (fewer calls). */
  limit?: number;
}

export interface CreateEventInput {
  /** Default primary. */
  calendarId?: string;
  event: EventCreate;
}

export interface UpdateEventInput {
  /** A recurring event's instance is `{EVENT_ID}_{yyyyMMddTHHmmssZ}`. */
  eventId: string;
  /** Moves the event to another calendar. */
  calendarId?: string;
  /** Required for recurring events. */
  recurUpdateType?: RecurUpdateType;
  event?: EventUpdate;
}

export interface UpdateGuestEventInput {
  eventId: string;
  calendarId?: string;
  event?: EventGuest;
}

export interface DeleteEventInput {
  eventId: string;
  recurUpdateType?: RecurUpdateType;
}

export async function createEvent(caller: KakaoCaller, input: CreateEventInput): Promise<string> {
  const body = await caller.call<unknown>({
    endpoint: 'events.create',
    method: 'POST',
    path: `${base}/create/event`,
    params: { calendar_id: input.calendarId, event: input.event },
    unsafeToRepeat: true,
  });
  return idFrom(body, 'event_id', 'events.create', true);
}

/** Exactly one list window (≤ 31 days): one call plus one per further page. */
export async function listEventsWindow(caller: KakaoCaller, input: ListEventsInput): Promise<EventBrief[]> {
  const { from, to } = checkRange(input, 'events.list');
  if (to - from > maxWindowMs) {
    throw new KakaoArgumentError(
      { status: 0, endpoint: 'events.list' },
      'events.list: a window spans at most 31 days',
    );
  }
  return readWindow(caller, input.calendarId, from, to, input.limit);
}

/**
 * Any range, read as consecutive 31-day windows. Each event is returned once: events with an id
 * are deduplicated by id (instances `{ID}_{start}` are distinct); id-less events of other apps are
 * taken from the first window they overlap (later windows skip those starting before them).
 */
export async function listEvents(caller: KakaoCaller, input: ListEventsInput): Promise<EventBrief[]> {
  const { from, to } = checkRange(input, 'events.list');
  const out: EventBrief[] = [];
  const seen = new Set<string>();
  for (const [index, window] of splitTimeWindows(from, to).entries()) {
    for (const event of await readWindow(caller, input.calendarId, window.from, window.to, input.limit)) {
      if (event.id !== undefined) {
        if (seen.has(event.id)) continue;
        seen.add(event.id);
      } else if (index > 0 && Date.parse(event.time.start_at) < window.from) {
        continue;
      }
      out.push(event);
    }
  }
  return out;
}

async function readWindow(
  caller: KakaoCaller,
  calendarId: string | undefined,
  from: number,
  to: number,
  limit: number = kakaoLimits.listLimitMax,
): Promise<EventBrief[]> {
  const pages = await readAllPages(
    caller,
    {
      endpoint: 'events.list',
      method: 'GET',
      path: `${base}/events`,
      params: { calendar_id: calendarId, from: formatKakaoInstant(from), to: formatKakaoInstant(to), limit },
    },
    checkEventPage,
  );
  return pages.flatMap((p) => p.events);
}

export async function getEvent(caller: KakaoCaller, eventId: string): Promise<EventDetail> {
  const body = await caller.call<unknown>({
    endpoint: 'events.get',
    method: 'GET',
    path: `${base}/event`,
    params: { event_id: eventId },
  });
  const event = isObject(body) ? body['event'] : undefined;
  if (!isObject(event) || typeof event['id'] !== 'string' || !isKakaoTime(event['time'])) {
    throw bad('events.get', 'no event with id and time');
  }
  return event as unknown as EventDetail;
}

/** Host edit. Returns the event id; undefined for recurring events (Kakao answers no body). */
export async function updateEvent(caller: KakaoCaller, input: UpdateEventInput): Promise<string | undefined> {
  const body = await caller.call<unknown>({
    endpoint: 'events.update',
    method: 'POST',
    path: `${base}/update/event/host`,
    params: {
      event_id: input.eventId,
      calendar_id: input.calendarId,
      recur_update_type: input.recurUpdateType,
      event: input.event,
    },
  });
  return optionalIdFrom(body, 'event_id', 'events.update');
}

/** Attendee edit of a public or subscribed event: reminders, color, memo, calendar. */
export async function updateGuestEvent(caller: KakaoCaller, input: UpdateGuestEventInput): Promise<string> {
  const body = await caller.call<unknown>({
    endpoint: 'events.updateGuest',
    method: 'POST',
    path: `${base}/update/event/guest`,
    params: { event_id: input.eventId, calendar_id: input.calendarId, event: input.event },
  });
  return idFrom(body, 'event_id', 'events.updateGuest');
}

/** Returns the deleted id; undefined for recurring events (Kakao answers no body). */
export async function deleteEvent(caller: KakaoCaller, input: DeleteEventInput): Promise<string | undefined> {
  const body = await caller.call<unknown>({
    endpoint: 'events.delete',
    method: 'DELETE',
    path: `${base}/delete/event`,
    params: { event_id: input.eventId, recur_update_type: input.recurUpdateType },
  });
  return optionalIdFrom(body, 'event_id', 'events.delete');
}

function checkEventPage(body: unknown, endpoint: string): EventListPage {
  if (!isObject(body) || !Array.isArray(body['events'])) throw bad(endpoint, 'no events array');
  for (const event of body['events']) {
    if (!isObject(event) || !isKakaoTime(event['time'])) throw bad(endpoint, 'an event without time');
    if (event['id'] !== undefined && typeof event['id'] !== 'string')
      throw bad(endpoint, 'an event id is not a string');
  }
  return body as unknown as EventListPage;
}
