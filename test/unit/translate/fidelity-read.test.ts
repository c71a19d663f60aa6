import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type InspectReport, inspectCalendar } from '../../../src/cli/inspect/report.js';
import { decodeBody } from '../../../src/sources/ics-feed/charset.js';
import { defaultLimits } from '../../../src/translate/limits.js';
import { translateSourceItem } from '../../../src/translate/source-item.js';

// Issue #13, the reading classes (2, 3, 7, 8): one synthetic file per class under
// test/fixtures/fidelity/, read the way a sync reads a feed (bytes decoded, split, translated),
// asserting the exact occurrences Talk Calendar gets (UTC instants).

const fixture = (name: string): string =>
  decodeBody(readFileSync(new URL(`../../fixtures/fidelity/${name}`, import.meta.url))).text;

function read(name: string): InspectReport {
  return inspectCalendar(fixture(name), {
    from: new Date('2023-01-01T00:00:00Z'),
    to: new Date('2025-01-01T00:00:00Z'),
    zone: 'Asia/Seoul',
    now: new Date('2024-01-01T00:00:00Z'),
    occurrences: true,
  });
}

/** uid → "start/end title" per occurrence. */
function occurrences(report: InspectReport): Record<string, string[]> {
  return Object.fromEntries(
    report.items.map((i) => [i.uid, (i.occurrences ?? []).map((o) => `${o.start}/${o.end} ${o.title}`)]),
  );
}

const warningCodes = (report: InspectReport): string[] =>
  report.items.flatMap((i) => i.warnings.map((w) => w.code));

describe('class 2: a TZID with an escaped comma', () => {
  it('matches the VTIMEZONE whose TZID is written Foo\\, Bar (+08:00)', () => {
    const report = read('class2-tzid-escaped-comma.ics');
    expect(occurrences(report)).toEqual({
      'class2-escaped-comma': ['2024-01-05T01:30:00Z/2024-01-05T02:30:00Z Escaped comma zone'],
    });
    expect(warningCodes(report)).not.toContain('unknown-timezone');
  });
});

describe('class 3: a TZID with a trailing space', () => {
  it('matches the VTIMEZONE whose TZID ends in a space (+02:00)', () => {
    const report = read('class3-tzid-trailing-space.ics');
    expect(occurrences(report)).toEqual({
      'class3-trailing-space': ['2024-01-05T15:00:00Z/2024-01-05T16:00:00Z Trailing space zone'],
    });
    expect(warningCodes(report)).not.toContain('unknown-timezone');
  });
});

describe('class 7: bare components (no VCALENDAR)', () => {
  it('reads the VEVENTs and says the wrapper was missing', () => {
    const report = read('class7-bare-components.ics');
    expect(occurrences(report)).toEqual({
      'class7-a': ['2024-01-05T09:00:00Z/2024-01-05T10:00:00Z Bare one'],
      'class7-b': ['2024-01-10T00:00:00Z/2024-01-11T00:00:00Z Bare two'],
    });
    expect(report.truncated).toBe(false);
    expect(report.notices).toEqual([expect.stringMatching(/^line 1: .*without a VCALENDAR/)]);
  });
});

describe('class 8: iTIP messages collected in one file', () => {
  it('keeps the highest SEQUENCE, then the latest DTSTAMP, and applies STATUS:CANCELLED', () => {
    const report = read('class8-itip-collection.ics');
    expect(occurrences(report)).toEqual({
      'class8-meeting': ['2024-01-08T02:00:00Z/2024-01-08T03:00:00Z Moved meeting'],
      'class8-tie': ['2024-01-09T05:00:00Z/2024-01-09T06:00:00Z Later stamp wins'],
      'class8-cancelled': [],
      // Same UID with a RECURRENCE-ID: overrides, not competing messages.
      'class8-weekly': [
        '2024-01-01T01:00:00Z/2024-01-01T02:00:00Z Weekly',
        '2024-01-15T03:00:00Z/2024-01-15T04:00:00Z Weekly moved',
        '2024-01-22T01:00:00Z/2024-01-22T02:00:00Z Weekly',
      ],
    });
    expect(report.notices).toEqual([
      expect.stringMatching(/^line 13: .*SEQUENCE 1\) superseded by .*line 5.*SEQUENCE 2/),
      expect.stringMatching(/^line 29: .*superseded by .*line 21.*later DTSTAMP/),
      expect.stringMatching(/^line 37: .*superseded by .*line 45.*cancels it/),
    ]);
  });

  it('applies METHOD:CANCEL to the event or the one instance it names', () => {
    const report = read('class8-itip-messages.ics');
    expect(occurrences(report)).toEqual({
      'class8-msg': [],
      'class8-daily': [
        '2024-01-12T01:00:00Z/2024-01-12T02:00:00Z Daily',
        '2024-01-14T01:00:00Z/2024-01-14T02:00:00Z Daily',
      ],
      'class8-other': ['2024-01-14T01:00:00Z/2024-01-14T02:00:00Z Kept'],
    });
    expect(report.notices).toEqual([
      expect.stringMatching(/^line 5: .*superseded by .*line 18.*cancels it/),
      expect.stringMatching(/^line 18: .*METHOD:CANCEL.*the whole item/),
      expect.stringMatching(/^line 45: .*METHOD:CANCEL.*RECURRENCE-ID/),
    ]);
  });
});

describe('class 8 in one stored object (a CalDAV item, not split)', () => {
  it('orders two revisions of one override by SEQUENCE, then DTSTAMP, as the splitter does', () => {
    const override = (stamp: string, hour: string) => [
      'BEGIN:VEVENT',
      'UID:stored',
      `DTSTAMP:${stamp}`,
      'SEQUENCE:1',
      'RECURRENCE-ID:20240108T010000Z',
      `DTSTART:20240108T${hour}0000Z`,
      `DTEND:20240108T${hour}3000Z`,
      'SUMMARY:Moved',
      'END:VEVENT',
    ];
    const ics = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//talkcal-test//fidelity//EN',
      'BEGIN:VEVENT',
      'UID:stored',
      'DTSTAMP:20240101T000000Z',
      'DTSTART:20240101T010000Z',
      'DTEND:20240101T020000Z',
      'RRULE:FREQ=WEEKLY;COUNT=3',
      'SUMMARY:Weekly',
      'END:VEVENT',
      ...override('20240105T000000Z', '05'),
      ...override('20240103T000000Z', '07'),
      'END:VCALENDAR',
    ].join('\r\n');
    const desired = translateSourceItem(
      { uid: 'stored', kind: 'event', ics },
      {
        userTimeZone: 'Asia/Seoul',
        now: new Date('2024-01-01T00:00:00Z'),
        horizon: { from: new Date('2023-12-01T00:00:00Z'), to: new Date('2024-03-01T00:00:00Z') },
        suppressDefaultReminders: false,
        limits: defaultLimits,
      },
    );
    if (desired.kind !== 'event') throw new Error('expected an event');
    expect(desired.units[0]?.instances.map((op) => op.update?.time?.start_at)).toEqual([
      '2024-01-08T05:00:00Z',
    ]);
  });
});
