import { describe, expect, it } from 'vitest';
import { usePublishRig } from '../publish/harness.js';

// A link from an ICS feed to a new sub-calendar: the first sync creates the sub-calendar named and
// coloured like the feed (X-WR-CALNAME, X-APPLE-CALENDAR-COLOR / COLOR), unless the link names it.

const feed = (head: string[]) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//talkcal//test//EN',
    ...head,
    'BEGIN:VEVENT',
    'UID:ev-1@test',
    'DTSTAMP:20260101T000000Z',
    `DTSTART:${new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '')}T010000Z`,
    'DURATION:PT1H',
    'SUMMARY:Standup',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

describe('sub-calendar looks from an ICS feed', () => {
  const env = usePublishRig();

  async function syncLink(target: Record<string, unknown>, head: string[]) {
    const userId = await env.rig.bareUser();
    const url = await env.rig.serve(feed(head));
    await env.rig.daemon.ctx.registry.links.put(userId, { id: 'feed', source: { type: 'ics', url }, target });
    const { outcome } = await env.rig.daemon.ctx.queue.triggerAndWait(userId, { force: true });
    expect(outcome).toBeDefined();
    const link = await env.rig.daemon.ctx.registry.links.get(userId, 'feed');
    const calendarId = link.target.kind === 'sub-calendar' ? link.target.calendarId : undefined;
    const calendar = env.rig.emulator.admin
      .calendars(userId)
      .find((c: { id: string }) => c.id === calendarId);
    const events = env.rig.emulator.admin.events(userId);
    return { calendar, events, calendarId };
  }

  it('names (X-WR-CALNAME) and colours (X-APPLE-CALENDAR-COLOR) it like the feed', async () => {
    const { calendar, events, calendarId } = await syncLink({ kind: 'sub-calendar' }, [
      'X-WR-CALNAME:Team rota',
      'X-APPLE-CALENDAR-COLOR:#149959FF',
    ]);
    expect(calendar).toMatchObject({ name: 'Team rota', color: 'GREEN' });
    expect(events.filter((e: { calendar_id?: string }) => e.calendar_id === calendarId)).toHaveLength(1);
  });

  it('the first sync of a calendar it just created lists none of its windows (it is empty)', async () => {
    const userId = await env.rig.bareUser();
    const url = await env.rig.serve(feed(['X-WR-CALNAME:Fresh']));
    await env.rig.daemon.ctx.registry.links.put(userId, {
      id: 'feed',
      source: { type: 'ics', url },
      target: { kind: 'sub-calendar' },
    });
    env.rig.emulator.admin.clearRequests();
    await env.rig.daemon.ctx.queue.triggerAndWait(userId, {});
    const calls = env.rig.emulator.admin
      .requests()
      .filter((q) => q.userId === userId)
      .map((q) => q.endpoint);
    // Before: 14 list calls (one per window of the horizon) that could only find nothing.
    expect(calls.sort()).toEqual(['calendars.create', 'calendars.list', 'events.create']);
    expect(env.rig.emulator.admin.events(userId).map((e: { title: string }) => e.title)).toEqual(['Standup']);
  });

  it('takes an RFC 7986 COLOR, and the link’s own name over the feed’s', async () => {
    const { calendar } = await syncLink({ kind: 'sub-calendar', name: 'Mine' }, [
      'X-WR-CALNAME:Ignored',
      'COLOR:hotpink',
    ]);
    expect(calendar).toMatchObject({ name: 'Mine', color: 'PINK' });
  });
});
