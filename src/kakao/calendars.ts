import { bad, idFrom, isObject, type KakaoCaller } from './caller.js';
import type { CalendarCreate, CalendarFilter, CalendarList, CalendarUpdate } from './types.js';

// User calendars: list (My Calendar, sub-calendars, subscribed), create/edit/delete sub-calendars.

const base = '/v2/api/calendar';

export async function listCalendars(
  caller: KakaoCaller,
  filter?: CalendarFilter | CalendarFilter[],
): Promise<CalendarList> {
  const body = await caller.call<unknown>({
    endpoint: 'calendars.list',
    method: 'GET',
    path: `${base}/calendars`,
    params: { filter: Array.isArray(filter) ? filter.join(',') : filter },
  });
  if (!isObject(body)) throw bad('calendars.list', 'not an object');
  for (const key of ['calendars', 'subscribe_calendars'] as const) {
    const list = body[key];
    if (list === undefined) continue;
    if (!Array.isArray(list) || !list.every((c) => isObject(c) && typeof c['id'] === 'string')) {
      throw bad('calendars.list', `${key} is not a list of calendars with ids`);
    }
  }
  return body as CalendarList;
}

/** Returns the new sub-calendar's id. */
export async function createCalendar(caller: KakaoCaller, calendar: CalendarCreate): Promise<string> {
  const body = await caller.call<unknown>({
    endpoint: 'calendars.create',
    method: 'POST',
    path: `${base}/create/calendar`,
    params: { ...calendar },
    unsafeToRepeat: true,
  });
  return idFrom(body, 'calendar_id', 'calendars.create', true);
}

export async function updateCalendar(
  caller: KakaoCaller,
  input: { calendarId: string } & CalendarUpdate,
): Promise<string> {
  const { calendarId, ...fields } = input;
  const body = await caller.call<unknown>({
    endpoint: 'calendars.update',
    method: 'POST',
    path: `${base}/update/calendar`,
    params: { calendar_id: calendarId, ...fields },
  });
  return idFrom(body, 'calendar_id', 'calendars.update');
}

/** Deletes a sub-calendar this app created, with all its events. */
export async function deleteCalendar(caller: KakaoCaller, calendarId: string): Promise<string> {
  const body = await caller.call<unknown>({
    endpoint: 'calendars.delete',
    method: 'DELETE',
    path: `${base}/delete/calendar`,
    params: { calendar_id: calendarId },
  });
  return idFrom(body, 'calendar_id', 'calendars.delete');
}
