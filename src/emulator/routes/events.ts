// User events: create, list, details, edit for host, edit for attendee, delete.
import type { FastifyInstance } from 'fastify';
import { DateTime } from 'luxon';
import type { EventCreate, EventUpdate, RecurUpdateType } from '../../kakao/types.js';
import { kakaoLimits } from '../../kakao/types.js';
import {
  isKakaoColor,
  parseKakaoTimestamp,
  validateEventCreate,
  validateEventUpdate,
  validateReminders,
} from '../../kakao/validate.js';
import { invalidParam, notAllowed, notFound } from '../errors.js';
import { buildEvent, deleteEvent, editEvent, type HostPatch, resolve, splitEventId } from '../event-edit.js';
import { decodePageToken, encodePageToken, listInstances, type PageToken } from '../event-list.js';
import { findInstance, type Instance, toDetail } from '../event-view.js';
import type { GuestEdits, StoredEvent } from '../model.js';
import type { EmulatorState, EmulatorUser } from '../state.js';
import { defaultZone, formatKakao } from '../time.js';
import { parseWindow } from './calendars.js';
import { type EmulatorContext, intParam, jsonField, rejectIssues, requireParam, userRoute } from './kit.js';

const scope = 'talk_calendar';
const recurTypes = ['ALL', 'THIS', 'THIS_AND_FOLLOWING'];

/** A calendar the app may write events into: primary or a sub-calendar it created. */
export function writableCalendar(user: EmulatorUser, id: string): string {
  const cal = user.calendars.get(id);
  if (!cal) throw notFound('calendar', id);
  if (id !== 'primary' && !cal.ownedByApp) throw notAllowed(`calendar ${id} was not created by this app`);
  return id;
}

function presetWindow(preset: string, now: Date): { from: Date; to: Date } {
  const local = DateTime.fromJSDate(now, { zone: defaultZone });
  if (preset === 'TODAY')
    return { from: local.startOf('day').toJSDate(), to: local.startOf('day').plus({ days: 1 }).toJSDate() };
  if (preset === 'THIS_WEEK') {
    const sunday = local.startOf('day').minus({ days: local.weekday % 7 });
    return { from: sunday.toJSDate(), to: sunday.plus({ days: 7 }).toJSDate() };
  }
  if (preset === 'THIS_MONTH')
    return {
      from: local.startOf('month').toJSDate(),
      to: local.startOf('month').plus({ months: 1 }).toJSDate(),
    };
  throw invalidParam(`unknown preset ${preset}`);
}

function recurType(params: Record<string, string>): RecurUpdateType | undefined {
  const t = params.recur_update_type;
  if (t === undefined || t === '') return undefined;
  if (!recurTypes.includes(t))
    throw invalidParam('recur_update_type must be ALL, THIS or THIS_AND_FOLLOWING');
  return t as RecurUpdateType;
}

interface GuestTarget {
  event: StoredEvent;
  instance?: Instance;
  edits: GuestEdits;
  kind: 'PUBLIC' | 'SUBSCRIBE';
  save(edits: GuestEdits): void;
}

/** A followed public event or a subscribed event the user sees, by (instance) id. */
function guestTarget(state: EmulatorState, user: EmulatorUser, eventId: string): GuestTarget | undefined {
  const [id, key] = splitEventId(eventId);
  const follow = user.follows.get(id);
  const pe = state.publicEvents.get(id);
  if (follow && pe && key === undefined) {
    return {
      event: pe.event,
      edits: follow,
      kind: 'PUBLIC',
      // Edits replace the previous ones (a field deleted stays deleted); the calendar is kept.
      save: (e) => user.follows.set(id, { ...e, calendarId: e.calendarId ?? follow.calendarId }),
    };
  }
  for (const subId of user.subscriptions) {
    const event = state.subscribables.get(subId)?.events.find((e) => e.id === id);
    if (!event) continue;
    const instance = key ? findInstance(event, key) : undefined;
    if (key && !instance) return undefined;
    const target: GuestTarget = {
      event,
      edits: user.guestEdits.get(id) ?? {},
      kind: 'SUBSCRIBE',
      save: (e) => user.guestEdits.set(id, e),
    };
    if (instance) target.instance = instance;
    return target;
  }
  return undefined;
}

export function registerEventRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const base = '/v2/api/calendar';
  const { state } = ctx;

  userRoute(
    app,
    ctx,
    { method: 'POST', url: `${base}/create/event`, endpoint: 'events.create', scope },
    ({ user, params, now }) => {
      const calendarId = writableCalendar(user, params.calendar_id || 'primary');
      const body = jsonField(params, 'event', true) as unknown as EventCreate;
      rejectIssues(validateEventCreate(body));
      const event = buildEvent(body, calendarId, now);
      user.events.add(event);
      return { event_id: event.id };
    },
  );

  userRoute(
    app,
    ctx,
    { method: 'GET', url: `${base}/events`, endpoint: 'events.list', scope },
    ({ user, params, now }) => {
      let token: PageToken;
      if (params.next_page_token) {
        const decoded = decodePageToken(params.next_page_token);
        if (!decoded) throw invalidParam('next_page_token is invalid');
        token = decoded;
      } else {
        // The documentation spells the query parameter `calender_id`; both spellings are accepted.
        const calendarId = params.calendar_id ?? params.calender_id;
        const window = params.preset ? presetWindow(params.preset, now) : parseWindow(params);
        const limit = intParam(params, 'limit', kakaoLimits.listLimitDefault, 1, kakaoLimits.listLimitMax);
        token = {
          f: formatKakao(window.from),
          t: formatKakao(window.to),
          l: limit,
          o: 0,
          c: calendarId || null,
        };
      }
      const from = parseKakaoTimestamp(token.f);
      const to = parseKakaoTimestamp(token.t);
      if (!from || !to) throw invalidParam('next_page_token is invalid');
      if (token.c !== null && !user.calendars.has(token.c) && !user.subscriptions.has(token.c)) {
        throw notFound('calendar', token.c);
      }
      const all = listInstances(state, user, token.c ?? undefined, from, to);
      const page = all.slice(token.o, token.o + token.l);
      const hasNext = token.o + token.l < all.length;
      const out: Record<string, unknown> = { events: page.map((p) => p.brief()), has_next: hasNext };
      if (hasNext) {
        const next = encodePageToken({ ...token, o: token.o + token.l });
        const cal = token.c ? `calendar_id=${encodeURIComponent(token.c)}&` : '';
        out.after_url = `${ctx.origin()}${base}/events?${cal}next_page_token=${encodeURIComponent(next)}`;
      }
      return out;
    },
  );

  userRoute(
    app,
    ctx,
    { method: 'GET', url: `${base}/event`, endpoint: 'events.get', scope },
    ({ user, params }) => {
      const eventId = requireParam(params, 'event_id');
      const guest = guestTarget(state, user, eventId);
      if (guest) {
        const inst: Instance = guest.instance ?? {
          event: guest.event,
          time: guest.event.time,
          title: guest.event.title,
        };
        if (!guest.instance) {
          // A guest sees the host's description and location as the host wrote them.
          if (guest.event.description !== undefined) inst.description = guest.event.description;
          if (guest.event.location !== undefined) inst.location = guest.event.location;
        }
        return { event: toDetail(inst, guest.edits) };
      }
      const { event, instance } = resolve(user.events, eventId);
      const inst: Instance = instance ?? { event, time: event.time, title: event.title };
      if (!instance) {
        if (event.description !== undefined) inst.description = event.description;
        if (event.location !== undefined) inst.location = event.location;
      }
      return { event: toDetail(inst) };
    },
  );

  userRoute(
    app,
    ctx,
    { method: 'POST', url: `${base}/update/event/host`, endpoint: 'events.update', scope },
    ({ user, params, now }) => {
      const eventId = requireParam(params, 'event_id');
      if (guestTarget(state, user, eventId))
        throw notAllowed('only the host can edit this event; use update/event/guest');
      const { event } = resolve(user.events, eventId);
      const type = recurType(params);
      const body = jsonField(params, 'event', false) as EventUpdate | undefined;
      const calendarId = params.calendar_id || undefined;
      rejectIssues(
        validateEventUpdate(body, type, {
          ...(calendarId ? { calendarId } : {}),
          storedAllDay: event.time.allDay,
        }),
      );
      if (calendarId !== undefined) writableCalendar(user, calendarId);
      const wasRecurring = event.rrule !== undefined;
      const req = {
        eventId,
        patch: (body ?? {}) as HostPatch,
        now,
        ...(calendarId ? { calendarId } : {}),
        ...(type ? { recurUpdateType: type } : {}),
      };
      editEvent(user.events, req);
      // A recurring edit answers 200 without event_id, as documented.
      return wasRecurring ? {} : { event_id: event.id };
    },
  );

  userRoute(
    app,
    ctx,
    { method: 'POST', url: `${base}/update/event/guest`, endpoint: 'events.updateGuest', scope },
    ({ user, params }) => {
      const eventId = requireParam(params, 'event_id');
      const target = guestTarget(state, user, eventId);
      if (!target) {
        const [id] = splitEventId(eventId);
        if (user.events.byId.get(id)?.foreign === false)
          throw notAllowed('the host edits own events with update/event/host');
        throw notFound('event', eventId);
      }
      const body = jsonField(params, 'event', false) ?? {};
      const calendarId = params.calendar_id || undefined;
      const given = ['reminders', 'color', 'memo'].filter((k) => body[k] !== undefined);
      if (given.length === 0 && calendarId === undefined)
        throw invalidParam('at least one field to change is required');
      const edits: GuestEdits = { ...target.edits };
      if (body.reminders !== undefined) {
        if (body.reminders === null) delete edits.reminders;
        else {
          rejectIssues(validateReminders(body.reminders, target.event.time.allDay));
          edits.reminders = body.reminders as number[];
        }
      }
      if (body.color !== undefined) {
        if (body.color === '') delete edits.color;
        else if (!isKakaoColor(body.color)) throw invalidParam('event.color is not a documented colour name');
        else edits.color = body.color as GuestEdits['color'];
      }
      if (body.memo !== undefined) {
        if (typeof body.memo !== 'string' || body.memo.length > kakaoLimits.memoMax) {
          throw invalidParam(`event.memo must be a string of at most ${kakaoLimits.memoMax} characters`);
        }
        if (body.memo === '') delete edits.memo;
        else edits.memo = body.memo;
      }
      if (calendarId !== undefined) {
        if (target.kind !== 'PUBLIC') throw notAllowed('a subscribed event stays in its subscribed calendar');
        edits.calendarId = writableCalendar(user, calendarId);
      }
      target.save(edits);
      return { event_id: eventId };
    },
  );

  userRoute(
    app,
    ctx,
    { method: 'DELETE', url: `${base}/delete/event`, endpoint: 'events.delete', scope },
    ({ user, params, now }) => {
      const eventId = requireParam(params, 'event_id');
      const type = recurType(params);
      const guest = guestTarget(state, user, eventId);
      if (guest?.kind === 'SUBSCRIBE')
        throw notAllowed('subscribed events cannot be deleted; unsubscribe instead');
      if (guest?.kind === 'PUBLIC') {
        user.follows.delete(splitEventId(eventId)[0]);
        return { event_id: eventId };
      }
      const { event } = resolve(user.events, eventId);
      const wasRecurring = event.rrule !== undefined;
      deleteEvent(user.events, eventId, type, now);
      return wasRecurring ? {} : { event_id: event.id };
    },
  );
}
