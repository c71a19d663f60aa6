// Regression fixtures of issue #13 (fidelity), classes 1, 4, 5 and 9: each synthetic file under
// test/fixtures/fidelity/ goes through the product's path (feed splitter → item translator) and
// the exact occurrences (UTC instants, lengths, text) and warnings are asserted. Recurrences are
// translated as a channel link does (one event per occurrence), so every occurrence is visible.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DesiredEventItem, DesiredTaskItem } from '../../../src/model/desired.js';
import { splitCalendar } from '../../../src/sources/ics-split.js';
import { placeholderTitle } from '../../../src/translate/component.js';
import { defaultLimits } from '../../../src/translate/limits.js';
import { translateSourceItem } from '../../../src/translate/source-item.js';

const fixtures = join(import.meta.dirname, '../../fixtures/fidelity');

/** The to-dos of the last fixture translated, by UID. */
const todos = new Map<string, DesiredTaskItem>();

/** Every event item of a fixture file, translated, by UID (its to-dos go to `todos`). */
function translateFixture(
  name: string,
  opts: { expand?: boolean; userTimeZone?: string; edit?: (ics: string) => string } = {},
): Map<string, DesiredEventItem> {
  const text = readFileSync(join(fixtures, name), 'utf8');
  const split = splitCalendar(opts.edit ? opts.edit(text) : text, defaultLimits);
  expect(split.problems).toEqual([]);
  const out = new Map<string, DesiredEventItem>();
  todos.clear();
  for (const item of split.items) {
    const desired = translateSourceItem(item, {
      userTimeZone: opts.userTimeZone ?? 'Asia/Seoul',
      now: new Date('2024-01-01T00:00:00Z'),
      horizon: { from: new Date('2024-01-01T00:00:00Z'), to: new Date('2025-01-01T00:00:00Z') },
      suppressDefaultReminders: false,
      limits: defaultLimits,
      ...(opts.expand ? { expandRecurrences: true } : {}),
    });
    if (desired.kind === 'event') out.set(item.uid, desired);
    else todos.set(item.uid, desired);
  }
  return out;
}

function item(items: Map<string, DesiredEventItem>, uid: string): DesiredEventItem {
  const found = items.get(`${uid}@fidelity.test`);
  if (!found) throw new Error(`no item ${uid} in ${[...items.keys()].join(', ')}`);
  return found;
}

/** Each unit's [start, end] in UTC, in order. */
function occurrences(desired: DesiredEventItem): [string, string][] {
  return desired.units
    .map((u): [string, string] => [u.event.time.start_at, u.event.time.end_at])
    .sort((a, b) => a[0].localeCompare(b[0]));
}

const warningsOf = (d: DesiredEventItem, code: string) =>
  d.warnings.filter((w) => w.code === code).map((w) => w.message);

describe('class 1: a title is kept as written', () => {
  const items = translateFixture('class-01-title-spaces.ics');

  it('keeps runs of spaces, with no warning', () => {
    const d = item(items, 'class-01-spaces');
    expect(d.units[0]?.event.title).toBe('A.  B   C');
    expect(d.warnings.map((w) => w.code)).not.toContain('title-changed');
  });

  it('keeps leading and trailing spaces and an escaped line break', () => {
    const d = item(items, 'class-01-edges');
    expect(d.units[0]?.event.title).toBe(' Two lines\nand  more ');
    expect(d.warnings.map((w) => w.code)).not.toContain('title-changed');
  });

  it('replaces a blank title (Kakao requires one) and says so', () => {
    const d = item(items, 'class-01-blank');
    expect(d.units[0]?.event.title).toBe(placeholderTitle);
    expect(warningsOf(d, 'title-changed')).toEqual([
      `a blank SUMMARY: the title is "${placeholderTitle}" (Kakao requires one)`,
    ]);
  });
});

describe("class 4: floating times are read in the calendar's X-WR-TIMEZONE", () => {
  it('reads a floating single event in the declared zone and says so', () => {
    const d = item(translateFixture('class-04-x-wr-timezone.ics'), 'class-04-single');
    expect(occurrences(d)).toEqual([['2024-01-05T14:00:00Z', '2024-01-05T15:00:00Z']]);
    expect(d.units[0]?.event.time.time_zone).toBe('America/New_York');
    expect(warningsOf(d, 'floating-time')).toEqual([
      `floating times read in America/New_York, the calendar's X-WR-TIMEZONE "America/New_York"`,
    ]);
  });

  it('keeps the wall time of a floating series across the DST change of the declared zone', () => {
    const d = item(translateFixture('class-04-x-wr-timezone.ics', { expand: true }), 'class-04-weekly');
    expect(occurrences(d)).toEqual([
      ['2024-03-01T14:00:00Z', '2024-03-01T14:30:00Z'],
      ['2024-03-08T14:00:00Z', '2024-03-08T14:30:00Z'],
      ['2024-03-15T13:00:00Z', '2024-03-15T13:30:00Z'],
    ]);
  });

  it('sends a representable floating series as one rule in the declared zone', () => {
    const d = item(translateFixture('class-04-x-wr-timezone.ics'), 'class-04-weekly');
    expect(d.units.map((u) => [u.event.rrule, u.event.time.start_at, u.event.time.time_zone])).toEqual([
      ['FREQ=WEEKLY;COUNT=3', '2024-03-01T14:00:00Z', 'America/New_York'],
    ]);
  });

  it('reads the floating DUE of a to-do in the declared zone too', () => {
    translateFixture('class-04-x-wr-timezone.ics');
    const t = todos.get('class-04-todo@fidelity.test');
    expect(t?.task.due_info).toEqual({ due_date: '20240301', time_zone: 'America/New_York' });
    expect(t?.warnings.map((w) => w.code)).toContain('floating-time');
  });

  it('leaves a time with its own TZID alone', () => {
    const d = item(translateFixture('class-04-x-wr-timezone.ics'), 'class-04-zoned');
    expect(occurrences(d)).toEqual([['2024-01-05T08:00:00Z', '2024-01-05T09:00:00Z']]);
    expect(warningsOf(d, 'floating-time')).toEqual([]);
  });

  it("uses the user's zone when the calendar declares none, and says so", () => {
    const items = translateFixture('class-04-x-wr-timezone.ics', {
      edit: (ics) => ics.replace('X-WR-TIMEZONE:America/New_York\r\n', ''),
    });
    const d = item(items, 'class-04-single');
    expect(occurrences(d)).toEqual([['2024-01-05T00:00:00Z', '2024-01-05T01:00:00Z']]);
    expect(warningsOf(d, 'floating-time')).toEqual([
      "floating times read in the user's zone Asia/Seoul (the calendar declares no X-WR-TIMEZONE)",
    ]);
  });

  it("falls back to the user's zone for an X-WR-TIMEZONE no zone matches", () => {
    const items = translateFixture('class-04-x-wr-timezone.ics', {
      edit: (ics) => ics.replace('X-WR-TIMEZONE:America/New_York', 'X-WR-TIMEZONE:Nowhere Standard'),
    });
    const d = item(items, 'class-04-single');
    expect(occurrences(d)).toEqual([['2024-01-05T00:00:00Z', '2024-01-05T01:00:00Z']]);
    expect(warningsOf(d, 'unknown-timezone')).toEqual([
      'unknown time zone "Nowhere Standard"; read in Asia/Seoul',
    ]);
    expect(warningsOf(d, 'floating-time')).toEqual([
      `floating times read in Asia/Seoul, the calendar's X-WR-TIMEZONE "Nowhere Standard"`,
    ]);
  });
});

describe('class 5: RDATE values are occurrences, a PERIOD with its own length', () => {
  const items = translateFixture('class-05-rdate-period.ics', { expand: true });

  it('start/duration period (the issue example)', () => {
    expect(occurrences(item(items, 'class-05-period-duration'))).toEqual([
      ['2024-01-01T10:00:00Z', '2024-01-01T11:00:00Z'],
      ['2024-01-03T10:00:00Z', '2024-01-03T12:00:00Z'],
    ]);
  });

  it('start/end and start/duration periods under a TZID', () => {
    expect(occurrences(item(items, 'class-05-period-end'))).toEqual([
      ['2024-01-01T09:00:00Z', '2024-01-01T10:00:00Z'],
      ['2024-01-04T13:00:00Z', '2024-01-04T16:30:00Z'],
      ['2024-01-05T07:00:00Z', '2024-01-05T07:15:00Z'],
    ]);
  });

  it('DATE-TIME values added to a rule', () => {
    const d = item(items, 'class-05-rdate-datetime');
    expect(occurrences(d)).toEqual(
      ['10', '11', '15', '16'].map((day) => [`2024-01-${day}T10:00:00Z`, `2024-01-${day}T10:30:00Z`]),
    );
  });

  it('DATE values of an all-day event', () => {
    const d = item(items, 'class-05-rdate-date');
    expect(occurrences(d)).toEqual([
      ['2024-01-20T00:00:00Z', '2024-01-21T00:00:00Z'],
      ['2024-01-25T00:00:00Z', '2024-01-26T00:00:00Z'],
      ['2024-02-01T00:00:00Z', '2024-02-02T00:00:00Z'],
    ]);
    expect(d.units.every((u) => u.event.time.all_day)).toBe(true);
  });

  it('a link that keeps recurrences expands an RDATE series, saying why', () => {
    const d = item(translateFixture('class-05-rdate-period.ics'), 'class-05-period-duration');
    expect(occurrences(d)).toEqual([
      ['2024-01-01T10:00:00Z', '2024-01-01T11:00:00Z'],
      ['2024-01-03T10:00:00Z', '2024-01-03T12:00:00Z'],
    ]);
    expect(d.warnings.map((w) => w.code)).toContain('recurrence-expanded');
  });

  it('a period ending before it starts is zero-length, with a warning', () => {
    const items = translateFixture('class-05-rdate-period.ics', {
      expand: true,
      edit: (ics) => ics.replace('20240103T100000Z/PT2H', '20240103T100000Z/20240103T090000Z'),
    });
    const d = item(items, 'class-05-period-duration');
    expect(occurrences(d)).toEqual([
      ['2024-01-01T10:00:00Z', '2024-01-01T11:00:00Z'],
      ['2024-01-03T10:00:00Z', '2024-01-03T10:05:00Z'],
    ]);
    expect(warningsOf(d, 'contradictory-times')).toEqual([
      'an RDATE period ends before it starts; that occurrence is read as zero-length',
    ]);
  });
});

describe('class 9: contradictory values are read one documented way and named in a warning', () => {
  const items = translateFixture('class-09-contradictory.ics');

  it('an end before the start: ends at its start (5 minutes on the grid)', () => {
    const d = item(items, 'class-09-end-before-start');
    expect(occurrences(d)).toEqual([['2024-01-05T10:00:00Z', '2024-01-05T10:05:00Z']]);
    expect(warningsOf(d, 'contradictory-times')).toEqual([
      'DTEND 20240105T090000Z is before DTSTART 20240105T100000Z: read as ending at its start',
    ]);
  });

  it('a negative all-day DURATION: one day', () => {
    const d = item(items, 'class-09-negative-duration');
    expect(occurrences(d)).toEqual([['2024-01-06T00:00:00Z', '2024-01-07T00:00:00Z']]);
    expect(warningsOf(d, 'contradictory-times')).toEqual(['DURATION -P2D is negative: read as one day']);
  });

  it('a DATE start with a DATE-TIME end: all-day through the day the end falls on', () => {
    const d = item(items, 'class-09-date-start-datetime-end');
    expect(occurrences(d)).toEqual([['2024-01-08T00:00:00Z', '2024-01-10T00:00:00Z']]);
    expect(d.units[0]?.event.time.all_day).toBe(true);
    expect(warningsOf(d, 'contradictory-times')).toEqual([
      'DTSTART is a DATE (20240108) but DTEND a DATE-TIME (20240109T100000Z): read as all-day, through 2024-01-09',
    ]);
  });

  it('a TZID on a UTC time: the Z decides', () => {
    const d = item(items, 'class-09-tzid-on-utc');
    expect(occurrences(d)).toEqual([['2024-01-10T15:00:00Z', '2024-01-10T16:00:00Z']]);
    expect(warningsOf(d, 'contradictory-times')).toEqual([
      'DTSTART 20240110T150000Z is UTC (Z) but names TZID=America/New_York: read as UTC, the TZID ignored',
      'DTEND 20240110T160000Z is UTC (Z) but names TZID=America/New_York: read as UTC, the TZID ignored',
    ]);
  });

  it('a TZID on a UTC EXDATE: the Z decides', () => {
    const items = translateFixture('class-09-contradictory.ics', { expand: true });
    const d = item(items, 'class-09-exdate-tzid-on-utc');
    expect(occurrences(d)).toEqual([
      ['2024-01-10T15:00:00Z', '2024-01-10T16:00:00Z'],
      ['2024-01-12T15:00:00Z', '2024-01-12T16:00:00Z'],
    ]);
    expect(warningsOf(d, 'contradictory-times')).toEqual([
      'EXDATE 20240111T150000Z is UTC (Z) but names TZID=America/New_York: read as UTC, the TZID ignored',
    ]);
  });
});
