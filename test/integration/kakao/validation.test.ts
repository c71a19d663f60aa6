import { beforeAll, describe, expect, it } from 'vitest';
import type { KakaoUserClient } from '../../../src/kakao/client.js';
import {
  KakaoArgumentError,
  KakaoError,
  KakaoInvalidRequestError,
  KakaoNotAllowedError,
  KakaoNotFoundError,
  KakaoScopeError,
} from '../../../src/kakao/errors.js';
import type { EventCreate } from '../../../src/kakao/types.js';
import {
  clearLog,
  clientFor,
  compactDay,
  createUser,
  future,
  iso,
  newUserClient,
  requestLog,
  useEmulator,
} from './harness.js';

// Every validation rule of the emulator reaches the caller as the right typed error, and the
// client does not retry it (one request logged).

const env = useEmulator();
let user: KakaoUserClient;
let recurringInstance: string;

const start = future(5);
const timed = { start_at: iso(start), end_at: iso(new Date(start.getTime() + 3_600_000)) };
const allDayStart = future(6, 0);
const allDay = {
  start_at: iso(allDayStart),
  end_at: iso(new Date(allDayStart.getTime() + 86_400_000)),
  all_day: true,
};
const ok: EventCreate = { title: 'ok', time: timed };

beforeAll(async () => {
  ({ user } = await newUserClient(env.emu));
  const id = await user.createEvent({ event: { ...ok, rrule: 'FREQ=DAILY;COUNT=3' } });
  const listed = await user.listEventsWindow({ from: future(4, 0), to: future(9, 0) });
  recurringInstance = listed.find((e) => e.id?.startsWith(`${id}_`))!.id!;
  for (let i = 1; i <= 3; i++) await user.createCalendar({ name: `cal ${i}` });
});

const cases: [string, () => Promise<unknown>][] = [
  ['title over 50 characters', () => user.createEvent({ event: { ...ok, title: 'x'.repeat(51) } })],
  [
    'description over 5000 characters',
    () => user.createEvent({ event: { ...ok, description: 'd'.repeat(5001) } }),
  ],
  [
    'location name over 100 characters',
    () => user.createEvent({ event: { ...ok, location: { name: 'n'.repeat(101) } } }),
  ],
  [
    'start off the 5-minute grid',
    () =>
      user.createEvent({
        event: { ...ok, time: { ...timed, start_at: iso(new Date(start.getTime() + 60_000)) } },
      }),
  ],
  [
    'all-day times not at midnight',
    () => user.createEvent({ event: { ...ok, time: { ...timed, all_day: true } } }),
  ],
  [
    'end before start',
    () => user.createEvent({ event: { ...ok, time: { start_at: timed.end_at, end_at: timed.start_at } } }),
  ],
  ['more than two reminders', () => user.createEvent({ event: { ...ok, reminders: [5, 10, 15] } })],
  ['reminder not a multiple of 5', () => user.createEvent({ event: { ...ok, reminders: [7] } })],
  ['timed reminder below 0', () => user.createEvent({ event: { ...ok, reminders: [-5] } })],
  ['reminder above 43200', () => user.createEvent({ event: { ...ok, reminders: [43205] } })],
  [
    'all-day reminder at -1435',
    () => user.createEvent({ event: { ...ok, time: allDay, reminders: [-1435] } }),
  ],
  ['unknown colour', () => user.createEvent({ event: { ...ok, color: 'TEAL' as 'RED' } })],
  ['list limit over 1000', () => user.listEventsWindow({ from: future(1), to: future(2), limit: 1001 })],
  [
    'update without any field',
    () => user.updateEvent({ eventId: recurringInstance, recurUpdateType: 'ALL', event: {} }),
  ],
  [
    'THIS with a forbidden field',
    () => user.updateEvent({ eventId: recurringInstance, recurUpdateType: 'THIS', event: { color: 'RED' } }),
  ],
  [
    'recurring edit without recur_update_type',
    () => user.updateEvent({ eventId: recurringInstance, event: { title: 'n' } }),
  ],
  ['recurring delete without recur_update_type', () => user.deleteEvent({ eventId: recurringInstance })],
  ['deleting primary', () => user.deleteCalendar('primary')],
  ['a fourth sub-calendar of this service', () => user.createCalendar({ name: 'one too many' })],
  [
    'task due date in the past',
    () => user.createTask({ content: 't', due_info: { due_date: compactDay(-3) } }),
  ],
  [
    'task alarm off the 5-minute grid',
    () => user.createTask({ content: 't', due_info: { due_date: compactDay(3), alarm_time: '0907' } }),
  ],
  ['task content over 1000 characters', () => user.createTask({ content: 'c'.repeat(1001) })],
];

describe('emulator validation surfaces as typed errors', () => {
  it.each(cases)('%s → KakaoInvalidRequestError, not retried', async (_name, run) => {
    await clearLog(env.emu);
    const error = await run().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KakaoError);
    expect(error).toBeInstanceOf(KakaoInvalidRequestError);
    expect((error as KakaoError).code).toBe(-2);
    expect((error as KakaoError).scope).toBe('item');
    expect(await requestLog(env.emu)).toHaveLength(1);
  });

  it('refuses list windows over 31 days before sending anything', async () => {
    await clearLog(env.emu);
    await expect(user.listEventsWindow({ from: future(1), to: future(40) })).rejects.toBeInstanceOf(
      KakaoArgumentError,
    );
    await expect(user.listEventsWindow({ from: future(2), to: future(1) })).rejects.toBeInstanceOf(
      KakaoArgumentError,
    );
    await expect(user.listTasksWindow({ from: compactDay(1), to: compactDay(40) })).rejects.toBeInstanceOf(
      KakaoArgumentError,
    );
    expect(await requestLog(env.emu)).toHaveLength(0);
  });
});

describe('other refusals surface as their typed errors', () => {
  it('deleting a subscribed event → KakaoNotAllowedError (-6)', async () => {
    const { client } = clientFor(env.emu);
    const { categories } = await client.admin.listSubscribableCalendars();
    const subscribed = categories[0]!.subcategories[0]!.calendars[0]!.id;
    await user.subscribe(subscribed);
    const events = await user.listEventsWindow({
      calendarId: subscribed,
      from: future(0, 0),
      to: future(31, 0),
    });
    const target = events.find((e) => e.type === 'SUBSCRIBE' && e.id !== undefined);
    expect(target).toBeDefined();
    const error = await user.deleteEvent({ eventId: target!.id! }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KakaoNotAllowedError);
    expect((error as KakaoError).code).toBe(-6);
    expect((error as KakaoError).scope).toBe('item');
  });

  it('a missing consent scope → KakaoScopeError with the required scope', async () => {
    const { client } = clientFor(env.emu);
    const u = await createUser(env.emu, { scopes: ['talk_calendar'] });
    const error = await client
      .forUser(u.userId, u.store)
      .createTask({ content: 'needs talk_calendar_task' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KakaoScopeError);
    expect((error as KakaoScopeError).requiredScopes).toContain('talk_calendar_task');
    expect((error as KakaoError).scope).toBe('user');
  });

  it('unknown ids → KakaoNotFoundError for events, tasks and calendars', async () => {
    await expect(user.getEvent('000000000000000000000000')).rejects.toBeInstanceOf(KakaoNotFoundError);
    await expect(user.deleteTask('000000000000000000000000')).rejects.toBeInstanceOf(KakaoNotFoundError);
    await expect(
      user.updateCalendar({ calendarId: 'user_000000000000000000000000', name: 'x' }),
    ).rejects.toBeInstanceOf(KakaoNotFoundError);
  });
});
