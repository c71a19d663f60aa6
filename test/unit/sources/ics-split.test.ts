import { existsSync, readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldLine, propertyParam, unfoldLines } from '../../../src/ics/content-lines.js';
import { splitCalendar } from '../../../src/sources/ics-split.js';

const cal = (...lines: string[]) =>
  `${['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//t//EN', ...lines, 'END:VCALENDAR'].join('\r\n')}\r\n`;
const ev = (uid: string | undefined, ...props: string[]) => [
  'BEGIN:VEVENT',
  ...(uid ? [`UID:${uid}`] : []),
  'DTSTART:20240101T100000Z',
  ...props,
  'END:VEVENT',
];

describe('unfoldLines', () => {
  it('joins space and tab continuations across CRLF, LF and CR endings and drops a BOM', () => {
    const lines = unfoldLines('\uFEFFA:1\r\nB:long\r\n  part\n\t three\rC:3\n');
    expect(lines).toEqual([
      { line: 1, text: 'A:1' },
      { line: 2, text: 'B:long part three' },
      { line: 5, text: 'C:3' },
    ]);
  });

  it('joins a continuation that follows blank lines to the last content line', () => {
    expect(unfoldLines('VERSION\n\n :2.0\n').map((l) => l.text)).toEqual(['VERSION:2.0']);
  });
});

describe('propertyParam', () => {
  it('reads quoted and plain parameter values, not text in the value', () => {
    expect(propertyParam('DTSTART;TZID="(UTC-05:00) Eastern";X=1:20240101T100000', 'TZID')).toBe(
      '(UTC-05:00) Eastern',
    );
    expect(propertyParam('DTSTART;VALUE=DATE-TIME;TZID=Europe/Berlin:20240101T100000', 'TZID')).toBe(
      'Europe/Berlin',
    );
    expect(propertyParam('SUMMARY:a;TZID=x', 'TZID')).toBeUndefined();
  });
});

describe('foldLine', () => {
  it('folds at 75 octets without splitting multi-byte characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (s) => {
        const folded = foldLine(`SUMMARY:${s}`);
        for (const part of folded.split('\r\n')) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(75);
        expect(folded.replace(/\r\n /g, '')).toBe(`SUMMARY:${s}`);
      }),
    );
  });
});

describe('splitCalendar', () => {
  it('groups a recurring master with its overrides under one UID and keeps the calendar header', () => {
    const text = cal(
      'CALSCALE:GREGORIAN',
      'X-WR-TIMEZONE:Asia/Seoul',
      'X-WR-CALNAME:dropped',
      ...ev('m', 'RRULE:FREQ=DAILY;COUNT=3'),
      ...ev('other'),
      ...ev('m', 'RECURRENCE-ID:20240102T100000Z'),
    );
    const { items, problems } = splitCalendar(text);
    expect(problems).toEqual([]);
    expect(items.map((i) => i.uid)).toEqual(['m', 'other']);
    const m = items[0]?.ics ?? '';
    expect(m.match(/BEGIN:VEVENT/g)).toHaveLength(2);
    expect(m).toContain('RECURRENCE-ID:20240102T100000Z');
    expect(m).toMatch(
      /^BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-\/\/t\/\/t\/\/EN\r\nCALSCALE:GREGORIAN\r\nX-WR-TIMEZONE:Asia\/Seoul\r\n/,
    );
    expect(m).not.toContain('X-WR-CALNAME');
    expect(m.endsWith('END:VCALENDAR\r\n')).toBe(true);
  });

  it('includes only the VTIMEZONEs an item references, even when defined after the event', () => {
    const tz = (id: string) => [
      'BEGIN:VTIMEZONE',
      `TZID:${id}`,
      'BEGIN:STANDARD',
      'DTSTART:19700101T000000',
      'TZOFFSETFROM:+0900',
      'TZOFFSETTO:+0900',
      'END:STANDARD',
      'END:VTIMEZONE',
    ];
    const text = cal(
      'BEGIN:VEVENT',
      'UID:a',
      'DTSTART;TZID="Zone A":20240101T100000',
      'EXDATE;TZID="Zone A":20240102T100000',
      'END:VEVENT',
      ...ev('b'),
      ...tz('Zone A'),
      ...tz('Zone B'),
    );
    const { items } = splitCalendar(text);
    expect(items.find((i) => i.uid === 'a')?.ics).toContain('TZID:Zone A');
    expect(items.find((i) => i.uid === 'a')?.ics).not.toContain('TZID:Zone B');
    expect(items.find((i) => i.uid === 'b')?.ics).not.toContain('BEGIN:VTIMEZONE');
  });

  it('splits VTODOs as todo items and ignores VFREEBUSY and VJOURNAL', () => {
    const text = cal(
      'BEGIN:VTODO',
      'UID:t',
      'SUMMARY:do',
      'END:VTODO',
      'BEGIN:VFREEBUSY',
      'UID:f',
      'END:VFREEBUSY',
      'BEGIN:VJOURNAL',
      'UID:j',
      'END:VJOURNAL',
    );
    expect(splitCalendar(text).items.map((i) => [i.uid, i.kind])).toEqual([['t', 'todo']]);
  });

  it('gives components without UID a deterministic content UID that ignores DTSTAMP', () => {
    const a = splitCalendar(cal(...ev(undefined, 'SUMMARY:x', 'DTSTAMP:20240101T000000Z')));
    const b = splitCalendar(cal(...ev(undefined, 'SUMMARY:x', 'DTSTAMP:20250505T050505Z')));
    const c = splitCalendar(cal(...ev(undefined, 'SUMMARY:y')));
    expect(a.items[0]?.uid).toMatch(/^talkcal-[0-9a-f]{32}$/);
    expect(a.items[0]?.uid).toBe(b.items[0]?.uid);
    expect(c.items[0]?.uid).not.toBe(a.items[0]?.uid);
    expect(a.items[0]?.ics).toContain(`UID:${a.items[0]?.uid}`);
  });

  it('reports an unterminated component with its line and keeps the rest', () => {
    const text = cal(...ev('ok1'), 'BEGIN:VEVENT', 'UID:broken', 'SUMMARY:no end', ...ev('ok2'));
    const { items, problems, truncated } = splitCalendar(text);
    expect(items.map((i) => i.uid)).toEqual(['ok1', 'ok2']);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.line).toBe(8);
    expect(truncated).toBe(false);
  });

  it('reports bad nesting: an END of the event closes the alarm left open in it, a stray END is ignored', () => {
    const text = cal(
      ...ev('ok1'),
      'BEGIN:VEVENT',
      'UID:bad',
      'BEGIN:VALARM',
      'END:VEVENT',
      'END:VALARM',
      ...ev('ok2'),
    );
    const { items, problems } = splitCalendar(text);
    expect(items.map((i) => i.uid)).toEqual(['ok1', 'bad', 'ok2']);
    expect(items[1]?.ics).toMatch(/BEGIN:VALARM\r\nEND:VALARM\r\nEND:VEVENT/);
    expect(problems.map((p) => `${p.line}: ${p.message}`)).toEqual([
      '10: VALARM at line 10 not closed (END:VEVENT at line 11)',
      '12: stray END:VALARM ignored',
    ]);
  });

  it('skips an event cut off by END:VCALENDAR and flags a file that ends inside the calendar as truncated', () => {
    const cut = splitCalendar(cal(...ev('ok'), 'BEGIN:VEVENT', 'UID:cut'));
    expect(cut.items.map((i) => i.uid)).toEqual(['ok']);
    expect(cut.truncated).toBe(false);
    const truncated = splitCalendar(
      ['BEGIN:VCALENDAR', 'VERSION:2.0', ...ev('ok'), 'BEGIN:VEVENT', 'UID:half'].join('\r\n'),
    );
    expect(truncated.truncated).toBe(true);
    expect(truncated.items.map((i) => i.uid)).toEqual(['ok']);
    expect(truncated.problems.length).toBeGreaterThan(0);
  });

  it('keeps the highest SEQUENCE when one instance appears twice', () => {
    const text = cal(...ev('s', 'SEQUENCE:4', 'SUMMARY:new'), ...ev('s', 'SEQUENCE:2', 'SUMMARY:old'));
    const { items, problems } = splitCalendar(text);
    expect(items[0]?.ics).toContain('SUMMARY:new');
    expect(items[0]?.ics).not.toContain('SUMMARY:old');
    expect(problems).toHaveLength(1);
  });

  it('caps the problem list on a file full of garbage lines', () => {
    const garbage = Array.from({ length: 5000 }, (_, i) => `garbage ${i}`);
    const { items, problems } = splitCalendar(cal(...garbage, ...ev('kept')));
    expect(items.map((i) => i.uid)).toEqual(['kept']);
    expect(problems).toHaveLength(1001);
    expect(problems[1000]?.message).toBe('4000 more problems not listed');
  });

  it('drops a component nested absurdly deep without exhausting the stack', () => {
    const deep = `${'BEGIN:X-DEEP\r\n'.repeat(100_000)}${'END:X-DEEP\r\n'.repeat(100_000)}`;
    const text = cal('BEGIN:VEVENT', 'UID:deep', 'DEEP', 'END:VEVENT', ...ev('ok')).replace('DEEP\r\n', deep);
    const { items, problems } = splitCalendar(text);
    expect(items.map((i) => i.uid)).toEqual(['ok']);
    expect(problems[0]?.message).toMatch(/nested too deeply/);
  });

  it('merges several VCALENDARs in one file and ignores text after the last one', () => {
    const text = `${cal(...ev('a'))}${cal(...ev('b'))}X-COMMENT:cached\r\n`;
    expect(splitCalendar(text).items.map((i) => i.uid)).toEqual(['a', 'b']);
  });

  it('never throws and emits only well-formed VCALENDARs on arbitrary line soup', () => {
    const line = fc.constantFrom(
      'BEGIN:VCALENDAR',
      'END:VCALENDAR',
      'BEGIN:VEVENT',
      'END:VEVENT',
      'BEGIN:VALARM',
      'END:VALARM',
      'BEGIN:VTODO',
      'END:VTODO',
      'UID:u1',
      'UID:u2',
      'SUMMARY:x',
      ' folded',
      'garbage line',
      '',
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), (lines) => {
        const { items } = splitCalendar(lines.join('\r\n'));
        for (const item of items) {
          const begins = item.ics.match(/^BEGIN:/gm)?.length ?? 0;
          const ends = item.ics.match(/^END:/gm)?.length ?? 0;
          expect(begins).toBe(ends);
          expect(item.ics.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
        }
        expect(new Set(items.map((i) => i.uid)).size).toBe(items.length);
      }),
    );
  });
});

const fixtures = '../shared/fixtures/ics-real';
describe.skipIf(!existsSync(fixtures))('splitCalendar on real-world files (needs ../shared/fixtures)', () => {
  const files = existsSync(fixtures)
    ? readdirSync(fixtures, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ics'))
    : [];

  it.each(files)('%s splits into unique items, none truncated', (file) => {
    const { items, truncated } = splitCalendar(readFileSync(`${fixtures}/${file}`, 'utf8'));
    expect(truncated).toBe(false);
    expect(new Set(items.map((i) => i.uid)).size).toBe(items.length);
  });

  it('keeps every event of the 401-event file with late errors', () => {
    const { items } = splitCalendar(
      readFileSync(`${fixtures}/node-ical/large-file-with-late-error.ics`, 'utf8'),
    );
    expect(items).toHaveLength(401);
  });

  it('resolves the highest-SEQUENCE overrides of recurrence-sequence.ics', () => {
    const { items } = splitCalendar(readFileSync(`${fixtures}/node-ical/recurrence-sequence.ics`, 'utf8'));
    expect(items).toHaveLength(1);
    expect(items[0]?.ics).toContain('SEQUENCE 5) - should win');
    expect(items[0]?.ics).not.toContain('should be ignored');
  });
});
