import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patchIcs } from '../../../src/translate/ics-patch.js';
import {
  type CaldavTestServer,
  makeCalendar,
  startRadicale,
  startXandikos,
} from '../helpers/caldav-servers.js';
import { storageFor } from './caldav-fixtures.js';
import { semanticLines } from './caldav-semantic.js';

// What Kakao cannot represent must survive a write-back: the storage stores exactly the text it is
// given, so an update that changes SUMMARY leaves every other property on the server.

function richObject(uid: string): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Example Corp//Calendar 1.0//EN',
    'X-WR-CALNAME:Team',
    'BEGIN:VTIMEZONE',
    'TZID:Asia/Seoul',
    'BEGIN:STANDARD',
    'DTSTART:19700101T000000',
    'TZOFFSETFROM:+0900',
    'TZOFFSETTO:+0900',
    'TZNAME:KST',
    'END:STANDARD',
    'END:VTIMEZONE',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20260101T000000Z',
    'DTSTART;TZID=Asia/Seoul:20260302T100000',
    'DTEND;TZID=Asia/Seoul:20260302T110000',
    'RRULE:FREQ=WEEKLY;COUNT=10;BYDAY=MO',
    'SUMMARY:Weekly sync',
    'DESCRIPTION:Agenda in the doc',
    'LOCATION:Room 4',
    'ORGANIZER;CN=Kim Minji:mailto:minji@example.com',
    'ATTENDEE;CN=Lee Jun;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:mailto:jun@example.com',
    'ATTENDEE;CN=Park Ara;ROLE=OPT-PARTICIPANT;PARTSTAT=TENTATIVE:mailto:ara@example.com',
    'CATEGORIES:WORK,TEAM',
    'X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC',
    'X-CUSTOM-FLAG;X-PARAM=1:keep me',
    'BEGIN:VALARM',
    'ACTION:DISPLAY',
    'DESCRIPTION:Reminder',
    'TRIGGER:-PT15M',
    'END:VALARM',
    'BEGIN:VALARM',
    'ACTION:EMAIL',
    'SUMMARY:Mail reminder',
    'DESCRIPTION:Sync soon',
    'ATTENDEE:mailto:minji@example.com',
    'TRIGGER:-P1D',
    'END:VALARM',
    'END:VEVENT',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20260101T000000Z',
    'RECURRENCE-ID;TZID=Asia/Seoul:20260316T100000',
    'DTSTART;TZID=Asia/Seoul:20260316T140000',
    'DTEND;TZID=Asia/Seoul:20260316T150000',
    'SUMMARY:Weekly sync (moved)',
    'X-CUSTOM-FLAG:override flag',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

const isMasterSummary = (line: string) =>
  line.startsWith('VCALENDAR/VEVENT|SUMMARY:Weekly sync') && !line.includes('moved');

describe.each([
  ['Radicale', startRadicale],
  ['Xandikos', startXandikos],
] as const)('property preservation on %s', (_name, start) => {
  let server: CaldavTestServer;

  beforeAll(async () => {
    server = await start();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('an update with a changed SUMMARY line keeps every other property', async () => {
    const storage = storageFor(server, await makeCalendar(server), 'event');
    const uid = `rich-${randomUUID()}`;
    const original = richObject(uid);
    const created = await storage.upload({ uid, kind: 'event', ics: original });
    const [stored] = await storage.getMany([created.href]);

    const edited = original.replace('SUMMARY:Weekly sync\r\n', 'SUMMARY:Weekly sync (renamed)\r\n');
    await storage.update(created.href, { uid, kind: 'event', ics: edited }, stored!.etag);
    const [readBack] = await storage.getMany([created.href]);

    const after = semanticLines(readBack!.item.ics);
    const expected = semanticLines(original).filter((l) => !isMasterSummary(l));
    for (const line of expected) expect(after).toContain(line);
    expect(after).toContain('VCALENDAR/VEVENT|SUMMARY:Weekly sync (renamed)');
    expect(after.filter(isMasterSummary)).toEqual(
      ['VCALENDAR/VEVENT|SUMMARY:Weekly sync (renamed)'].filter(isMasterSummary),
    );
  });

  it('a write-back through the ics patcher keeps every property Kakao does not know', async () => {
    const storage = storageFor(server, await makeCalendar(server), 'event');
    const uid = `patched-${randomUUID()}`;
    const created = await storage.upload({ uid, kind: 'event', ics: richObject(uid) });
    const [stored] = await storage.getMany([created.href]);

    const patched = patchIcs(
      stored!.item.ics,
      {
        component: 'VEVENT',
        uid,
        set: { SUMMARY: [{ name: 'SUMMARY', params: {}, value: 'Renamed in Kakao' }] },
      },
      { now: new Date('2026-03-01T00:00:00Z') },
    );
    expect(patched.changed).toEqual(['SUMMARY']);
    await storage.update(created.href, { uid, kind: 'event', ics: patched.ics }, stored!.etag);
    const [readBack] = await storage.getMany([created.href]);

    const after = semanticLines(readBack!.item.ics);
    const expected = semanticLines(stored!.item.ics).filter((l) => !isMasterSummary(l));
    for (const line of expected) expect(after).toContain(line);
    expect(after).toContain('VCALENDAR/VEVENT|SUMMARY:Renamed in Kakao');
    expect(after).not.toContain('VCALENDAR/VEVENT|SUMMARY:Weekly sync');
  });
});
