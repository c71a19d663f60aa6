import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PublishRig, startPublishRig } from '../publish/harness.js';

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
  let rig: PublishRig;
  beforeAll(async () => {
    rig = await startPublishRig();
  }, 60_000);
  afterAll(async () => {
    await rig?.close();
  });

  async function syncLink(target: Record<string, unknown>, head: string[]) {
    const userId = await rig.bareUser();
    const url = await rig.serve(feed(head));
    await rig.daemon.ctx.registry.links.put(userId, { id: 'feed', source: { type: 'ics', url }, target });
    const { outcome } = await rig.daemon.ctx.queue.triggerAndWait(userId, { force: true });
    expect(outcome).toBeDefined();
    const link = await rig.daemon.ctx.registry.links.get(userId, 'feed');
    const calendarId = link.target.kind === 'sub-calendar' ? link.target.calendarId : undefined;
    const calendar = rig.emulator.admin.calendars(userId).find((c: { id: string }) => c.id === calendarId);
    const events = rig.emulator.admin.events(userId);
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

  it('takes an RFC 7986 COLOR, and the link’s own name over the feed’s', async () => {
    const { calendar } = await syncLink({ kind: 'sub-calendar', name: 'Mine' }, [
      'X-WR-CALNAME:Ignored',
      'COLOR:hotpink',
    ]);
    expect(calendar).toMatchObject({ name: 'Mine', color: 'PINK' });
  });
});
