import { describe, expect, it } from 'vitest';
import { api, start, timed, useEmulator, V2 } from './helpers.js';

const env = useEmulator();

type Brief = {
  id?: string;
  title?: string;
  time: { start_at: string };
  is_recur_event?: boolean;
  calendar_id?: string;
};

function newUser() {
  const made = env.emu.admin.createUser();
  return { ...made, http: api(env.emu, made.accessToken) };
}

describe('pagination', () => {
  it('walks every event once through has_next/after_url, ordered by start then id', async () => {
    const { http } = newUser();
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) {
      const hour = String(i % 12).padStart(2, '0');
      const day = String(1 + Math.floor(i / 12)).padStart(2, '0');
      const r = await http.post(`${V2}/create/event`, {
        event: {
          title: `e${i}`,
          time: timed(`2024-06-${day}T${hour}:00:00Z`, `2024-06-${day}T${hour}:30:00Z`),
        },
      });
      ids.push(r.body.event_id as string);
    }
    let page = await http.get(`${V2}/events`, {
      from: '2024-06-01T00:00:00Z',
      to: '2024-06-30T00:00:00Z',
      limit: '10',
    });
    const seen: Brief[] = [];
    const sizes: number[] = [];
    for (;;) {
      expect(page.status).toBe(200);
      const events = page.body.events as Brief[];
      sizes.push(events.length);
      seen.push(...events);
      if (!page.body.has_next) {
        expect(page.body.after_url).toBeUndefined();
        break;
      }
      const after = page.body.after_url as string;
      expect(after.startsWith(`${env.emu.url}${V2}/events?`)).toBe(true);
      expect(new URL(after).searchParams.get('next_page_token')).toBeTruthy();
      page = await http.url(after);
    }
    expect(sizes).toEqual([10, 10, 5]);
    expect(seen.map((e) => e.id).sort()).toEqual([...ids].sort());
    const starts = seen.map((e) => e.time.start_at);
    expect([...starts].sort()).toEqual(starts);
  });

  it('defaults the limit to 100', async () => {
    const { userId, http } = newUser();
    for (let i = 0; i < 120; i++) {
      env.emu.admin.seedEvent(userId, {
        title: `s${i}`,
        time: timed('2024-07-01T00:00:00Z', '2024-07-01T01:00:00Z'),
      });
    }
    const r = await http.get(`${V2}/events`, { from: '2024-07-01T00:00:00Z', to: '2024-07-02T00:00:00Z' });
    expect((r.body.events as Brief[]).length).toBe(100);
    expect(r.body.has_next).toBe(true);
  });

  it('filters by calendar_id and by the documented calender_id spelling', async () => {
    const { http } = newUser();
    const cal = (await http.post(`${V2}/create/calendar`, { name: 'Sync' })).body.calendar_id as string;
    await http.post(`${V2}/create/event`, {
      calendar_id: cal,
      event: { title: 'in sub', time: timed('2024-06-01T00:00:00Z', '2024-06-01T01:00:00Z') },
    });
    await http.post(`${V2}/create/event`, {
      event: { title: 'in primary', time: timed('2024-06-01T00:00:00Z', '2024-06-01T01:00:00Z') },
    });
    const w = { from: '2024-06-01T00:00:00Z', to: '2024-06-02T00:00:00Z' };
    for (const key of ['calendar_id', 'calender_id']) {
      const r = await http.get(`${V2}/events`, { ...w, [key]: cal });
      expect((r.body.events as Brief[]).map((e) => e.title)).toEqual(['in sub']);
    }
    expect(((await http.get(`${V2}/events`, w)).body.events as Brief[]).length).toBe(2);
  });
});

describe('presets', () => {
  it('lists TODAY, THIS_WEEK (from Sunday) and THIS_MONTH in Asia/Seoul', async () => {
    const fixed = await start({ now: () => new Date('2024-06-12T16:00:00Z') }); // Thu 13 June 01:00 KST
    try {
      const made = fixed.admin.createUser();
      const http = api(fixed, made.accessToken);
      const at = (iso: string) =>
        timed(iso, new Date(new Date(iso).getTime() + 3_600_000).toISOString().replace('.000Z', 'Z'));
      for (const [title, iso] of [
        ['today', '2024-06-13T01:00:00Z'],
        ['sunday', '2024-06-08T16:00:00Z'],
        ['june', '2024-06-01T00:00:00Z'],
        ['july', '2024-06-30T15:00:00Z'],
      ] as const) {
        fixed.admin.seedEvent(made.userId, { title, time: at(iso) });
      }
      const titles = async (preset: string) =>
        ((await http.get(`${V2}/events`, { preset })).body.events as Brief[]).map((e) => e.title);
      expect(await titles('TODAY')).toEqual(['today']);
      expect(await titles('THIS_WEEK')).toEqual(['sunday', 'today']);
      expect(await titles('THIS_MONTH')).toEqual(['june', 'sunday', 'today']);
      expect((await http.get(`${V2}/events`, { preset: 'NEXT_YEAR' })).body.code).toBe(-2);
    } finally {
      await fixed.close();
    }
  });
});

describe('recurring events over HTTP', () => {
  it('lists instances with {id}_{UTC start} ids and applies THIS / THIS_AND_FOLLOWING / ALL', async () => {
    const { userId, http } = newUser();
    const id = (
      await http.post(`${V2}/create/event`, {
        event: {
          title: 'Daily',
          time: timed('2024-08-01T00:00:00Z', '2024-08-01T01:00:00Z'),
          rrule: 'FREQ=DAILY;COUNT=6',
        },
      })
    ).body.event_id as string;
    const w = { from: '2024-08-01T00:00:00Z', to: '2024-08-31T00:00:00Z' };
    const list = async () => (await http.get(`${V2}/events`, w)).body.events as Brief[];
    const first = await list();
    expect(first.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6].map((d) => `${id}_2024080${d}T000000Z`));
    expect(first.every((e) => e.is_recur_event === true)).toBe(true);

    const detail = await http.get(`${V2}/event`, { event_id: `${id}_20240803T000000Z` });
    expect(detail.body.event).toMatchObject({
      id: `${id}_20240803T000000Z`,
      rrule: 'FREQ=DAILY;COUNT=6',
      dt_start: '2024-08-01T00:00:00Z',
      time: { start_at: '2024-08-03T00:00:00Z' },
    });

    // THIS delete: the instance disappears.
    expect(
      await http.del(`${V2}/delete/event`, { event_id: `${id}_20240802T000000Z`, recur_update_type: 'THIS' }),
    ).toEqual({
      status: 200,
      body: {},
    });
    // THIS edit: the instance shows its new fields and keeps its id.
    await http.post(`${V2}/update/event/host`, {
      event_id: `${id}_20240803T000000Z`,
      recur_update_type: 'THIS',
      event: { title: 'Special', time: { start_at: '2024-08-03T05:00:00Z', end_at: '2024-08-03T06:00:00Z' } },
    });
    // THIS_AND_FOLLOWING edit: split into a new series.
    await http.post(`${V2}/update/event/host`, {
      event_id: `${id}_20240805T000000Z`,
      recur_update_type: 'THIS_AND_FOLLOWING',
      event: { title: 'Later' },
    });
    const after = await list();
    expect(after.map((e) => [e.title, e.time.start_at])).toEqual([
      ['Daily', '2024-08-01T00:00:00Z'],
      ['Special', '2024-08-03T05:00:00Z'],
      ['Daily', '2024-08-04T00:00:00Z'],
      ['Later', '2024-08-05T00:00:00Z'],
      ['Later', '2024-08-06T00:00:00Z'],
    ]);
    expect(after[1]!.id).toBe(`${id}_20240803T000000Z`);
    const newId = after[3]!.id!.split('_')[0]!;
    expect(newId).not.toBe(id);
    const stored = env.emu.admin.events(userId);
    expect(stored.find((e) => e.id === id)).toMatchObject({ exdates: ['20240802T000000Z'] });

    // ALL on the split-off series renames both of its instances only.
    await http.post(`${V2}/update/event/host`, {
      event_id: newId,
      recur_update_type: 'ALL',
      event: { title: 'Renamed' },
    });
    expect((await list()).filter((e) => e.title === 'Renamed')).toHaveLength(2);
    // ALL delete of the original series leaves the split-off one.
    await http.del(`${V2}/delete/event`, { event_id: id, recur_update_type: 'ALL' });
    expect((await list()).map((e) => e.title)).toEqual(['Renamed', 'Renamed']);
  });
});

describe('events of other apps and attendee events', () => {
  it('lists foreign events with only time and hides them from detail', async () => {
    const { userId, http } = newUser();
    const { event_id } = env.emu.admin.seedEvent(userId, {
      foreign: true,
      title: 'Dentist',
      time: timed('2024-06-01T03:00:00Z', '2024-06-01T04:00:00Z'),
    });
    const r = await http.get(`${V2}/events`, { from: '2024-06-01T00:00:00Z', to: '2024-06-02T00:00:00Z' });
    expect(r.body.events).toEqual([
      {
        time: {
          start_at: '2024-06-01T03:00:00Z',
          end_at: '2024-06-01T04:00:00Z',
          time_zone: 'Asia/Seoul',
          all_day: false,
          lunar: false,
        },
      },
    ]);
    expect((await http.get(`${V2}/event`, { event_id })).status).toBe(404);
    expect((await http.del(`${V2}/delete/event`, { event_id })).status).toBe(404);
  });

  it('follows a public event, edits it as guest and unfollows it', async () => {
    const { http } = newUser();
    const admin = api(env.emu, 'KakaoAK emulator-admin-key');
    const created = await admin.post(`${V2}/public/create/event`, {
      event: { title: 'Launch', time: timed('2024-09-10T03:00:00Z', '2024-09-10T04:00:00Z') },
    });
    const id = created.body.event_id as string;
    expect((await http.post(`${V2}/public/follow`, { event_id: id })).body).toEqual({ event_id: id });
    expect(
      (await http.post(`${V2}/update/event/host`, { event_id: id, event: { title: 'x' } })).body.code,
    ).toBe(-6);
    await http.post(`${V2}/update/event/guest`, {
      event_id: id,
      event: { color: 'RED', memo: 'bring badge' },
    });
    const detail = (await http.get(`${V2}/event`, { event_id: id })).body.event as Record<string, unknown>;
    expect(detail).toMatchObject({ type: 'PUBLIC', is_host: false, color: 'RED', memo: 'bring badge' });
    await admin.post(`${V2}/public/update/event`, { event_id: id, event: { title: 'Launch day' } });
    const w = { from: '2024-09-10T00:00:00Z', to: '2024-09-11T00:00:00Z' };
    expect(((await http.get(`${V2}/events`, w)).body.events as Brief[]).map((e) => e.title)).toEqual([
      'Launch day',
    ]);
    await http.del(`${V2}/delete/event`, { event_id: id });
    expect((await http.get(`${V2}/events`, w)).body.events).toEqual([]);
  });

  it('subscribes to a calendar and sees its events', async () => {
    const { http } = newUser();
    const admin = api(env.emu, 'KakaoAK emulator-admin-key');
    const catalogue = (await admin.get(`${V2}/subscribable/calendars`)).body as {
      categories: { subcategories: { calendars: { id: string }[] }[] }[];
    };
    const subId = catalogue.categories[0]!.subcategories[0]!.calendars[0]!.id;
    await http.post(`${V2}/subscribe`, { calendar_id: subId });
    const cals = (await http.get(`${V2}/calendars`, { filter: 'SUBSCRIBE' })).body;
    expect(cals.subscribe_calendars).toMatchObject([{ id: subId }]);
    const w = { from: '2024-06-01T00:00:00Z', to: '2024-06-30T00:00:00Z', calendar_id: subId };
    const events = (await http.get(`${V2}/events`, w)).body.events as Brief[];
    expect(events.length).toBeGreaterThan(3);
    expect(events[0]).toMatchObject({ type: 'SUBSCRIBE', calendar_id: subId, is_host: false });
    expect((await http.del(`${V2}/delete/event`, { event_id: events[0]!.id! })).body.code).toBe(-6);
    await http.del(`${V2}/unsubscribe`, { calendar_id: subId });
    expect((await http.get(`${V2}/events`, { from: w.from, to: w.to })).body.events).toEqual([]);
  });

  it('answers holidays for a window', async () => {
    const admin = api(env.emu, 'KakaoAK emulator-admin-key');
    const r = await admin.get(`${V2}/holidays`, { from: '2025-10-01T00:00:00Z', to: '2025-10-10T00:00:00Z' });
    const titles = (r.body.events as { title: string; holiday: boolean }[])
      .filter((e) => e.holiday)
      .map((e) => e.title);
    expect(titles).toEqual(['개천절', '추석 연휴', '추석', '추석 연휴', '대체공휴일(추석)', '한글날']);
    expect(
      (
        await api(env.emu, 'KakaoAK wrong').get(`${V2}/holidays`, {
          from: '2025-10-01T00:00:00Z',
          to: '2025-10-02T00:00:00Z',
        })
      ).status,
    ).toBe(401);
  });
});

describe('sub-calendars', () => {
  it('create, list, edit and delete (with its events)', async () => {
    const { http, userId } = newUser();
    const id = (
      await http.post(`${V2}/create/calendar`, {
        name: 'Work',
        color: 'RED',
        reminder: '15',
        reminder_all_day: '-540',
      })
    ).body.calendar_id as string;
    expect(id).toMatch(/^user_[0-9a-f]{24}$/);
    await http.post(`${V2}/update/calendar`, { calendar_id: id, name: 'Work 2' });
    const list = (await http.get(`${V2}/calendars`, { filter: 'USER' })).body;
    expect(list.calendars).toEqual([
      { id: 'primary' },
      { id, name: 'Work 2', color: 'RED', reminder: 15, reminder_all_day: -540 },
    ]);
    await http.post(`${V2}/create/event`, {
      calendar_id: id,
      event: { title: 'x', time: timed('2024-06-01T00:00:00Z', '2024-06-01T01:00:00Z') },
    });
    expect((await http.del(`${V2}/delete/calendar`, { calendar_id: id })).body).toEqual({ calendar_id: id });
    expect(env.emu.admin.events(userId)).toEqual([]);
  });
});
