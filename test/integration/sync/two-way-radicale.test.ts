import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KakaoClient } from '../../../src/kakao/client.js';
import { parseLink } from '../../../src/model/link.js';
import { CaldavStorage } from '../../../src/sources/caldav/storage.js';
import type { Storage } from '../../../src/sources/storage.js';
import { kakaoPortFor } from '../../../src/sync/kakao-port.js';
import { syncUser } from '../../../src/sync/sync-user.js';
import { type CaldavTestServer, makeCalendar, startRadicale } from '../helpers/caldav-servers.js';
import {
  clearLog,
  clientFor,
  createUser,
  type Emulator,
  requestLog,
  startTestEmulator,
} from '../kakao/harness.js';
import { rig, settings, testRedis } from './harness.js';

// Two-way links against the emulator and a real Radicale: what only the detail call shows
// (description, location) is written back into the CalDAV object, everything else of it kept.

let emu: Emulator;
let client: KakaoClient;
let radicale: CaldavTestServer;
const r = testRedis();

beforeAll(async () => {
  emu = await startTestEmulator();
  client = clientFor(emu).client;
  radicale = await startRadicale();
});

afterAll(async () => {
  await emu?.close();
  await radicale?.stop();
  await r.cleanup();
});

const stamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

function eventIcs(uid: string, days: number, extra: string[]): string {
  const start = new Date(Date.now() + days * 86_400_000);
  start.setUTCHours(3, 0, 0, 0);
  const end = new Date(start.getTime() + 3600_000);
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//talkcal-test//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20250101T000000Z',
    `DTSTART:${stamp(start)}`,
    `DTEND:${stamp(end)}`,
    'SUMMARY:Design review',
    ...extra,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

const calendarWrites = async () =>
  (await requestLog(emu)).filter((q) => q.path.includes('/api/calendar/') && q.method !== 'GET');

async function setUp(component: 'event' | 'todo') {
  const collection = await makeCalendar(radicale, {
    components: [component === 'event' ? 'VEVENT' : 'VTODO'],
  });
  const storage = new CaldavStorage({
    url: collection,
    kind: component,
    auth: radicale.auth,
    timeoutMs: 10_000,
  });
  const u = await createUser(emu);
  const port = kakaoPortFor(client.forUser(u.userId, u.store));
  const t = rig(r.redis, r.keys, false);
  const link = parseLink({
    id: 'dav',
    source: { type: 'caldav', url: collection, component },
    target: { kind: component === 'event' ? 'primary' : 'tasks' },
    direction: 'two-way',
  });
  const run = (now?: Date, storageOverride?: Storage) =>
    syncUser(
      { userId: u.userId, timeZone: 'Asia/Seoul', links: [link] },
      {
        ...t.deps(port, now ? () => now : undefined),
        storageFor: () => storageOverride ?? storage,
        settings: { ...settings, detailBudgetPerRun: 2 },
      },
    );
  return { storage, port, userId: u.userId, run, t };
}

describe('two-way ⇄ emulator + Radicale: detail write-back', () => {
  it('a description edited in Talk Calendar reaches the CalDAV object, attendees and X- props kept', async () => {
    const { storage, port, userId, run } = await setUp('event');
    await storage.upload({
      uid: 'rev@test',
      kind: 'event',
      ics: eventIcs('rev@test', 2, [
        'DESCRIPTION:Agenda v1',
        'LOCATION:Room 4',
        'ORGANIZER:mailto:boss@example.org',
        'ATTENDEE;CN=Kim;PARTSTAT=ACCEPTED:mailto:kim@example.org',
        'X-CUSTOM-FLAG:keep me',
      ]),
    });
    await run();
    const [made] = emu.admin.events(userId);
    expect(made!.description).toBe('Agenda v1');
    await port.updateEvent(made!.id, { description: 'Agenda v2 (phone)', location: { name: 'Room 9' } });

    await run(new Date(Date.now() + 2 * 3600_000));
    const list = await storage.list();
    const [obj] = await storage.getMany(list.items.map((i) => i.href));
    const ics = obj!.item.ics.replace(/\r\n[ \t]/g, '');
    expect(ics).toContain('DESCRIPTION:Agenda v2 (phone)');
    expect(ics).toContain('LOCATION:Room 9');
    expect(ics).toContain('ATTENDEE;CN=Kim;PARTSTAT=ACCEPTED:mailto:kim@example.org');
    expect(ics).toContain('X-CUSTOM-FLAG:keep me');
    expect(ics).toContain('SUMMARY:Design review');
    expect(emu.admin.events(userId)[0]!.description).toBe('Agenda v2 (phone)');

    // The write-back settles: later runs write nothing to Kakao and keep the Talk Calendar text.
    await clearLog(emu);
    await run(new Date(Date.now() + 4 * 3600_000));
    await run(new Date(Date.now() + 6 * 3600_000));
    expect(await calendarWrites()).toEqual([]);
    expect(emu.admin.events(userId)[0]!.description).toBe('Agenda v2 (phone)');
  });
});
