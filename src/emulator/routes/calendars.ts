// Calendars: list, create/update/delete sub-calendars; subscribable calendars, subscribe,
// unsubscribe; holidays.
import type { FastifyInstance } from 'fastify';
import { kakaoLimits } from '../../kakao/types.js';
import { isKakaoColor, parseKakaoTimestamp } from '../../kakao/validate.js';
import { invalidParam, notAllowed, notFound } from '../errors.js';
import { holidaysBetween } from '../holidays.js';
import { newObjectId } from '../ids.js';
import type { StoredCalendar } from '../model.js';
import { adminKeyRoute, type EmulatorContext, requireParam, userRoute } from './kit.js';

const scope = 'talk_calendar';
const dayMs = 86_400_000;

function reminderParam(params: Record<string, string>, name: string, allDay: boolean): number | undefined {
  const raw = params[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw)) throw invalidParam(`${name} must be an integer`);
  const n = Number(raw);
  const low = allDay ? n <= kakaoLimits.allDayReminderExclusiveMin : n < 0;
  if (n % kakaoLimits.reminderStep !== 0 || low || n > kakaoLimits.reminderMax) {
    throw invalidParam(`${name} must be a multiple of 5 in the documented range`);
  }
  return n;
}

function checkName(name: string): void {
  if (name.trim() === '' || name.length > kakaoLimits.calendarNameMax) {
    throw invalidParam(`name must be 1..${kakaoLimits.calendarNameMax} characters`);
  }
}

function calendarWire(c: StoredCalendar) {
  if (c.id === 'primary' || !c.ownedByApp) return { id: c.id };
  return {
    id: c.id,
    name: c.name,
    color: c.color,
    ...(c.reminder !== undefined ? { reminder: c.reminder } : {}),
    ...(c.reminderAllDay !== undefined ? { reminder_all_day: c.reminderAllDay } : {}),
  };
}

/** A [from, to) window of at most 31 days from UTC timestamps. */
export function parseWindow(params: Record<string, string>): { from: Date; to: Date } {
  const from = parseKakaoTimestamp(params.from);
  const to = parseKakaoTimestamp(params.to);
  if (!from) throw invalidParam('from must be a UTC timestamp YYYY-MM-DDThh:mm:ssZ');
  if (!to) throw invalidParam('to must be a UTC timestamp YYYY-MM-DDThh:mm:ssZ');
  if (from.getTime() >= to.getTime()) throw invalidParam('from must be before to');
  if (to.getTime() - from.getTime() > kakaoLimits.listWindowDays * dayMs) {
    throw invalidParam(`the period between from and to must be within ${kakaoLimits.listWindowDays} days`);
  }
  return { from, to };
}

export function registerCalendarRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const base = '/v2/api/calendar';

  userRoute(
    app,
    ctx,
    { method: 'GET', url: `${base}/calendars`, endpoint: 'calendars.list', scope },
    ({ user, params }) => {
      const filter = (params.filter ?? 'ALL').split(',').map((s) => s.trim().toUpperCase());
      for (const f of filter)
        if (!['ALL', 'USER', 'SUBSCRIBE'].includes(f)) throw invalidParam(`unknown filter ${f}`);
      const wantUser = filter.includes('ALL') || filter.includes('USER');
      const wantSub = filter.includes('ALL') || filter.includes('SUBSCRIBE');
      const out: Record<string, unknown> = {};
      if (wantUser) out.calendars = [...user.calendars.values()].map(calendarWire);
      if (wantSub) {
        out.subscribe_calendars = [...user.subscriptions].flatMap((id) => {
          const s = ctx.state.subscribables.get(id);
          return s
            ? [
                {
                  id: s.id,
                  name: s.name,
                  color: s.color,
                  description: s.description,
                  profile_image_url: s.profileImageUrl,
                },
              ]
            : [];
        });
      }
      return out;
    },
  );

  userRoute(
    app,
    ctx,
    { method: 'POST', url: `${base}/create/calendar`, endpoint: 'calendars.create', scope },
    ({ user, params }) => {
      const name = requireParam(params, 'name');
      checkName(name);
      const color = params.color ?? 'BLUE';
      if (!isKakaoColor(color)) throw invalidParam(`unknown color ${color}`);
      const reminder = reminderParam(params, 'reminder', false);
      const reminderAllDay = reminderParam(params, 'reminder_all_day', true);
      const subs = [...user.calendars.values()].filter((c) => c.id !== 'primary');
      if (subs.filter((c) => c.ownedByApp).length >= kakaoLimits.subCalendarsPerService) {
        throw invalidParam(
          `a service can create at most ${kakaoLimits.subCalendarsPerService} sub-calendars`,
        );
      }
      if (subs.length >= kakaoLimits.subCalendarsTotal) {
        throw invalidParam(`a user can have at most ${kakaoLimits.subCalendarsTotal} sub-calendars`);
      }
      const cal: StoredCalendar = {
        id: `user_${newObjectId()}`,
        name,
        color: color as StoredCalendar['color'],
        ownedByApp: true,
      };
      if (reminder !== undefined) cal.reminder = reminder;
      if (reminderAllDay !== undefined) cal.reminderAllDay = reminderAllDay;
      user.calendars.set(cal.id, cal);
      return { calendar_id: cal.id };
    },
  );

  userRoute(
    app,
    ctx,
    { method: 'POST', url: `${base}/update/calendar`, endpoint: 'calendars.update', scope },
    ({ user, params }) => {
      const id = requireParam(params, 'calendar_id');
      const cal = user.calendars.get(id);
      if (!cal) throw notFound('calendar', id);
      if (!cal.ownedByApp) throw notAllowed('only a sub-calendar created by this app can be edited');
      const fields = ['name', 'color', 'reminder', 'reminder_all_day'].filter((k) => params[k] !== undefined);
      if (fields.length === 0) throw invalidParam('at least one field to change is required');
      if (params.name !== undefined) checkName(params.name);
      if (params.color !== undefined && !isKakaoColor(params.color))
        throw invalidParam(`unknown color ${params.color}`);
      const reminder = reminderParam(params, 'reminder', false);
      const reminderAllDay = reminderParam(params, 'reminder_all_day', true);
      if (params.name !== undefined) cal.name = params.name;
      if (params.color !== undefined) cal.color = params.color as StoredCalendar['color'];
      if (reminder !== undefined) cal.reminder = reminder;
      if (reminderAllDay !== undefined) cal.reminderAllDay = reminderAllDay;
      return { calendar_id: cal.id };
    },
  );

  userRoute(
    app,
    ctx,
    { method: 'DELETE', url: `${base}/delete/calendar`, endpoint: 'calendars.delete', scope },
    ({ user, params }) => {
      const id = requireParam(params, 'calendar_id');
      if (id === 'primary') throw invalidParam('My Calendar (primary) cannot be deleted');
      const cal = user.calendars.get(id);
      if (!cal) throw notFound('calendar', id);
      if (!cal.ownedByApp) throw notAllowed('only a sub-calendar created by this app can be deleted');
      user.calendars.delete(id);
      for (const e of [...user.events.all()]) if (e.calendarId === id) user.events.remove(e);
      for (const [pid, f] of user.follows) if (f.calendarId === id) user.follows.delete(pid);
      return { calendar_id: id };
    },
  );

  adminKeyRoute(
    app,
    ctx,
    { method: 'GET', url: `${base}/subscribable/calendars`, endpoint: 'subscribable.list' },
    ({ params }) => {
      if (params.subcategory_name !== undefined && params.category_name === undefined) {
        throw invalidParam('category_name is required with subcategory_name');
      }
      const categories = new Map<
        string,
        Map<string, { id: string; name: string; profile_image_url: string }[]>
      >();
      for (const s of ctx.state.subscribables.values()) {
        if (params.category_name !== undefined && s.category !== params.category_name) continue;
        if (params.subcategory_name !== undefined && s.subcategory !== params.subcategory_name) continue;
        const subs = categories.get(s.category) ?? new Map();
        categories.set(s.category, subs);
        const list = subs.get(s.subcategory ?? '') ?? [];
        subs.set(s.subcategory ?? '', list);
        list.push({ id: s.id, name: s.name, profile_image_url: s.profileImageUrl });
      }
      return {
        categories: [...categories].map(([category, subs]) => ({
          category_name: category,
          subcategories: [...subs].map(([sub, calendars]) => ({
            ...(sub ? { subcategory_name: sub } : {}),
            calendars,
          })),
        })),
      };
    },
  );

  userRoute(
    app,
    ctx,
    { method: 'POST', url: `${base}/subscribe`, endpoint: 'subscribe', scope },
    ({ user, params }) => {
      const id = requireParam(params, 'calendar_id');
      if (!ctx.state.subscribables.has(id)) throw notFound('subscribable calendar', id);
      user.subscriptions.add(id);
      return { calendar_id: id };
    },
  );

  userRoute(
    app,
    ctx,
    { method: 'DELETE', url: `${base}/unsubscribe`, endpoint: 'unsubscribe', scope },
    ({ user, params }) => {
      const id = requireParam(params, 'calendar_id');
      if (!user.subscriptions.has(id)) throw notFound('subscribed calendar', id);
      user.subscriptions.delete(id);
      const sub = ctx.state.subscribables.get(id);
      for (const e of sub?.events ?? []) user.guestEdits.delete(e.id);
      return { calendar_id: id };
    },
  );

  adminKeyRoute(
    app,
    ctx,
    { method: 'GET', url: `${base}/holidays`, endpoint: 'holidays.list' },
    ({ params }) => {
      const { from, to } = parseWindow(params);
      return { events: holidaysBetween(from, to) };
    },
  );
}
