// The bounds of config `limits` on splitting one feed: objects per feed, VTIMEZONEs per feed and
// overrides per series. Limits are small so the inputs stay small.
import { describe, expect, it } from 'vitest';
import { SourceLimitError } from '../../../src/sources/errors.js';
import { splitCalendar } from '../../../src/sources/ics-split.js';
import { defaultLimits } from '../../../src/translate/limits.js';

const cal = (...lines: string[]) =>
  `${['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//t//EN', ...lines, 'END:VCALENDAR'].join('\r\n')}\r\n`;
const ev = (uid: string, ...props: string[]) => [
  'BEGIN:VEVENT',
  `UID:${uid}`,
  'DTSTART:20240101T100000Z',
  ...props,
  'END:VEVENT',
];
const zone = (id: string) => [
  'BEGIN:VTIMEZONE',
  `TZID:${id}`,
  'BEGIN:STANDARD',
  'DTSTART:19700101T000000',
  'TZOFFSETFROM:+0900',
  'TZOFFSETTO:+0900',
  'END:STANDARD',
  'END:VTIMEZONE',
];

describe('splitCalendar: limits.maxItemsPerSource', () => {
  it('builds no item past the limit and says how many objects the feed has', () => {
    const text = cal(...['a', 'b', 'c', 'd', 'e'].flatMap((uid) => ev(uid)), ...ev('a', 'RECURRENCE-ID:x'));
    const { items, limitExceeded } = splitCalendar(text, { ...defaultLimits, maxItemsPerSource: 3 });
    expect(items).toEqual([]);
    expect(limitExceeded).toBeInstanceOf(SourceLimitError);
    expect(limitExceeded).toMatchObject({
      limit: 'limits.maxItemsPerSource',
      max: 3,
      actual: 5,
      scope: 'user',
    });
    expect(limitExceeded?.message).toBe(
      'the feed has 5 calendar objects; limits.maxItemsPerSource is 3: split the calendar or raise the limit',
    );
    // At the limit the feed splits as usual.
    expect(splitCalendar(text, { ...defaultLimits, maxItemsPerSource: 5 }).items).toHaveLength(5);
  });
});

describe('splitCalendar: limits.maxTimezonesPerSource', () => {
  it('keeps the first VTIMEZONEs and reports the rest', () => {
    const text = cal(
      ...zone('A'),
      ...zone('B'),
      ...zone('C'),
      ...ev('x', 'DTSTART;TZID=A:20240101T100000'),
      ...ev('y', 'DTSTART;TZID=C:20240101T100000'),
    );
    const { items, problems } = splitCalendar(text, { ...defaultLimits, maxTimezonesPerSource: 2 });
    expect(items.find((i) => i.uid === 'x')?.ics).toContain('TZID:A');
    expect(items.find((i) => i.uid === 'y')?.ics).not.toContain('BEGIN:VTIMEZONE');
    expect(problems.map((p) => p.message)).toContain(
      '1 VTIMEZONEs past the first 2 ignored (limits.maxTimezonesPerSource)',
    );
  });
});

describe('splitCalendar: limits.maxOverridesPerSeries', () => {
  const override = (day: number) => [
    `RECURRENCE-ID:202401${String(day).padStart(2, '0')}T100000Z`,
    `SUMMARY:o${day}`,
  ];
  const series = cal(
    ...ev('s', 'RRULE:FREQ=DAILY'),
    ...[1, 3, 5, 7, 9, 11, 13].flatMap((d) => ev('s', ...override(d))),
    ...ev('other'),
  );

  it('keeps, per series, the overrides nearest the instant given, and counts the others', () => {
    const near = Date.UTC(2024, 0, 8);
    const [s, other] = splitCalendar(series, { ...defaultLimits, maxOverridesPerSeries: 3 }, near).items;
    expect(s?.ics.match(/SUMMARY:o\d+/g)).toEqual(['SUMMARY:o5', 'SUMMARY:o7', 'SUMMARY:o9']);
    expect(s?.ics).toContain('RRULE:FREQ=DAILY');
    expect(s?.ignoredOverrides).toBe(4);
    expect(other?.ignoredOverrides).toBeUndefined();
  });

  it('keeps every override without an instant (translation caps them then)', () => {
    const [s] = splitCalendar(series, { ...defaultLimits, maxOverridesPerSeries: 3 }).items;
    expect(s?.ics.match(/SUMMARY:o\d+/g)).toHaveLength(7);
    expect(s?.ignoredOverrides).toBeUndefined();
  });
});
