import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { foldLine, readLines } from '../../../src/ics/content-lines.js';
import type { ComponentSpec } from '../../../src/translate/component-spec.js';
import { line } from '../../../src/translate/component-spec.js';
import { PatchTargetMissingError, patchIcs } from '../../../src/translate/ics-patch.js';
import { missing } from '../../support/prerequisite.js';

const now = new Date('2026-06-01T12:00:00Z');

const base = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Test//EN',
  'BEGIN:VEVENT',
  'UID:e1',
  'DTSTAMP:20200101T000000Z',
  'SEQUENCE:3',
  'SUMMARY:Old title',
  'DTSTART;TZID=Europe/Berlin:20260610T100000',
  'DTEND;TZID=Europe/Berlin:20260610T110000',
  'ATTENDEE;CN="Doe, Jane";PARTSTAT=ACCEPTED:mailto:jane@example.com',
  'X-CUSTOM;FOO=bar:keep me',
  'BEGIN:VALARM',
  'ACTION:DISPLAY',
  'DESCRIPTION:r',
  'TRIGGER:-PT15M',
  'END:VALARM',
  'BEGIN:VALARM',
  'ACTION:EMAIL',
  'SUMMARY:mail',
  'ATTENDEE:mailto:a@example.com',
  'TRIGGER:-PT1H',
  'END:VALARM',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

function spec(set: ComponentSpec['set'], extra: Partial<ComponentSpec> = {}): ComponentSpec {
  return { component: 'VEVENT', uid: 'e1', set, ...extra };
}

const lines = (text: string): string[] => readLines(text).map((l) => l.unfolded);

describe('patchIcs', () => {
  it('changes nothing when Kakao says the same thing in other words', () => {
    const r = patchIcs(
      base,
      spec(
        {
          SUMMARY: [line('SUMMARY', 'Old title')],
          // Same instants as the Berlin wall times, written in UTC.
          DTSTART: [line('DTSTART', '20260610T080000Z')],
          DTEND: [line('DTEND', '20260610T090000Z')],
        },
        { alarms: [line('TRIGGER', '-PT15M')] },
      ),
      { now },
    );
    expect(r.changed).toEqual([]);
    expect(r.ics).toBe(base);
  });

  it('replaces only SUMMARY, bumps SEQUENCE and stamps', () => {
    const r = patchIcs(base, spec({ SUMMARY: [line('SUMMARY', 'New\\, title')] }), { now });
    expect(r.changed).toEqual(['SUMMARY']);
    const before = lines(base);
    const after = lines(r.ics);
    expect(after).toContain('SUMMARY:New\\, title');
    expect(after).toContain('SEQUENCE:4');
    expect(after).toContain('DTSTAMP:20260601T120000Z');
    expect(after).toContain('LAST-MODIFIED:20260601T120000Z');
    const volatile = /^(SUMMARY|SEQUENCE|DTSTAMP|LAST-MODIFIED)[:;]/;
    expect(after.filter((l) => !volatile.test(l))).toEqual(before.filter((l) => !volatile.test(l)));
  });

  it('replaces the display alarms Kakao knows and keeps the email alarm', () => {
    const r = patchIcs(base, spec({}, { alarms: [line('TRIGGER', '-PT30M')] }), { now });
    expect(r.changed).toEqual(['VALARM']);
    const after = lines(r.ics);
    expect(after).not.toContain('TRIGGER:-PT15M');
    expect(after).toContain('TRIGGER:-PT30M');
    expect(after).toContain('ACTION:EMAIL');
    expect(after).toContain('TRIGGER:-PT1H');
  });

  it('adds only new EXDATEs', () => {
    const withEx = base.replace('X-CUSTOM', 'EXDATE;TZID=Europe/Berlin:20260617T100000\r\nX-CUSTOM');
    const r = patchIcs(
      withEx,
      spec({}, { addExdates: [line('EXDATE', '20260617T080000Z'), line('EXDATE', '20260624T080000Z')] }),
      { now },
    );
    expect(r.changed).toEqual(['EXDATE']);
    const after = lines(r.ics);
    expect(after.filter((l) => l.startsWith('EXDATE'))).toEqual([
      'EXDATE;TZID=Europe/Berlin:20260617T100000',
      'EXDATE:20260624T080000Z',
    ]);
  });

  it('leaves DTSTART+DURATION alone when the end is unchanged and rewrites it when it moved', () => {
    const dur = base.replace('DTEND;TZID=Europe/Berlin:20260610T110000', 'DURATION:PT1H');
    const same = patchIcs(dur, spec({ DTEND: [line('DTEND', '20260610T090000Z')], DURATION: [] }), { now });
    expect(same.changed).toEqual([]);
    const moved = patchIcs(dur, spec({ DTEND: [line('DTEND', '20260610T093000Z')], DURATION: [] }), { now });
    expect(moved.changed).toEqual(['DTEND', 'DURATION']);
    expect(lines(moved.ics)).not.toContain('DURATION:PT1H');
    expect(lines(moved.ics)).toContain('DTEND:20260610T093000Z');
  });

  it('restricts the patch to the fields named in `only`', () => {
    const r = patchIcs(
      base,
      spec({ SUMMARY: [line('SUMMARY', 'x')], LOCATION: [line('LOCATION', 'Seoul')] }, { alarms: [] }),
      { now, only: ['LOCATION'] },
    );
    expect(r.changed).toEqual(['LOCATION']);
    expect(lines(r.ics)).toContain('SUMMARY:Old title');
    expect(lines(r.ics)).toContain('TRIGGER:-PT15M');
  });

  it('removes a property set to []', () => {
    const r = patchIcs(base, spec({ 'X-CUSTOM': [] }), { now });
    expect(lines(r.ics).some((l) => l.startsWith('X-CUSTOM'))).toBe(false);
  });

  it('adds a missing VTIMEZONE for a TZID it writes', () => {
    const tz =
      'BEGIN:VTIMEZONE\r\nTZID:Asia/Seoul\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0900\r\nTZOFFSETTO:+0900\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n';
    const r = patchIcs(
      base,
      spec({ DTSTART: [line('DTSTART', '20260610T180000', { TZID: 'Asia/Seoul' })] }, { timezones: [tz] }),
      { now },
    );
    expect(r.changed).toEqual(['DTSTART', 'VTIMEZONE']);
    const after = lines(r.ics);
    expect(after.indexOf('TZID:Asia/Seoul')).toBeLessThan(after.indexOf('BEGIN:VEVENT'));
  });

  it('throws a typed error when the master is missing', () => {
    expect(() => patchIcs(base, { ...spec({}), uid: 'other' }, { now })).toThrow(PatchTargetMissingError);
  });

  it('finds the calendar behind a byte-order mark and keeps the mark', () => {
    const tz =
      'BEGIN:VTIMEZONE\r\nTZID:Asia/Seoul\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0900\r\nTZOFFSETTO:+0900\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n';
    const r = patchIcs(
      `\uFEFF${base}`,
      spec({ DTSTART: [line('DTSTART', '20260610T180000', { TZID: 'Asia/Seoul' })] }, { timezones: [tz] }),
      { now },
    );
    expect(r.changed).toEqual(['DTSTART', 'VTIMEZONE']);
    expect(r.ics.startsWith('\uFEFFBEGIN:VCALENDAR\r\n')).toBe(true);
  });

  it('keeps LF line endings of the original', () => {
    const lf = base.replaceAll('\r\n', '\n');
    const r = patchIcs(lf, spec({ SUMMARY: [line('SUMMARY', 'x')] }), { now });
    expect(r.ics.includes('\r')).toBe(false);
  });
});

describe('foldLine', () => {
  it('folds at 75 octets without splitting UTF-8 sequences', () => {
    const long = `SUMMARY:${'가나다라'.repeat(30)}`;
    const folded = foldLine(long);
    for (const physical of folded.split('\r\n'))
      expect(Buffer.byteLength(physical, 'utf8')).toBeLessThanOrEqual(75);
    expect(readLines(folded)[0]?.unfolded).toBe(long);
  });
});

const fixtures = join(import.meta.dirname, '../../../../shared/fixtures/ics-real');

describe.skipIf(missing(existsSync(fixtures)))(
  'round trip on a rich real-world object (needs ../shared/fixtures)',
  () => {
    it('patching SUMMARY of recur_instances.ics keeps every other line byte for byte', () => {
      const original = readFileSync(join(fixtures, 'ical.js/recur_instances.ics'), 'utf8');
      const r = patchIcs(
        original,
        spec(
          { SUMMARY: [line('SUMMARY', 'Renamed in Kakao')] },
          { uid: '623c13c0-6c2b-45d6-a12b-c33ad61c4868' },
        ),
        { now },
      );
      const before = readLines(original);
      const after = readLines(r.ics);
      expect(after.length).toBe(before.length);
      const diff = after.flatMap((l, i) => (l.raw === before[i]!.raw ? [] : [l.unfolded]));
      expect(diff).toEqual([
        'SUMMARY:Renamed in Kakao',
        'LAST-MODIFIED:20260601T120000Z',
        'DTSTAMP:20260601T120000Z',
        'SEQUENCE:1',
      ]);
      // The override keeps its own SUMMARY.
      expect(after.filter((l) => l.unfolded === 'SUMMARY:Crazy Event Thingy!').length).toBeGreaterThan(0);
    });
  },
);

describe.skipIf(missing(existsSync(fixtures)))(
  'patching a real-world VTODO (needs ../shared/fixtures)',
  () => {
    it('changing STATUS of todo_valarm.ics keeps every other line byte for byte', () => {
      const original = readFileSync(join(fixtures, 'ical/todo_valarm.ics'), 'utf8');
      const r = patchIcs(
        original,
        {
          component: 'VTODO',
          uid: 'uid4@example.com',
          set: { STATUS: [line('STATUS', 'COMPLETED')], COMPLETED: [line('COMPLETED', '20260601T120000Z')] },
        },
        { now },
      );
      expect(r.changed).toEqual(['STATUS', 'COMPLETED']);
      const before = readLines(original).map((l) => l.raw);
      const after = readLines(r.ics).map((l) => l.raw);
      const touched = /^(STATUS|COMPLETED|SEQUENCE|DTSTAMP|LAST-MODIFIED)[:;]/;
      expect(after.filter((l) => !touched.test(l))).toEqual(before.filter((l) => !touched.test(l)));
      expect(after).toContain('SEQUENCE:3');
      expect(after).toContain('COMPLETED:20260601T120000Z');
      // The folded ATTACH line of the alarm keeps its original fold.
      expect(after.some((l) => l.startsWith('ATTACH;') && /\r?\n files\/ssbanner\.aud$/.test(l))).toBe(true);
    });
  },
);

describe('overrides', () => {
  const withOverride = base.replace(
    'END:VCALENDAR',
    [
      'BEGIN:VEVENT',
      'UID:e1',
      'RECURRENCE-ID;TZID=Europe/Berlin:20260617T100000',
      'DTSTAMP:20200101T000000Z',
      'SUMMARY:Old title',
      'DTSTART;TZID=Europe/Berlin:20260617T120000',
      'DTEND;TZID=Europe/Berlin:20260617T130000',
      'X-KEEP:yes',
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n'),
  );
  const override = (rid: string, summary: string, start: string, end: string) => ({
    recurrenceId: line('RECURRENCE-ID', rid),
    set: {
      SUMMARY: [line('SUMMARY', summary)],
      DTSTART: [line('DTSTART', start)],
      DTEND: [line('DTEND', end)],
    },
  });

  it('patches an existing override by its RECURRENCE-ID and leaves the master alone', () => {
    const r = patchIcs(
      withOverride,
      spec(
        {},
        {
          overrides: [override('20260617T080000Z', 'Moved in Kakao', '20260617T100000Z', '20260617T110000Z')],
        },
      ),
      { now },
    );
    expect(r.changed).toEqual(['RECURRENCE-ID:20260617T080000Z']);
    const after = lines(r.ics);
    expect(after).toContain('SUMMARY:Moved in Kakao');
    expect(after).toContain('X-KEEP:yes');
    expect(after).toContain('SEQUENCE:3'); // the master's, untouched
    expect(after).toContain('SUMMARY:Old title');
  });

  it('leaves an override that already says the same untouched', () => {
    const r = patchIcs(
      withOverride,
      spec(
        {},
        { overrides: [override('20260617T080000Z', 'Old title', '20260617T100000Z', '20260617T110000Z')] },
      ),
      { now },
    );
    expect(r.changed).toEqual([]);
    expect(r.ics).toBe(withOverride);
  });

  it('adds a new override after the master, inheriting attendees and custom properties but not the rule', () => {
    const withRule = base.replace('SUMMARY:Old title', 'SUMMARY:Old title\r\nRRULE:FREQ=WEEKLY');
    const r = patchIcs(
      withRule,
      spec(
        {},
        {
          overrides: [override('20260624T080000Z', 'Only this one', '20260624T090000Z', '20260624T100000Z')],
        },
      ),
      { now },
    );
    expect(r.changed).toEqual(['RECURRENCE-ID:20260624T080000Z']);
    const after = lines(r.ics);
    const second = after.lastIndexOf('BEGIN:VEVENT');
    const added = after.slice(second, after.indexOf('END:VEVENT', second) + 1);
    expect(added).toContain('RECURRENCE-ID:20260624T080000Z');
    expect(added).toContain('SUMMARY:Only this one');
    expect(added).toContain('DTSTART:20260624T090000Z');
    expect(added).toContain('ATTENDEE;CN="Doe, Jane";PARTSTAT=ACCEPTED:mailto:jane@example.com');
    expect(added).toContain('X-CUSTOM;FOO=bar:keep me');
    expect(added).toContain('TRIGGER:-PT15M');
    expect(added.some((l) => l.startsWith('RRULE'))).toBe(false);
    expect(added.filter((l) => l.startsWith('DTSTART'))).toHaveLength(1);
    // The master is unchanged.
    expect(after.slice(0, second)).toEqual(lines(withRule).slice(0, second));
  });
});
