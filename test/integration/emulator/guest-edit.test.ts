import { describe, expect, it } from 'vitest';
import { api, timed, useEmulator, V2 } from './helpers.js';

// "Edit event for attendee" as documented: only reminders, colour, memo and calendar; at least one
// field; the same bounds as the host's fields; '' (or null for reminders) deletes a field.

const env = useEmulator();

async function followedEvent() {
  const made = env.emu.admin.createUser();
  const http = api(env.emu, made.accessToken);
  const admin = api(env.emu, 'KakaoAK emulator-admin-key');
  const created = await admin.post(`${V2}/public/create/event`, {
    event: { title: 'Launch', time: timed('2024-09-10T03:00:00Z', '2024-09-10T04:00:00Z') },
  });
  const id = created.body.event_id as string;
  await http.post(`${V2}/public/follow`, { event_id: id });
  return { http, admin, id };
}

async function subscribedEvent() {
  const made = env.emu.admin.createUser();
  const http = api(env.emu, made.accessToken);
  const admin = api(env.emu, 'KakaoAK emulator-admin-key');
  const catalogue = (await admin.get(`${V2}/subscribable/calendars`)).body as {
    categories: { subcategories: { calendars: { id: string }[] }[] }[];
  };
  const subId = catalogue.categories[0]!.subcategories[0]!.calendars[0]!.id;
  await http.post(`${V2}/subscribe`, { calendar_id: subId });
  const w = { from: '2024-06-01T00:00:00Z', to: '2024-06-30T00:00:00Z', calendar_id: subId };
  const events = (await http.get(`${V2}/events`, w)).body.events as { id: string }[];
  return { http, id: events[0]!.id };
}

describe('update/event/guest', () => {
  it('refuses a request without any field to change', async () => {
    const { http, id } = await followedEvent();
    const r = await http.post(`${V2}/update/event/guest`, { event_id: id, event: {} });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe(-2);
  });

  it('refuses fields a guest may not change and values outside the documented bounds', async () => {
    const { http, id } = await followedEvent();
    const bad = [
      { reminders: [7] },
      { reminders: [5, 10, 15] },
      { color: 'TEAL' },
      { memo: 'x'.repeat(5001) },
    ];
    for (const event of bad) {
      const r = await http.post(`${V2}/update/event/guest`, { event_id: id, event });
      expect(r.body.code, JSON.stringify(event)).toBe(-2);
    }
    // A title is not a guest field: the request changes nothing the guest sees.
    const r = await http.post(`${V2}/update/event/guest`, { event_id: id, event: { title: 'Mine' } });
    expect(r.body.code).toBe(-2);
    const detail = (await http.get(`${V2}/event`, { event_id: id })).body.event as Record<string, unknown>;
    expect(detail.title).toBe('Launch');
  });

  it('deletes a field with an empty value, and the deletion holds', async () => {
    const { http, id } = await followedEvent();
    await http.post(`${V2}/update/event/guest`, {
      event_id: id,
      event: { memo: 'bring badge', color: 'RED', reminders: [30] },
    });
    await http.post(`${V2}/update/event/guest`, {
      event_id: id,
      event: { memo: '', color: '', reminders: null },
    });
    const detail = (await http.get(`${V2}/event`, { event_id: id })).body.event as Record<string, unknown>;
    expect(detail.memo).toBeUndefined();
    expect(detail.color).toBeUndefined();
    expect(detail.reminders).toBeUndefined();
  });

  it("answers 'not allowed' for the host's own event and for moving a subscribed event", async () => {
    const made = env.emu.admin.createUser();
    const http = api(env.emu, made.accessToken);
    const own = await http.post(`${V2}/create/event`, {
      event: { title: 'Mine', time: timed('2024-09-10T03:00:00Z', '2024-09-10T04:00:00Z') },
    });
    const r = await http.post(`${V2}/update/event/guest`, {
      event_id: own.body.event_id as string,
      event: { memo: 'x' },
    });
    expect(r.body.code).toBe(-6);
    const sub = await subscribedEvent();
    const moved = await sub.http.post(`${V2}/update/event/guest`, {
      event_id: sub.id,
      calendar_id: 'primary',
    });
    expect(moved.body.code).toBe(-6);
    const memo = await sub.http.post(`${V2}/update/event/guest`, { event_id: sub.id, event: { memo: 'ok' } });
    expect(memo.body).toEqual({ event_id: sub.id });
  });
});
