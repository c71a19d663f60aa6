// A series whose first occurrences are EXDATEd starts in Kakao at the first occurrence kept, so every
// ALL update or delete (addressed to the series' first instance) finds a live instance, and Kakao
// shows exactly the source's occurrences. Occurrences are counted by the emulator's own expander
// (the rrule package, src/emulator/recurrence.ts), not by the translator's.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { occurrencesNear } from '../../../src/emulator/recurrence.js';
import { translateEvent } from '../../../src/translate/event.js';
import { defaultLimits } from '../../../src/translate/limits.js';
import { compactUtc } from '../../../src/translate/wall-time.js';

const zones = ['UTC', 'Asia/Seoul', 'America/New_York', 'Europe/Berlin'] as const;
const units = { DAILY: 'days', WEEKLY: 'weeks', MONTHLY: 'months' } as const;

const series = fc.record({
  zone: fc.constantFrom(...zones),
  allDay: fc.boolean(),
  // Days 1..28: every month has the day, so a monthly rule has no skipped months.
  start: fc.record({
    year: fc.integer({ min: 2026, max: 2030 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 28 }),
    hour: fc.integer({ min: 0, max: 23 }),
  }),
  freq: fc.constantFrom('DAILY', 'WEEKLY', 'MONTHLY') as fc.Arbitrary<keyof typeof units>,
  interval: fc.integer({ min: 1, max: 3 }),
  end: fc.oneof(
    fc.integer({ min: 1, max: 12 }).map((n) => ({ count: n })),
    fc.integer({ min: 0, max: 12 }).map((n) => ({ untilPeriods: n })),
    fc.constant({}),
  ),
  /** Which occurrences (by index) the source removes; the first always. */
  removed: fc.uniqueArray(fc.integer({ min: 1, max: 14 }), { maxLength: 6 }).map((r) => [0, ...r]),
});
type Generated = typeof series extends fc.Arbitrary<infer T> ? T : never;

function wallAt(g: Generated, index: number): DateTime {
  const { year, month, day, hour } = g.start;
  const first = DateTime.fromObject({ year, month, day, hour: g.allDay ? 0 : hour }, { zone: g.zone });
  return first.plus({ [units[g.freq]]: index * g.interval });
}

const icsWall = (d: DateTime, allDay: boolean) => d.toFormat(allDay ? 'yyyyMMdd' : "yyyyMMdd'T'HHmmss");

function toIcs(g: Generated): string {
  const prop = (name: string, d: DateTime) =>
    g.allDay ? `${name};VALUE=DATE:${icsWall(d, true)}` : `${name};TZID=${g.zone}:${icsWall(d, false)}`;
  const parts = [`FREQ=${g.freq}`, `INTERVAL=${g.interval}`];
  if ('count' in g.end) parts.push(`COUNT=${g.end.count}`);
  if ('untilPeriods' in g.end) {
    const until = wallAt(g, g.end.untilPeriods);
    parts.push(`UNTIL=${g.allDay ? icsWall(until, true) : until.toUTC().toFormat("yyyyMMdd'T'HHmmss'Z'")}`);
  }
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//talkcal-test//EN',
    'BEGIN:VEVENT',
    'UID:s@test',
    'DTSTAMP:20250101T000000Z',
    prop('DTSTART', wallAt(g, 0)),
    g.allDay ? 'DURATION:P1D' : 'DURATION:PT1H',
    `RRULE:${parts.join(';')}`,
    ...g.removed.map((i) => prop('EXDATE', wallAt(g, i))),
    'SUMMARY:Series',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

const horizonEnd = new Date('2036-01-01T00:00:00Z');

/** Instance keys (yyyyMMddTHHmmssZ) of a series as the emulator expands it, up to 2036. */
function keysOf(start: string, end: string, rrule: string, allDay: boolean, timeZone: string): string[] {
  const shape = { start: new Date(start), end: new Date(end), allDay, timeZone, rrule };
  const from = new Date(start);
  return occurrencesNear(shape, from, horizonEnd)
    .filter((o) => o.start.getTime() >= from.getTime() && o.start.getTime() < horizonEnd.getTime())
    .map((o) => o.key);
}

describe('a series whose first occurrence is removed', () => {
  it('starts at the first occurrence kept; Kakao shows exactly the occurrences the source keeps', () => {
    fc.assert(
      fc.property(series, (g) => {
        const first = wallAt(g, 0).toUTC().toJSDate();
        const ctx = {
          userTimeZone: 'Asia/Seoul',
          horizon: { from: first, to: new Date(first.getTime() + 400 * 86_400_000) },
          suppressDefaultReminders: false,
          now: first,
          limits: defaultLimits,
        };
        const result = translateEvent({ uid: 's@test', kind: 'event', ics: toIcs(g) }, ctx);
        const zone = g.allDay ? 'UTC' : g.zone;
        const at = (i: number) =>
          g.allDay
            ? compactUtc(Date.UTC(wallAt(g, i).year, wallAt(g, i).month - 1, wallAt(g, i).day))
            : compactUtc(wallAt(g, i).toMillis());
        // The source's occurrences, by the emulator's expander, less the removed ones.
        const sourceRule = toIcs(g).match(/RRULE:(.*)\r\n/)![1]!;
        const firstStart = new Date(
          at(0).replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'),
        );
        const removed = new Set(g.removed.map(at));
        const wanted = keysOf(
          firstStart.toISOString(),
          new Date(firstStart.getTime() + (g.allDay ? 86_400_000 : 3_600_000)).toISOString(),
          sourceRule,
          g.allDay,
          zone,
        ).filter((k) => !removed.has(k));
        if (wanted.length === 0) {
          expect(result.units).toEqual([]);
          return;
        }
        expect(result.units).toHaveLength(1);
        const unit = result.units[0]!;
        const deleted = new Set(
          unit.instances.filter((o) => o.action === 'delete').map((o) => o.instanceStart),
        );
        const shown = keysOf(
          unit.event.time.start_at,
          unit.event.time.end_at,
          unit.event.rrule!,
          g.allDay,
          unit.event.time.time_zone ?? 'Asia/Seoul',
        ).filter((k) => !deleted.has(k));
        expect(shown).toEqual(wanted);
        // The first instance, where ALL calls are addressed, is a live one.
        expect(compactUtc(Date.parse(unit.event.time.start_at))).toBe(wanted[0]);
        expect(deleted.has(wanted[0]!)).toBe(false);
      }),
      { numRuns: 300 },
    );
  }, 60_000);
});
