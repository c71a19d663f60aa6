import { beforeAll, describe, expect, it } from 'vitest';
import { api, timed, useEmulator, V1, V2 } from './helpers.js';

// Every documented validation rule answered over HTTP with the documented status and code.

const env = useEmulator({ now: () => new Date('2024-03-01T00:00:00Z') });
let user: ReturnType<typeof api>;
let recurringId: string;
let onceId: string;

beforeAll(async () => {
  user = api(env.emu, env.emu.admin.createUser().accessToken);
  const r = await user.post(`${V2}/create/event`, {
    event: {
      title: 'R',
      time: timed('2024-03-04T01:00:00Z', '2024-03-04T02:00:00Z'),
      rrule: 'FREQ=DAILY;COUNT=3',
    },
  });
  recurringId = r.body.event_id as string;
  const o = await user.post(`${V2}/create/event`, {
    event: { title: 'O', time: timed('2024-03-04T01:00:00Z', '2024-03-04T02:00:00Z') },
  });
  onceId = o.body.event_id as string;
});

const base = { title: 'T', time: timed('2024-03-04T01:00:00Z', '2024-03-04T02:00:00Z') };

describe('create event', () => {
  it.each([
    ['title > 50', { ...base, title: 't'.repeat(51) }],
    ['description > 5000', { ...base, description: 'd'.repeat(5001) }],
    ['location name > 100', { ...base, location: { name: 'l'.repeat(101) } }],
    ['start off the grid', { ...base, time: timed('2024-03-04T01:01:00Z', '2024-03-04T02:00:00Z') }],
    ['end off the grid', { ...base, time: timed('2024-03-04T01:00:00Z', '2024-03-04T02:00:30Z') }],
    [
      'all-day not at midnight',
      { ...base, time: { start_at: '2024-03-04T15:00:00Z', end_at: '2024-03-05T15:00:00Z', all_day: true } },
    ],
    ['end before start', { ...base, time: timed('2024-03-04T03:00:00Z', '2024-03-04T02:00:00Z') }],
    ['three reminders', { ...base, reminders: [5, 10, 15] }],
    ['reminder not a multiple of 5', { ...base, reminders: [12] }],
    [
      'all-day reminder at -1435',
      {
        ...base,
        time: { start_at: '2024-03-04T00:00:00Z', end_at: '2024-03-05T00:00:00Z', all_day: true },
        reminders: [-1435],
      },
    ],
    ['timed reminder below 0', { ...base, reminders: [-5] }],
    ['reminder above 43200', { ...base, reminders: [43205] }],
    ['unknown colour', { ...base, color: 'TEAL' }],
  ])('rejects %s with 400 / -2', async (_name, event) => {
    const r = await user.post(`${V2}/create/event`, { event });
    expect(r).toMatchObject({ status: 400, body: { code: -2 } });
  });

  it('rejects an event that is not JSON', async () => {
    expect(await user.post(`${V2}/create/event`, { event: '{nope' })).toMatchObject({
      status: 400,
      body: { code: -2 },
    });
  });
});

describe('list events', () => {
  it.each([
    ['window over 31 days', { from: '2024-03-01T00:00:00Z', to: '2024-04-01T00:00:01Z' }],
    ['from equal to to', { from: '2024-03-01T00:00:00Z', to: '2024-03-01T00:00:00Z' }],
    ['from after to', { from: '2024-03-02T00:00:00Z', to: '2024-03-01T00:00:00Z' }],
    ['limit over 1000', { from: '2024-03-01T00:00:00Z', to: '2024-03-02T00:00:00Z', limit: '1001' }],
    ['no window', {}],
  ])('rejects %s with 400 / -2', async (_name, query) => {
    expect(await user.get(`${V2}/events`, query)).toMatchObject({ status: 400, body: { code: -2 } });
  });

  it('accepts exactly 31 days', async () => {
    expect(
      (await user.get(`${V2}/events`, { from: '2024-03-01T00:00:00Z', to: '2024-04-01T00:00:00Z' })).status,
    ).toBe(200);
  });

  it('rejects a public list limit over 30', async () => {
    const admin = api(env.emu, 'KakaoAK emulator-admin-key');
    const r = await admin.get(`${V2}/public/events`, {
      from: '2024-03-01T00:00:00Z',
      to: '2024-03-02T00:00:00Z',
      limit: '31',
    });
    expect(r).toMatchObject({ status: 400, body: { code: -2 } });
  });
});

describe('edit and delete', () => {
  it('rejects an update without any field', async () => {
    expect(await user.post(`${V2}/update/event/host`, { event_id: onceId })).toMatchObject({
      status: 400,
      body: { code: -2 },
    });
    expect(await user.post(`${V2}/update/event/host`, { event_id: onceId, event: {} })).toMatchObject({
      status: 400,
      body: { code: -2 },
    });
  });

  it.each([
    ['calendar_id', { calendar_id: 'primary', event: { title: 'x' } }],
    ['reminders', { event: { reminders: [5] } }],
    ['color', { event: { color: 'RED' } }],
    ['rrule', { event: { rrule: 'FREQ=WEEKLY' } }],
    ['memo', { event: { memo: 'm' } }],
    ['time.lunar', { event: { time: { lunar: true } } }],
    ['time.all_day', { event: { time: { all_day: false } } }],
  ])('rejects THIS with %s', async (_name, form) => {
    const r = await user.post(`${V2}/update/event/host`, {
      event_id: `${recurringId}_20240305T010000Z`,
      recur_update_type: 'THIS',
      ...form,
    });
    expect(r).toMatchObject({ status: 400, body: { code: -2 } });
  });

  it('rejects recurring edits and deletes without recur_update_type', async () => {
    const id = `${recurringId}_20240305T010000Z`;
    expect(await user.post(`${V2}/update/event/host`, { event_id: id, event: { title: 'x' } })).toMatchObject(
      {
        status: 400,
        body: { code: -2 },
      },
    );
    expect(await user.del(`${V2}/delete/event`, { event_id: id })).toMatchObject({
      status: 400,
      body: { code: -2 },
    });
  });

  it('answers not found as 404 / -2 for unknown events and instances', async () => {
    expect(await user.get(`${V2}/event`, { event_id: 'ffffffffffffffffffffffff' })).toMatchObject({
      status: 404,
      body: { code: -2 },
    });
    expect(await user.get(`${V2}/event`, { event_id: `${recurringId}_20240310T010000Z` })).toMatchObject({
      status: 404,
      body: { code: -2 },
    });
  });
});

describe('calendars', () => {
  it('refuses to delete primary', async () => {
    expect(await user.del(`${V2}/delete/calendar`, { calendar_id: 'primary' })).toMatchObject({
      status: 400,
      body: { code: -2 },
    });
  });

  it('refuses a 4th sub-calendar of this app', async () => {
    const fresh = api(env.emu, env.emu.admin.createUser().accessToken);
    for (let i = 0; i < 3; i++) {
      expect((await fresh.post(`${V2}/create/calendar`, { name: `c${i}` })).status).toBe(200);
    }
    expect(await fresh.post(`${V2}/create/calendar`, { name: 'c4' })).toMatchObject({
      status: 400,
      body: { code: -2 },
    });
  });

  it('refuses a calendar over 99 in all', async () => {
    const made = env.emu.admin.createUser();
    for (let i = 0; i < 99; i++) env.emu.admin.seedCalendar(made.userId);
    const r = await api(env.emu, made.accessToken).post(`${V2}/create/calendar`, { name: 'mine' });
    expect(r).toMatchObject({ status: 400, body: { code: -2 } });
  });
});

describe('tasks', () => {
  it.each([
    ['due date in the past', { content: 'a', due_info: { due_date: '20240229' } }],
    ['alarm off the grid', { content: 'a', due_info: { due_date: '20240302', alarm_time: '0907' } }],
    ['content over 1000', { content: 'c'.repeat(1001) }],
  ])('rejects %s with 400 / -2', async (_name, task) => {
    expect(await user.post(`${V1}/create/task`, { task })).toMatchObject({ status: 400, body: { code: -2 } });
  });

  it('rejects a task list window over 31 days', async () => {
    expect(await user.get(`${V1}/tasks`, { from: '20240301', to: '20240402' })).toMatchObject({
      status: 400,
      body: { code: -2 },
    });
    expect((await user.get(`${V1}/tasks`, { from: '20240301', to: '20240401' })).status).toBe(200);
  });

  it('rejects a task list limit over 1000', async () => {
    const r = await user.get(`${V1}/tasks`, { from: '20240301', to: '20240302', limit: '1001' });
    expect(r).toMatchObject({ status: 400, body: { code: -2 } });
  });
});
