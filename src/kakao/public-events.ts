import { bad, idFrom, isKakaoTime, isObject, type KakaoCaller, readAllPages } from './caller.js';
import { KakaoArgumentError } from './errors.js';
import type {
  EventPublic,
  EventPublicBrief,
  EventPublicDetail,
  EventUpdatePublic,
  PublicEventListPage,
} from './types.js';
import { kakaoLimits } from './types.js';
import { validateNotificationMessage } from './validate-notification.js';
import { checkRange, formatKakaoInstant, type Instant, splitTimeWindows } from './windows.js';

// Public events of the app's Kakao Talk Channel (admin key), and following one (user token).

const base = '/v2/api/calendar/public';

/** Needed only when the app is connected to more than one Kakao Talk Channel. */
export interface ChannelScope {
  channelPublicId?: string;
}

/** Custom buttons are checked before the call: Kakao would answer -2 (or drop the button). */
function checkButtons(endpoint: string, message: unknown): void {
  if (message === undefined) return;
  const issues = validateNotificationMessage(message);
  if (issues.length === 0) return;
  const what = issues.map((i) => `${i.field} ${i.message}`).join('; ');
  throw new KakaoArgumentError({ status: 0, endpoint }, `${endpoint}: ${what}`);
}

export async function createPublicEvent(
  admin: KakaoCaller,
  input: ChannelScope & { event: EventPublic },
): Promise<string> {
  checkButtons('public.create', input.event.notification_message);
  const body = await admin.call<unknown>({
    endpoint: 'public.create',
    method: 'POST',
    path: `${base}/create/event`,
    params: { channel_public_id: input.channelPublicId, event: input.event },
    unsafeToRepeat: true,
  });
  return idFrom(body, 'event_id', 'public.create', true);
}

/** Any range as 31-day windows, each read with offset pages of up to 30; each event once. */
export async function listPublicEvents(
  admin: KakaoCaller,
  input: ChannelScope & { from: Instant; to: Instant; limit?: number },
): Promise<EventPublicBrief[]> {
  const { from, to } = checkRange(input, 'public.list');
  const limit = Math.min(input.limit ?? kakaoLimits.publicListLimitMax, kakaoLimits.publicListLimitMax);
  const out: EventPublicBrief[] = [];
  const seen = new Set<string>();
  for (const window of splitTimeWindows(from, to)) {
    const pages = await readAllPages(
      admin,
      {
        endpoint: 'public.list',
        method: 'GET',
        path: `${base}/events`,
        params: {
          channel_public_id: input.channelPublicId,
          from: formatKakaoInstant(window.from),
          to: formatKakaoInstant(window.to),
          limit,
          offset: 0,
        },
      },
      checkPublicPage,
      (page, previous) => {
        const offset = Number(previous.params?.['offset'] ?? 0) + page.events.length;
        return page.events.length === 0 ? undefined : { ...previous, params: { ...previous.params, offset } };
      },
    );
    for (const event of pages.flatMap((p) => p.events)) {
      if (seen.has(event.id)) continue;
      seen.add(event.id);
      out.push(event);
    }
  }
  return out;
}

export async function getPublicEvent(
  admin: KakaoCaller,
  input: ChannelScope & { eventId: string },
): Promise<EventPublicDetail> {
  const body = await admin.call<unknown>({
    endpoint: 'public.get',
    method: 'GET',
    path: `${base}/event`,
    params: { channel_public_id: input.channelPublicId, event_id: input.eventId },
  });
  // The table lists the fields at top level; the sample wraps them in `event`. Accept both.
  const event = isObject(body) && isObject(body['event']) ? body['event'] : body;
  if (!isObject(event) || typeof event['id'] !== 'string' || !isKakaoTime(event['time'])) {
    throw bad('public.get', 'no public event with id and time');
  }
  return event as unknown as EventPublicDetail;
}

export async function updatePublicEvent(
  admin: KakaoCaller,
  input: ChannelScope & { eventId: string; event: EventUpdatePublic },
): Promise<string> {
  checkButtons('public.update', input.event.notification_message);
  const body = await admin.call<unknown>({
    endpoint: 'public.update',
    method: 'POST',
    path: `${base}/update/event`,
    params: { channel_public_id: input.channelPublicId, event_id: input.eventId, event: input.event },
  });
  return idFrom(body, 'event_id', 'public.update');
}

/** Also removes the event from every user calendar that followed it. */
export async function deletePublicEvent(
  admin: KakaoCaller,
  input: ChannelScope & { eventId: string },
): Promise<string> {
  const body = await admin.call<unknown>({
    endpoint: 'public.delete',
    method: 'DELETE',
    path: `${base}/delete/event`,
    params: { channel_public_id: input.channelPublicId, event_id: input.eventId },
  });
  return idFrom(body, 'event_id', 'public.delete');
}

/** Adds a public event to the user's calendar (default primary). Unfollow = delete event. */
export async function followPublicEvent(
  user: KakaoCaller,
  input: { eventId: string; calendarId?: string },
): Promise<string> {
  const body = await user.call<unknown>({
    endpoint: 'public.follow',
    method: 'POST',
    path: `${base}/follow`,
    params: { event_id: input.eventId, calendar_id: input.calendarId },
  });
  return idFrom(body, 'event_id', 'public.follow');
}

function checkPublicPage(body: unknown, endpoint: string): PublicEventListPage {
  if (!isObject(body) || !Array.isArray(body['events'])) throw bad(endpoint, 'no events array');
  for (const event of body['events']) {
    if (!isObject(event) || typeof event['id'] !== 'string' || !isKakaoTime(event['time'])) {
      throw bad(endpoint, 'a public event without id or time');
    }
  }
  return body as unknown as PublicEventListPage;
}
