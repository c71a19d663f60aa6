import { bad, idFrom, isObject, type KakaoCaller } from './caller.js';
import type { SubscribableCalendarList } from './types.js';

// Subscribed calendars: what can be subscribed (admin key), subscribe / unsubscribe (user token).

const base = '/v2/api/calendar';

export async function listSubscribableCalendars(
  admin: KakaoCaller,
  filter: { categoryName?: string; subcategoryName?: string } = {},
): Promise<SubscribableCalendarList> {
  const body = await admin.call<unknown>({
    endpoint: 'subscribable.list',
    method: 'GET',
    path: `${base}/subscribable/calendars`,
    params: { category_name: filter.categoryName, subcategory_name: filter.subcategoryName },
  });
  if (!isObject(body) || !Array.isArray(body['categories']))
    throw bad('subscribable.list', 'no categories array');
  return body as unknown as SubscribableCalendarList;
}

export async function subscribe(user: KakaoCaller, calendarId: string): Promise<string> {
  const body = await user.call<unknown>({
    endpoint: 'subscribe',
    method: 'POST',
    path: `${base}/subscribe`,
    params: { calendar_id: calendarId },
  });
  return idFrom(body, 'calendar_id', 'subscribe');
}

export async function unsubscribe(user: KakaoCaller, calendarId: string): Promise<string> {
  const body = await user.call<unknown>({
    endpoint: 'unsubscribe',
    method: 'DELETE',
    path: `${base}/unsubscribe`,
    params: { calendar_id: calendarId },
  });
  return idFrom(body, 'calendar_id', 'unsubscribe');
}
