import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { icsStamp, utcDayAt } from '../../support/ics-text.js';
import { emulatorOccurrences, type PublishRig, pythonOccurrences, startPublishRig } from './harness.js';

// A user with two links, one into the primary calendar and one into a sub-calendar the daemon
// creates: the 'all' feed holds both, each calendar feed only its own.

const day = 86_400_000;
const at = utcDayAt;

function ics(prefix: string, n: number): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//talkcal-test//EN'];
  for (let i = 1; i <= n; i++) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${prefix}-${i}@test`,
      'DTSTAMP:20250101T000000Z',
      `DTSTART:${icsStamp(at(i * 3, i))}`,
      `DTEND:${icsStamp(at(i * 3, i + 1))}`,
      `SUMMARY:${prefix} ${i}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR', '');
  return lines.join('\r\n');
}

describe('feeds of a user with a primary and a sub-calendar link', () => {
  let rig: PublishRig;
  let userId: string;

  beforeAll(async () => {
    rig = await startPublishRig();
    userId = await rig.bareUser();
    const links = rig.daemon.ctx.registry.links;
    await links.put(userId, {
      id: 'home',
      source: { type: 'ics', url: await rig.serve(ics('Home', 3)) },
      target: { kind: 'primary' },
    });
    await links.put(userId, {
      id: 'work',
      source: { type: 'ics', url: await rig.serve(ics('Work', 2)) },
      target: { kind: 'sub-calendar', name: 'Work' },
    });
    await rig.daemon.ctx.queue.triggerAndWait(userId, { force: true });
    await rig.daemon.ctx.queue.triggerAndWait(userId, { force: true });
  }, 60_000);
  afterAll(async () => {
    await rig?.close();
  });

  const titles = async (body: Record<string, unknown>) => {
    const made = await rig.api<{ token: string }>('POST', `/api/users/${userId}/feeds`, body);
    expect(made.status).toBe(201);
    const text = await (await fetch(rig.feedUrl(made.json.token))).text();
    return [...text.matchAll(/^SUMMARY:(.*)$/gm)].map((m) => m[1]!.trim()).sort();
  };

  it('publishes both links in the all-calendars feed, as the emulator holds them', async () => {
    expect(await titles({ kind: 'all' })).toEqual(['Home 1', 'Home 2', 'Home 3', 'Work 1', 'Work 2']);
    const made = await rig.api<{ token: string }>('POST', `/api/users/${userId}/feeds`, {});
    const body = await (await fetch(rig.feedUrl(made.json.token))).text();
    const from = new Date(Date.now() - 20 * day);
    const to = new Date(Date.now() + 300 * day);
    expect(await pythonOccurrences(body, from, to, rig.dir)).toEqual(
      emulatorOccurrences(rig.emulator, userId, from, to),
    );
  });

  it('publishes one calendar per calendar feed', async () => {
    const work = (await rig.daemon.ctx.registry.links.get(userId, 'work')).target;
    expect(work.kind === 'sub-calendar' && work.calendarId).toBeTruthy();
    const calendarId = work.kind === 'sub-calendar' ? work.calendarId : undefined;
    expect(await titles({ kind: 'calendar', calendarId: 'primary' })).toEqual(['Home 1', 'Home 2', 'Home 3']);
    expect(await titles({ kind: 'calendar', calendarId })).toEqual(['Work 1', 'Work 2']);
  });
});
