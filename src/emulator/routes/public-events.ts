// Public events of the app's Kakao Talk Channel (admin key) and "follow" (user token).
import type { FastifyInstance } from 'fastify';
import type { EventCreate, EventUpdate } from '../../kakao/types.js';
import { kakaoLimits } from '../../kakao/types.js';
import { validateEventCreate, validateEventUpdate } from '../../kakao/validate.js';
import {
  effectiveNotificationMessage,
  validateNotificationMessage,
} from '../../kakao/validate-notification.js';
import { resolveChannel } from '../channels.js';
import { invalidParam, notFound } from '../errors.js';
import { buildEvent, mergeTime } from '../event-edit.js';
import { instancesInWindow, toDetail, wireTime } from '../event-view.js';
import type { PublicEvent } from '../model.js';
import { parseWindow } from './calendars.js';
import { writableCalendar } from './events.js';
import {
  adminKeyRoute,
  type EmulatorContext,
  intParam,
  jsonField,
  rejectIssues,
  requireParam,
  userRoute,
} from './kit.js';

/** Checks a notification message and keeps what Kakao keeps of it (unusable buttons dropped). */
function notificationOf(raw: unknown): Record<string, unknown> {
  rejectIssues(validateNotificationMessage(raw));
  return effectiveNotificationMessage(raw as Record<string, unknown>) as Record<string, unknown>;
}

export function registerPublicEventRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const base = '/v2/api/calendar/public';
  const { state } = ctx;

  const find = (params: Record<string, string>): PublicEvent => {
    const id = requireParam(params, 'event_id');
    const channel = resolveChannel(state, params.channel_public_id);
    const pe = state.publicEvents.get(id);
    if (!pe || pe.channelPublicId !== channel.publicId) throw notFound('public event', id);
    return pe;
  };

  adminKeyRoute(
    app,
    ctx,
    { method: 'POST', url: `${base}/create/event`, endpoint: 'public.create' },
    ({ params, now }) => {
      const channel = resolveChannel(state, params.channel_public_id);
      const body = jsonField(params, 'event', true);
      if (body.rrule !== undefined) throw invalidParam('event.rrule is not supported for public events');
      const { notification_message: notificationMessage, ...eventBody } = body;
      rejectIssues(validateEventCreate(eventBody as unknown as EventCreate));
      const notification =
        notificationMessage === undefined ? undefined : notificationOf(notificationMessage);
      const event = buildEvent(eventBody as unknown as EventCreate, 'public', now);
      event.type = 'PUBLIC';
      const pe: PublicEvent = { event, channelPublicId: channel.publicId };
      if (notification !== undefined) pe.notificationMessage = notification;
      state.publicEvents.set(event.id, pe);
      return { event_id: event.id };
    },
  );

  adminKeyRoute(app, ctx, { method: 'GET', url: `${base}/events`, endpoint: 'public.list' }, ({ params }) => {
    const { from, to } = parseWindow(params);
    const limit = intParam(params, 'limit', 10, 1, kakaoLimits.publicListLimitMax);
    const offset = intParam(params, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
    const channel = params.channel_public_id || undefined;
    const { publicId } = resolveChannel(state, channel);
    const all = [...state.publicEvents.values()]
      .filter((pe) => pe.channelPublicId === publicId)
      .filter((pe) => instancesInWindow(pe.event, from, to).length > 0)
      .sort(
        (a, b) =>
          a.event.time.start.getTime() - b.event.time.start.getTime() || (a.event.id < b.event.id ? -1 : 1),
      );
    const page = all.slice(offset, offset + limit);
    const hasNext = offset + limit < all.length;
    const out: Record<string, unknown> = {
      events: page.map(({ event }) => {
        const t = wireTime(event.time);
        return {
          id: event.id,
          title: event.title,
          type: 'PUBLIC',
          time: { start_at: t.start_at, end_at: t.end_at, all_day: t.all_day },
          ...(event.color ? { color: event.color } : {}),
        };
      }),
      has_next: hasNext,
    };
    if (hasNext) {
      const q = new URLSearchParams({
        ...(channel ? { channel_public_id: channel } : {}),
        from: params.from!,
        to: params.to!,
        limit: String(limit),
        offset: String(offset + limit),
      });
      out.after_url = `${ctx.origin()}${base}/events?${q}`;
    }
    return out;
  });

  adminKeyRoute(app, ctx, { method: 'GET', url: `${base}/event`, endpoint: 'public.get' }, ({ params }) => {
    const pe = find(params);
    const {
      is_host: _host,
      calendar_id: _cal,
      ...detail
    } = toDetail({
      event: pe.event,
      time: pe.event.time,
      title: pe.event.title,
      ...(pe.event.description !== undefined ? { description: pe.event.description } : {}),
      ...(pe.event.location ? { location: pe.event.location } : {}),
    });
    return {
      event: {
        ...detail,
        ...(pe.notificationMessage !== undefined ? { notification_message: pe.notificationMessage } : {}),
      },
    };
  });

  adminKeyRoute(
    app,
    ctx,
    { method: 'POST', url: `${base}/update/event`, endpoint: 'public.update' },
    ({ params, now }) => {
      const pe = find(params);
      const body = jsonField(params, 'event', false);
      if (body?.rrule !== undefined) throw invalidParam('event.rrule is not supported for public events');
      const { notification_message: notificationMessage, ...fields } = body ?? {};
      const notification =
        notificationMessage === undefined ? undefined : notificationOf(notificationMessage);
      rejectIssues(
        notificationMessage !== undefined && Object.keys(fields).length === 0
          ? []
          : validateEventUpdate(fields as EventUpdate, undefined, { storedAllDay: pe.event.time.allDay }),
      );
      const e = pe.event;
      const f = fields as EventUpdate;
      if (f.time) e.time = mergeTime(e.time, f.time);
      if (f.title !== undefined) e.title = f.title;
      if (f.description !== undefined) {
        if (f.description === '') delete e.description;
        else e.description = f.description;
      }
      if (f.location !== undefined) {
        if (!f.location) delete e.location;
        else e.location = f.location;
      }
      if (f.reminders !== undefined) {
        if (f.reminders === null) delete e.reminders;
        else e.reminders = f.reminders;
      }
      if (f.color !== undefined) {
        if ((f.color as string) === '') delete e.color;
        else e.color = f.color;
      }
      if (notification !== undefined) pe.notificationMessage = notification;
      e.updatedAt = now;
      return { event_id: e.id };
    },
  );

  adminKeyRoute(
    app,
    ctx,
    { method: 'DELETE', url: `${base}/delete/event`, endpoint: 'public.delete' },
    ({ params }) => {
      const pe = find(params);
      state.publicEvents.delete(pe.event.id);
      // Deleting a public event removes it from every follower's calendar.
      for (const user of state.users.values()) user.follows.delete(pe.event.id);
      return { event_id: pe.event.id };
    },
  );

  userRoute(
    app,
    ctx,
    { method: 'POST', url: `${base}/follow`, endpoint: 'public.follow', scope: 'talk_calendar' },
    ({ user, params }) => {
      const id = requireParam(params, 'event_id');
      if (!state.publicEvents.has(id)) throw notFound('public event', id);
      const calendarId = writableCalendar(user, params.calendar_id || 'primary');
      user.follows.set(id, { ...user.follows.get(id), calendarId });
      return { event_id: id };
    },
  );
}
