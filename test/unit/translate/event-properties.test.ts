// Generated VEVENTs (zones, times, durations, all-day, alarms, Korean/emoji text, rules) never
// become a request the Kakao validator rejects, and the grid always covers the exact times.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateEventCreate, validateEventUpdate } from '../../../src/kakao/validate.js';
import { translateEvent } from '../../../src/translate/event.js';
import { defaultLimits } from '../../../src/translate/limits.js';

const escapeText = (s: string) =>
  s
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r?\n|\r/g, '\\n');
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const basic = (d: Date, time = true) =>
  `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${time ? `T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}` : ''}`;

const zones = [
  'Asia/Seoul',
  'America/New_York',
  'Europe/Berlin',
  'Australia/Lord_Howe',
  'Asia/Kolkata',
  'America/St_Johns',
  'Pacific/Chatham',
  'Korea Standard Time',
  'W. Europe Standard Time',
  '(UTC-05:00) Eastern Time (US & Canada)',
  'Unknown/Zone',
];

const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.string({
    unit: fc.constantFrom('가', '힣', '한', '국', ' ', '😀', '👨‍👩‍👧', '\u1112\u1161\u11AB', 'a'),
    maxLength: 160,
  }),
  fc.string({ unit: 'binary', maxLength: 60 }),
);

const alarm = fc.oneof(
  fc
    .record({
      related: fc.constantFrom('START', 'END'),
      seconds: fc.integer({ min: -3_000_000, max: 200_000 }),
    })
    .map(
      ({ related, seconds }) => `TRIGGER;RELATED=${related}:${seconds < 0 ? '-' : ''}PT${Math.abs(seconds)}S`,
    ),
  fc
    .date({ min: new Date('2000-01-01'), max: new Date('2036-01-01'), noInvalidDate: true })
    .map((d) => `TRIGGER;VALUE=DATE-TIME:${basic(d)}Z`),
);

const rule = fc.constantFrom(
  undefined,
  'RRULE:FREQ=DAILY;COUNT=5',
  'RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR;INTERVAL=2',
  'RRULE:FREQ=MONTHLY;BYMONTHDAY=31;COUNT=12',
  'RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29',
  'RRULE:FREQ=WEEKLY;UNTIL=20301231T235959Z',
  'RRULE:FREQ=DAILY;UNTIL=20300101',
  'RRULE:FREQ=HOURLY;INTERVAL=7;COUNT=30',
  'RRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1',
);

const vevent = fc.record({
  zone: fc.option(fc.constantFrom(...zones), { nil: undefined }),
  utc: fc.boolean(),
  start: fc.date({ min: new Date('2000-01-01'), max: new Date('2035-12-31'), noInvalidDate: true }),
  allDay: fc.boolean(),
  end: fc.oneof(
    fc.constant({ kind: 'none' as const }),
    fc.integer({ min: -100, max: 20_000 }).map((m) => ({ kind: 'dtend' as const, minutes: m })),
    fc.integer({ min: 0, max: 20_000 }).map((m) => ({ kind: 'duration' as const, minutes: m })),
  ),
  summary: fc.option(text, { nil: undefined }),
  description: fc.option(fc.oneof(text, fc.string({ unit: 'grapheme', minLength: 4990, maxLength: 5100 })), {
    nil: undefined,
  }),
  location: fc.option(text, { nil: undefined }),
  geo: fc.option(
    fc.tuple(
      fc.double({ min: -100, max: 100, noNaN: true }),
      fc.double({ min: -200, max: 200, noNaN: true }),
    ),
    { nil: undefined },
  ),
  alarms: fc.array(alarm, { maxLength: 4 }),
  colour: fc.option(fc.constantFrom('red', 'rebeccapurple', '#123456', '#2C88DEFF', 'notacolour'), {
    nil: undefined,
  }),
  rrule: rule,
  exdateOffsetDays: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
  overrideOffsetDays: fc.option(fc.integer({ min: 0, max: 10 }), { nil: undefined }),
  suppress: fc.boolean(),
});

type Generated = typeof vevent extends fc.Arbitrary<infer T> ? T : never;

function toIcs(g: Generated): string {
  const at = (d: Date) => {
    if (g.allDay) return `;VALUE=DATE:${basic(d, false)}`;
    if (g.utc) return `:${basic(d)}Z`;
    return g.zone ? `;TZID="${g.zone}":${basic(d)}` : `:${basic(d)}`;
  };
  const lines = ['BEGIN:VEVENT', 'UID:p', `DTSTART${at(g.start)}`];
  const minutes =
    g.allDay && 'minutes' in g.end ? g.end.minutes * 1440 : 'minutes' in g.end ? g.end.minutes : 0;
  if (g.end.kind === 'dtend') lines.push(`DTEND${at(new Date(g.start.getTime() + minutes * 60_000))}`);
  if (g.end.kind === 'duration')
    lines.push(g.allDay ? `DURATION:P${g.end.minutes % 30}D` : `DURATION:PT${g.end.minutes}M`);
  if (g.summary !== undefined) lines.push(`SUMMARY:${escapeText(g.summary)}`);
  if (g.description !== undefined) lines.push(`DESCRIPTION:${escapeText(g.description)}`);
  if (g.location !== undefined) lines.push(`LOCATION:${escapeText(g.location)}`);
  if (g.geo) lines.push(`GEO:${g.geo[0]};${g.geo[1]}`);
  if (g.colour) lines.push(`COLOR:${g.colour}`);
  if (g.rrule) lines.push(g.rrule);
  if (g.rrule && g.exdateOffsetDays !== undefined) {
    lines.push(`EXDATE${at(new Date(g.start.getTime() + g.exdateOffsetDays * 86_400_000))}`);
  }
  for (const a of g.alarms) lines.push('BEGIN:VALARM', 'ACTION:DISPLAY', a, 'END:VALARM');
  lines.push('END:VEVENT');
  if (g.rrule && g.overrideOffsetDays !== undefined) {
    const original = new Date(g.start.getTime() + g.overrideOffsetDays * 86_400_000);
    lines.push(
      'BEGIN:VEVENT',
      'UID:p',
      `RECURRENCE-ID${at(original)}`,
      `DTSTART${at(new Date(original.getTime() + 3_600_000))}`,
      `SUMMARY:${escapeText(g.summary ?? 'moved')}`,
      'END:VEVENT',
    );
  }
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', ...lines, 'END:VCALENDAR'].join('\r\n');
}

function ctxFor(g: Generated) {
  return {
    userTimeZone: 'Asia/Seoul',
    horizon: {
      from: new Date(g.start.getTime() - 30 * 86_400_000),
      to: new Date(g.start.getTime() + 60 * 86_400_000),
    },
    suppressDefaultReminders: g.suppress,
    now: g.start,
    limits: defaultLimits,
  };
}

describe('translateEvent on generated VEVENTs', () => {
  it('produces only requests the Kakao validator accepts', () => {
    fc.assert(
      fc.property(vevent, (g) => {
        const result = translateEvent({ uid: 'p', kind: 'event', ics: toIcs(g) }, ctxFor(g));
        if (result.units.length === 0) {
          // Only an EXDATE on the one occurrence the rule has leaves nothing (see series-start.ts):
          // the same event without it, expanded over ten years, has that single occurrence.
          expect(g.exdateOffsetDays).toBe(0);
          // From a day before: a floating start is read in the user's zone, up to 14 h before UTC.
          const tenYears = {
            from: new Date(g.start.getTime() - 86_400_000),
            to: new Date(g.start.getTime() + 3660 * 86_400_000),
          };
          const whole = translateEvent(
            { uid: 'p', kind: 'event', ics: toIcs({ ...g, exdateOffsetDays: undefined }) },
            { ...ctxFor(g), horizon: tenYears, expandRecurrences: true },
          );
          expect(whole.units).toHaveLength(1);
        }
        // Deterministic: the sync engine hashes this output to detect changes.
        expect(translateEvent({ uid: 'p', kind: 'event', ics: toIcs(g) }, ctxFor(g))).toEqual(result);
        expect(new Set(result.units.map((u) => u.unitKey)).size).toBe(result.units.length);
        for (const unit of result.units) {
          expect(validateEventCreate(unit.event)).toEqual([]);
          for (const op of unit.instances) {
            if (op.update) expect(validateEventUpdate(op.update, op.scope)).toEqual([]);
          }
          const exact = result.exactTimes[unit.unitKey];
          expect(exact).toBeDefined();
          if (exact) {
            expect(Date.parse(unit.event.time.start_at)).toBeLessThanOrEqual(Date.parse(exact.start));
            expect(Date.parse(unit.event.time.end_at)).toBeGreaterThanOrEqual(Date.parse(exact.end));
          }
        }
      }),
      { numRuns: 300 },
    );
  }, 120_000);
});
