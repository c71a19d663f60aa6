// The bounds of config `limits` on one item's translation: each keeps translation finite and names
// itself in a typed warning. Limits are set small so the inputs stay small; each case also shows
// what happens without the bound, so removing it would fail the test.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { defaultLimits, type TranslateLimits } from '../../../src/translate/limits.js';
import { translateTodo } from '../../../src/translate/task.js';
import { codes, translate } from './event-helpers.js';

const limits = (over: Partial<TranslateLimits>): TranslateLimits => ({ ...defaultLimits, ...over });
const message = (r: { warnings: { code: string; message: string }[] }, code: string) =>
  r.warnings.find((w) => w.code === code)?.message ?? '';
const day = (from: string, days: number) => ({
  from: new Date(`${from}T00:00:00Z`),
  to: new Date(Date.parse(`${from}T00:00:00Z`) + days * 86_400_000),
});

describe('defaultLimits', () => {
  it('equal the limits of config/default.yaml', () => {
    const { limits: configured } = loadConfig({ env: {} });
    for (const key of Object.keys(defaultLimits) as (keyof TranslateLimits)[])
      expect(defaultLimits[key], key).toBe(configured[key]);
  });
});

describe('limits.maxOccurrencesPerEvent', () => {
  const minutely = [['DTSTART:20240101T000000Z', 'DURATION:PT1M', 'RRULE:FREQ=MINUTELY;INTERVAL=7']];
  const horizon = day('2024-01-01', 1);

  it('keeps the first occurrences in the horizon, with a warning naming the count and the key', () => {
    const r = translate(minutely, { horizon, limits: limits({ maxOccurrencesPerEvent: 5 }) });
    expect(r.units.map((u) => u.unitKey)).toEqual([
      '20240101T000000Z',
      '20240101T000700Z',
      '20240101T001400Z',
      '20240101T002100Z',
      '20240101T002800Z',
    ]);
    expect(message(r, 'occurrences-capped')).toMatch(/first 5 occurrences.*limits\.maxOccurrencesPerEvent/);
    // Without the bound the horizon holds a day of them.
    expect(translate(minutely, { horizon }).units).toHaveLength(206);
  });

  it('caps a rule of a billion seconds starting in the horizon without refusing it', () => {
    const r = translate(
      [['DTSTART:20240101T120000Z', 'DURATION:PT1S', 'RRULE:FREQ=SECONDLY;COUNT=1000000000']],
      { horizon: day('2024-01-01', 365), limits: limits({ maxOccurrencesPerEvent: 3 }) },
    );
    expect(r.units.map((u) => u.unitKey)).toEqual([
      '20240101T120000Z',
      '20240101T120001Z',
      '20240101T120002Z',
    ]);
    expect(codes(r)).toContain('occurrences-capped');
  });

  it('counts overridden instances the rule lacks toward the cap', () => {
    const r = translate(
      [
        ['DTSTART:20240101T100000Z', 'DURATION:PT1H', 'RRULE:FREQ=DAILY;COUNT=2', 'RDATE:20240110T100000Z'],
        ['RECURRENCE-ID:20240105T100000Z', 'DTSTART:20240105T110000Z', 'DURATION:PT1H'],
      ],
      { limits: limits({ maxOccurrencesPerEvent: 3 }) },
    );
    expect(r.units.map((u) => u.unitKey)).toEqual([
      '20240101T100000Z',
      '20240102T100000Z',
      '20240105T100000Z',
    ]);
    expect(codes(r)).toContain('occurrences-capped');
  });
});

describe('limits.maxRuleIterations', () => {
  it('refuses a rule whose walk to the horizon would look at too many dates', () => {
    // Every 7 seconds is no fixed time of day: walked as is, 86,400 / 7 dates a day.
    const rule = [['DTSTART:20240101T000000Z', 'RRULE:FREQ=SECONDLY;INTERVAL=7;BYMONTH=2']];
    const r = translate(rule, {
      horizon: day('2024-01-01', 2),
      limits: limits({ maxRuleIterations: 10_000 }),
    });
    expect(r.units).toEqual([]);
    expect(message(r, 'rule-too-costly')).toMatch(/limits\.maxRuleIterations is 10,000/);
    // With room for the walk the same rule is expanded (nothing matches in January but DTSTART).
    const roomy = translate(rule, {
      horizon: day('2024-01-01', 2),
      limits: limits({ maxRuleIterations: 100_000 }),
    });
    expect(roomy.units.map((u) => u.unitKey)).toEqual(['20240101T000000Z']);
  });

  it.each([
    // rrule alone walks these to the year 9999 looking for a match (seconds for each).
    ['RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;BYHOUR=9', 1000],
    ['RRULE:FREQ=SECONDLY;BYMONTH=4;BYMONTHDAY=31', defaultLimits.maxRuleIterations],
  ])('ends %s, which never matches, at the horizon', (rule, maxRuleIterations) => {
    const r = translate([['DTSTART:20240101T090000Z', 'DURATION:PT1H', rule]], {
      horizon: day('2024-01-01', 30),
      limits: limits({ maxRuleIterations }),
    });
    expect(r.units.map((u) => u.unitKey)).toEqual(['20240101T090000Z']);
    expect(codes(r)).not.toContain('rule-too-costly');
  });

  it.each([
    // rrule steps hour by hour looking for 05:00, which INTERVAL=10 from 04:00 never reaches.
    ['DTSTART:20240101T040000Z', 'RRULE:FREQ=HOURLY;INTERVAL=10;BYHOUR=5'],
    // rrule searches minutes from a time BYHOUR excludes, with a step that may never come back.
    ['DTSTART:20240101T080000Z', 'RRULE:FREQ=MINUTELY;INTERVAL=7;BYHOUR=9'],
  ])('refuses %s %s, which rrule would search forever', (start, rule) => {
    const r = translate([[start, 'DURATION:PT5M', rule]], { horizon: day('2024-01-01', 3) });
    expect(r.units).toEqual([]);
    expect(message(r, 'rule-too-costly')).toMatch(/never|does not meet/);
  });

  it('reads a sub-daily rule on a fixed time of day as a daily one (BYSECOND=60 never comes)', () => {
    const r = translate(
      [
        [
          'DTSTART:20240101T000000Z',
          'DURATION:PT1S',
          'RRULE:FREQ=SECONDLY;BYHOUR=9;BYMINUTE=30;BYSECOND=0,60',
        ],
      ],
      { horizon: day('2024-01-01', 3) },
    );
    expect(r.units.map((u) => u.unitKey)).toEqual([
      '20240101T000000Z',
      '20240101T093000Z',
      '20240102T093000Z',
      '20240103T093000Z',
    ]);
  });

  it('walks the EXDATE and override checks of a long series once, within the bound', () => {
    const overrides = Array.from({ length: 300 }, (_, i) => {
      const at = new Date(Date.UTC(2000, 0, 1 + i * 30, 9)).toISOString().replace(/[-:]|\.000/g, '');
      return [`RECURRENCE-ID:${at}`, `DTSTART:${at}`, 'DURATION:PT1H', `SUMMARY:moved ${i}`];
    });
    const r = translate(
      [['DTSTART:20000101T090000Z', 'DURATION:PT1H', 'RRULE:FREQ=DAILY', 'SUMMARY:daily'], ...overrides],
      { limits: limits({ maxRuleIterations: 20_000 }) },
    );
    expect(r.units).toHaveLength(1);
    expect(r.units[0]?.instances).toHaveLength(300);
  });
});

describe('limits.maxOverridesPerSeries', () => {
  it('applies the overrides nearest the horizon, inside it first, and says how many were left out', () => {
    const rid = (d: string) => [`RECURRENCE-ID:${d}T090000Z`, `DTSTART:${d}T100000Z`, 'DURATION:PT1H'];
    const r = translate(
      [
        ['DTSTART:20230101T090000Z', 'DURATION:PT1H', 'RRULE:FREQ=DAILY', 'SUMMARY:daily'],
        rid('20230105'),
        rid('20231230'),
        rid('20240102'),
        rid('20240601'),
        rid('20250301'),
      ],
      { limits: limits({ maxOverridesPerSeries: 3 }) },
    );
    const moved = r.units[0]?.instances.map((op) => op.instanceStart);
    expect(moved).toEqual(['20231230T090000Z', '20240102T090000Z', '20240601T090000Z']);
    expect(message(r, 'overrides-capped')).toMatch(/3 of 5 overrides.*limits\.maxOverridesPerSeries/);
  });
});

describe('limits.maxPropertyChars', () => {
  it('cuts long text at read time, and Kakao cuts the description further, each with its warning', () => {
    const r = translate(
      [['DTSTART:20240105T090000Z', 'DURATION:PT1H', 'SUMMARY:big', `DESCRIPTION:${'x'.repeat(8000)}`]],
      { limits: limits({ maxPropertyChars: 6000 }) },
    );
    expect(message(r, 'property-capped')).toMatch(/DESCRIPTION \(8,000 characters\) cut to 6,000/);
    expect(message(r, 'description-truncated')).toMatch(/5000/);
    expect(r.units[0]?.event.description).toHaveLength(5000);
  });

  it('drops a long value that is not text', () => {
    const r = translate(
      [
        [
          'DTSTART:20240105T090000Z',
          'SUMMARY:with attachment',
          `ATTACH;VALUE=BINARY;ENCODING=BASE64:${'QUJD'.repeat(500)}`,
        ],
      ],
      { limits: limits({ maxPropertyChars: 1000 }) },
    );
    expect(message(r, 'property-capped')).toMatch(/ATTACH \(2,000 characters\) dropped/);
    expect(r.units).toHaveLength(1);
  });

  it('bounds a task as well', () => {
    const ics = [
      'BEGIN:VCALENDAR',
      'BEGIN:VTODO',
      'UID:t',
      `SUMMARY:${'y'.repeat(3000)}`,
      'END:VTODO',
      'END:VCALENDAR',
    ];
    const r = translateTodo(
      { uid: 't', kind: 'todo', ics: ics.join('\r\n') },
      {
        userTimeZone: 'Asia/Seoul',
        now: new Date('2024-01-01T00:00:00Z'),
        limits: limits({ maxPropertyChars: 1200 }),
      },
    );
    expect(r.warnings.map((w) => w.code)).toEqual(
      expect.arrayContaining(['property-capped', 'title-truncated']),
    );
  });
});

describe('limits.maxTimezonesPerSource', () => {
  it('ignores the VTIMEZONEs of an item past the limit', () => {
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
    const r = translate(
      [['DTSTART;TZID=Zone C:20240105T090000', 'DURATION:PT1H']],
      { limits: limits({ maxTimezonesPerSource: 2 }) },
      [...zone('Zone A'), ...zone('Zone B'), ...zone('Zone C')],
    );
    expect(message(r, 'timezones-capped')).toMatch(/1 VTIMEZONEs past the first 2/);
    expect(codes(r)).toContain('unknown-timezone');
  });
});

describe('a custom VTIMEZONE under limits.maxRuleIterations', () => {
  it('leaves a rule that would cost more unread and says so', () => {
    const block = [
      'BEGIN:VTIMEZONE',
      'TZID:Odd Zone',
      'BEGIN:STANDARD',
      'DTSTART:16010101T030000',
      'TZOFFSETFROM:+0200',
      'TZOFFSETTO:+0100',
      // Daily from 1601 with COUNT: walked from its start, about 155,000 days to 2024.
      'RRULE:FREQ=DAILY;COUNT=900000;BYMONTH=10;BYMONTHDAY=27',
      'END:STANDARD',
      'END:VTIMEZONE',
    ];
    const event = [['DTSTART;TZID=Odd Zone:20240105T090000', 'DURATION:PT1H']];
    const r = translate(event, { limits: limits({ maxRuleIterations: 10_000 }) }, block);
    expect(message(r, 'unknown-timezone')).toMatch(/"Odd Zone".*limits\.maxRuleIterations/);
    expect(codes(translate(event, {}, block))).not.toContain('unknown-timezone');
  });
});

describe('a task rule that never matches', () => {
  it('stops after the bound, with a warning, and is sent as a single task', () => {
    const ics = [
      'BEGIN:VCALENDAR',
      'BEGIN:VTODO',
      'UID:t',
      'SUMMARY:never',
      'DUE;VALUE=DATE:20200101',
      'RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30',
      'END:VTODO',
      'END:VCALENDAR',
    ].join('\r\n');
    const r = translateTodo(
      { uid: 't', kind: 'todo', ics },
      {
        userTimeZone: 'UTC',
        now: new Date('2024-01-01T00:00:00Z'),
        limits: limits({ maxRuleIterations: 5000 }),
      },
    );
    expect(r.warnings.map((w) => w.code)).toContain('rule-too-costly');
    expect(r.task.due_info?.recur).toBeUndefined();
  });
});
