import { beforeAll, describe, expect, it } from 'vitest';
import type { KakaoClient, KakaoUserClient } from '../../../src/kakao/client.js';
import { KakaoNotFoundError } from '../../../src/kakao/errors.js';
import { clearLog, compactDay, future, iso, newUserClient, requestLog, useEmulator } from './harness.js';

// Every Talk Calendar endpoint through the typed client against the emulator over real HTTP.
// Each test also checks the emulator's request log: the right method, path and endpoint were hit.

const env = useEmulator();
let client: KakaoClient;
let user: KakaoUserClient;

beforeAll(async () => {
  ({ client, user } = await newUserClient(env.emu));
});

async function lastRequest() {
  const log = await requestLog(env.emu);
  return log.at(-1)!;
}

describe('calendars', () => {
  it('creates, lists, edits and deletes a sub-calendar', async () => {
    const id = await user.createCalendar({
      name: 'Work feed',
      color: 'RED',
      reminder: 15,
      reminder_all_day: 30,
    });
    expect(id).toMatch(/^user_/);
    expect(await lastRequest()).toMatchObject({
      method: 'POST',
      path: '/v2/api/calendar/create/calendar',
      status: 200,
    });

    const listed = await user.listCalendars('USER');
    expect(listed.calendars?.map((c) => c.id)).toEqual(expect.arrayContaining(['primary', id]));
    expect(listed.calendars?.find((c) => c.id === id)).toMatchObject({
      name: 'Work feed',
      color: 'RED',
      reminder: 15,
    });

    expect(await user.updateCalendar({ calendarId: id, name: 'Renamed', color: 'BLUE' })).toBe(id);
    const after = await user.listCalendars(['USER', 'SUBSCRIBE']);
    expect(after.calendars?.find((c) => c.id === id)).toMatchObject({ name: 'Renamed', color: 'BLUE' });

    expect(await user.deleteCalendar(id)).toBe(id);
    expect(await lastRequest()).toMatchObject({
      method: 'DELETE',
      path: '/v2/api/calendar/delete/calendar',
      status: 200,
    });
    expect((await user.listCalendars()).calendars?.some((c) => c.id === id)).toBe(false);
  });
});

describe('events', () => {
  it('creates, reads, lists, edits and deletes a one-time event', async () => {
    const start = future(3);
    const event = {
      title: '회의 & review',
      time: {
        start_at: iso(start),
        end_at: iso(new Date(start.getTime() + 3_600_000)),
        time_zone: 'Asia/Seoul',
      },
      description: 'line 1\nline 2',
      location: { name: 'Kakao', address: 'Pangyo', latitude: 37.39, longitude: 127.11 },
      reminders: [15, 30],
      color: 'RED' as const,
    };
    const id = await user.createEvent({ event });
    const detail = await user.getEvent(id);
    expect(detail).toMatchObject({
      id,
      title: event.title,
      description: event.description,
      reminders: [15, 30],
      color: 'RED',
    });
    expect(detail.location).toMatchObject({ name: 'Kakao' });

    const window = await user.listEventsWindow({ from: future(2, 0), to: future(5, 0) });
    expect(window.find((e) => e.id === id)).toMatchObject({ title: event.title, calendar_id: 'primary' });

    expect(await user.updateEvent({ eventId: id, event: { title: 'Edited', reminders: [] } })).toBe(id);
    expect((await user.getEvent(id)).title).toBe('Edited');

    expect(await user.deleteEvent({ eventId: id })).toBe(id);
    await expect(user.getEvent(id)).rejects.toBeInstanceOf(KakaoNotFoundError);
  });

  it('edits and deletes instances of a recurring event with recur_update_type', async () => {
    const start = future(2, 1);
    const id = await user.createEvent({
      event: {
        title: 'Daily',
        time: { start_at: iso(start), end_at: iso(new Date(start.getTime() + 1_800_000)) },
        rrule: 'FREQ=DAILY;COUNT=5',
      },
    });
    const instances = (await user.listEventsWindow({ from: future(1), to: future(9) })).filter((e) =>
      e.id?.startsWith(`${id}_`),
    );
    expect(instances).toHaveLength(5);
    expect(instances.every((e) => e.is_recur_event)).toBe(true);
    const second = instances[1]!.id!;
    await user.updateEvent({ eventId: second, recurUpdateType: 'THIS', event: { title: 'Moved one' } });
    await user.deleteEvent({ eventId: instances[2]!.id!, recurUpdateType: 'THIS' });
    const after = (await user.listEventsWindow({ from: future(1), to: future(9) })).filter((e) =>
      e.id?.startsWith(`${id}_`),
    );
    expect(after).toHaveLength(4);
    expect(after.find((e) => e.id === second)?.title).toBe('Moved one');
    await user.deleteEvent({ eventId: instances[0]!.id!, recurUpdateType: 'ALL' });
    const gone = (await user.listEventsWindow({ from: future(1), to: future(9) })).filter((e) =>
      e.id?.startsWith(`${id}_`),
    );
    expect(gone).toHaveLength(0);
  });
});

describe('public events, follow and guest edit', () => {
  it('runs the whole public event life cycle', async () => {
    const start = future(4);
    const time = { start_at: iso(start), end_at: iso(new Date(start.getTime() + 3_600_000)) };
    const id = await client.admin.createPublicEvent({
      event: {
        title: 'Launch',
        time,
        reminders: [15],
        color: 'GREEN',
        notification_message: {
          display_custom_button: true,
          before_event_reminder: {
            button: { title: '참여하기', link: { web_url: 'https://example.com/a' } },
          },
        },
      },
    });
    expect(await lastRequest()).toMatchObject({
      method: 'POST',
      path: '/v2/api/calendar/public/create/event',
    });

    const listed = await client.admin.listPublicEvents({ from: future(3, 0), to: future(6, 0) });
    expect(listed.find((e) => e.id === id)).toMatchObject({ title: 'Launch', type: 'PUBLIC' });
    expect(await client.admin.getPublicEvent({ eventId: id })).toMatchObject({ id, title: 'Launch' });
    expect(await client.admin.updatePublicEvent({ eventId: id, event: { title: 'Launch (moved)' } })).toBe(
      id,
    );
    expect((await client.admin.getPublicEvent({ eventId: id })).title).toBe('Launch (moved)');

    expect(await user.followPublicEvent({ eventId: id })).toBe(id);
    const followed = (await user.listEventsWindow({ from: future(3, 0), to: future(6, 0) })).find(
      (e) => e.type === 'PUBLIC',
    );
    expect(followed?.id).toBeDefined();
    expect(
      await user.updateGuestEvent({ eventId: followed!.id!, event: { memo: 'bring badge', color: 'PINK' } }),
    ).toBe(followed!.id);
    expect(await lastRequest()).toMatchObject({ path: '/v2/api/calendar/update/event/guest', status: 200 });

    expect(await client.admin.deletePublicEvent({ eventId: id })).toBe(id);
    await expect(client.admin.getPublicEvent({ eventId: id })).rejects.toBeInstanceOf(KakaoNotFoundError);
  });
});

describe('subscriptions and holidays', () => {
  it('lists subscribable calendars, subscribes and unsubscribes', async () => {
    const { categories } = await client.admin.listSubscribableCalendars();
    const calendarId = categories[0]?.subcategories[0]?.calendars[0]?.id;
    expect(calendarId).toBeDefined();
    expect(await user.subscribe(calendarId!)).toBe(calendarId);
    expect((await user.listCalendars('SUBSCRIBE')).subscribe_calendars?.map((c) => c.id)).toContain(
      calendarId,
    );
    expect(await user.unsubscribe(calendarId!)).toBe(calendarId);
    expect((await user.listCalendars('SUBSCRIBE')).subscribe_calendars ?? []).not.toContainEqual(
      expect.objectContaining({ id: calendarId }),
    );
  });

  it('lists Korean holidays over a range longer than 31 days, each once', async () => {
    await clearLog(env.emu);
    const holidays = await client.admin.listHolidays({
      from: '2025-09-01T00:00:00Z',
      to: '2025-11-01T00:00:00Z',
    });
    const ids = holidays.map((h) => h.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(holidays.some((h) => h.time.start_at.startsWith('2025-10-03') && h.holiday)).toBe(true);
    const log = await requestLog(env.emu);
    expect(log.map((r) => r.endpoint)).toEqual(['holidays.list', 'holidays.list']);
  });
});

describe('tasks', () => {
  it('creates, lists, reads, records, edits, completes and deletes a task', async () => {
    const due = compactDay(2);
    const id = await user.createTask({
      content: 'Pay rent',
      due_info: {
        due_date: due,
        time_zone: 'Asia/Seoul',
        alarm_time: '0900',
        recur: { rrule: 'FREQ=DAILY;COUNT=3', record_on: true },
      },
    });
    const listed = await user.listTasks({ from: compactDay(0), to: compactDay(40), status: 'ALL' });
    expect(listed.find((t) => t.task_id === id)).toMatchObject({ content: 'Pay rent' });
    expect(await user.getTask(id)).toMatchObject({ task_id: id, content: 'Pay rent' });

    const records = await user.getTaskRecords({ taskId: id });
    expect(Array.isArray(records.records ?? [])).toBe(true);

    expect(
      await user.updateTask({ taskId: id, task: { content: 'Pay rent (edited)', bookmark: true } }),
    ).toBe(id);
    expect((await user.getTask(id))?.content).toBe('Pay rent (edited)');
    expect(await user.completeTask({ taskId: id, complete: true })).toBe(id);
    expect(await user.deleteTask(id)).toBe(id);
    const log = await requestLog(env.emu);
    expect(log.at(-1)).toMatchObject({ method: 'DELETE', path: '/v1/api/calendar/delete/task', status: 200 });
  });
});
