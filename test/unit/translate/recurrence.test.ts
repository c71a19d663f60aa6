import { describe, expect, it } from 'vitest';
import { codes, translate } from './event-helpers.js';

const weekly = (zone: string, start: string) => [
  `DTSTART;TZID=${zone}:${start}`,
  `DTEND;TZID=${zone}:${start.slice(0, 9)}100000`,
  'RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU',
  'RDATE;TZID=Asia/Tokyo:20300101T090000', // forces expansion, far outside the horizon
];

describe('representable recurrences', () => {
  it('passes an RRULE through with UNTIL normalised to UTC', () => {
    const r = translate([
      [
        'DTSTART;TZID=Europe/Berlin:20240105T090000',
        'DTEND;TZID=Europe/Berlin:20240105T100000',
        'RRULE:FREQ=WEEKLY;BYDAY=FR;UNTIL=20240301T090000',
      ],
    ]);
    expect(r.units).toHaveLength(1);
    expect(r.units[0]?.unitKey).toBe('main');
    expect(r.units[0]?.event.rrule).toBe('FREQ=WEEKLY;BYDAY=FR;UNTIL=20240301T080000Z');
    expect(codes(r)).not.toContain('recurrence-expanded');
  });

  it('reads a DATE UNTIL on a timed series as the end of that day', () => {
    const r = translate([
      ['DTSTART;TZID=Asia/Seoul:20240105T090000', 'DURATION:PT1H', 'RRULE:FREQ=DAILY;UNTIL=20240110'],
    ]);
    expect(r.units[0]?.event.rrule).toBe('FREQ=DAILY;UNTIL=20240110T145959Z');
  });

  it('gives an all-day series UNTIL at T000000Z of its last date', () => {
    const r = translate(
      [
        [
          'DTSTART;VALUE=DATE:20260219',
          'DTEND;VALUE=DATE:20260220',
          'RRULE:FREQ=WEEKLY;UNTIL=20260817T220000Z;BYDAY=TU,TH',
        ],
      ],
      { userTimeZone: 'Europe/Berlin' },
    );
    expect(r.units[0]?.event.rrule).toBe('FREQ=WEEKLY;UNTIL=20260818T000000Z;BYDAY=TU,TH');
  });

  it('turns EXDATEs into delete THIS operations at the instance start', () => {
    const r = translate([
      [
        'DTSTART;TZID=America/New_York:20240101T090000',
        'DURATION:PT1H',
        'RRULE:FREQ=DAILY;COUNT=10',
        'EXDATE;TZID=America/New_York:20240103T090000,20240105T090000',
        'EXDATE;TZID=America/New_York:20240205T090000', // not an occurrence: nothing to delete
        'EXDATE:20240103T140000Z', // the same instance again, in UTC
      ],
    ]);
    expect(r.units[0]?.instances).toEqual([
      { instanceStart: '20240103T140000Z', action: 'delete', scope: 'THIS' },
      { instanceStart: '20240105T140000Z', action: 'delete', scope: 'THIS' },
    ]);
  });

  it('matches a UTC EXDATE against a zoned series', () => {
    const r = translate([
      [
        'DTSTART;TZID=Europe/Berlin:20240101T090000',
        'DURATION:PT1H',
        'RRULE:FREQ=DAILY;COUNT=5',
        'EXDATE:20240102T080000Z',
      ],
    ]);
    expect(r.units[0]?.instances).toEqual([
      { instanceStart: '20240102T080000Z', action: 'delete', scope: 'THIS' },
    ]);
  });

  it('matches an EXDATE written in another TZID by its wall time in the series zone', () => {
    // Outlook: DTSTART in Eastern time, EXDATE in Los Angeles time, both meaning the 12:00 occurrence.
    const r = translate([
      [
        'DTSTART;TZID="(UTC-05:00) Eastern Time (US and Canada)":20150706T120000',
        'DTEND;TZID=America/Los_Angeles:20150706T130000',
        'RRULE:FREQ=DAILY;COUNT=10',
        'EXDATE;TZID=America/Los_Angeles:20150708T120000',
      ],
    ]);
    expect(r.units[0]?.instances).toEqual([
      { instanceStart: '20150708T160000Z', action: 'delete', scope: 'THIS' },
    ]);
  });

  it('reads a floating EXDATE in the series zone', () => {
    const r = translate(
      [
        [
          'DTSTART;TZID=Europe/Berlin:20240101T090000',
          'DURATION:PT1H',
          'RRULE:FREQ=DAILY;COUNT=5',
          'EXDATE:20240104T090000',
        ],
      ],
      { userTimeZone: 'Asia/Seoul' },
    );
    expect(r.units[0]?.instances).toEqual([
      { instanceStart: '20240104T080000Z', action: 'delete', scope: 'THIS' },
    ]);
  });

  it('uses the date at T000000Z for all-day instance ids', () => {
    const r = translate([
      ['DTSTART;VALUE=DATE:20240101', 'RRULE:FREQ=DAILY;COUNT=5', 'EXDATE;VALUE=DATE:20240103'],
    ]);
    expect(r.units[0]?.instances).toEqual([
      { instanceStart: '20240103T000000Z', action: 'delete', scope: 'THIS' },
    ]);
  });

  it('turns an override into update THIS with only title, time, description and location', () => {
    const master = [
      'SUMMARY:Standup',
      'DTSTART;TZID=Asia/Seoul:20240101T090000',
      'DURATION:PT30M',
      'RRULE:FREQ=DAILY;COUNT=5',
      'DESCRIPTION:daily',
    ];
    const override = [
      'RECURRENCE-ID;TZID=Asia/Seoul:20240102T090000',
      'SUMMARY:Standup (moved)',
      'DTSTART;TZID=Asia/Seoul:20240102T100000',
      'DTEND;TZID=Asia/Seoul:20240102T103000',
      'LOCATION:Room 2',
    ];
    const r = translate([master, override]);
    expect(r.units[0]?.instances).toEqual([
      {
        instanceStart: '20240102T000000Z',
        action: 'update',
        scope: 'THIS',
        update: {
          title: 'Standup (moved)',
          time: { start_at: '2024-01-02T01:00:00Z', end_at: '2024-01-02T01:30:00Z', time_zone: 'Asia/Seoul' },
          description: '',
          location: { name: 'Room 2' },
        },
      },
    ]);
  });

  it('lets an EXDATE win over an override of the same instance', () => {
    const r = translate([
      ['DTSTART:20240101T090000Z', 'DURATION:PT30M', 'RRULE:FREQ=DAILY;COUNT=5', 'EXDATE:20240102T090000Z'],
      ['RECURRENCE-ID:20240102T090000Z', 'SUMMARY:moved', 'DTSTART:20240102T100000Z', 'DURATION:PT30M'],
    ]);
    expect(r.units[0]?.instances).toEqual([
      { instanceStart: '20240102T090000Z', action: 'delete', scope: 'THIS' },
    ]);
  });

  it('maps RANGE=THISANDFUTURE to THIS_AND_FOLLOWING', () => {
    const r = translate([
      ['DTSTART:20240101T090000Z', 'DURATION:PT30M', 'RRULE:FREQ=DAILY;COUNT=5'],
      [
        'RECURRENCE-ID;RANGE=THISANDFUTURE:20240103T090000Z',
        'SUMMARY:later',
        'DTSTART:20240103T100000Z',
        'DURATION:PT30M',
      ],
    ]);
    expect(r.units[0]?.instances[0]).toMatchObject({
      instanceStart: '20240103T090000Z',
      scope: 'THIS_AND_FOLLOWING',
      action: 'update',
    });
  });

  it('keeps the override with the highest SEQUENCE for one RECURRENCE-ID', () => {
    const r = translate([
      ['DTSTART:20240101T090000Z', 'DURATION:PT30M', 'RRULE:FREQ=DAILY;COUNT=5'],
      [
        'RECURRENCE-ID:20240102T090000Z',
        'SEQUENCE:3',
        'SUMMARY:newest',
        'DTSTART:20240102T090000Z',
        'DURATION:PT30M',
      ],
      [
        'RECURRENCE-ID:20240102T090000Z',
        'SEQUENCE:1',
        'SUMMARY:older',
        'DTSTART:20240102T090000Z',
        'DURATION:PT30M',
      ],
    ]);
    expect(r.units[0]?.instances).toHaveLength(1);
    expect(r.units[0]?.instances[0]?.update?.title).toBe('newest');
  });

  it('turns a cancelled override into delete THIS', () => {
    const r = translate([
      ['DTSTART:20240101T090000Z', 'DURATION:PT30M', 'RRULE:FREQ=DAILY;COUNT=5'],
      ['RECURRENCE-ID:20240104T090000Z', 'STATUS:CANCELLED', 'DTSTART:20240104T090000Z', 'DURATION:PT30M'],
    ]);
    expect(r.units[0]?.instances).toEqual([
      { instanceStart: '20240104T090000Z', action: 'delete', scope: 'THIS' },
    ]);
  });

  it('keeps a yearly Feb 29 rule as is (leap days)', () => {
    const r = translate([['DTSTART;VALUE=DATE:20240229', 'RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29']]);
    expect(r.units[0]?.event.rrule).toBe('FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29');
    expect(r.units[0]?.event.time.start_at).toBe('2024-02-29T00:00:00Z');
  });
});

describe('overrides without their master', () => {
  it('become single events keyed by their RECURRENCE-ID', () => {
    const r = translate([
      [
        'RECURRENCE-ID:20240102T090000Z',
        'SUMMARY:one instance',
        'DTSTART:20240102T100000Z',
        'DURATION:PT30M',
      ],
      ['RECURRENCE-ID;VALUE=DATE:20240105', 'SUMMARY:one day', 'DTSTART;VALUE=DATE:20240105'],
    ]);
    expect(r.units.map((u) => [u.unitKey, u.event.title, u.event.rrule])).toEqual([
      ['20240102T090000Z', 'one instance', undefined],
      ['20240105T000000Z', 'one day', undefined],
    ]);
  });
});

describe('recurrences Kakao cannot represent', () => {
  const horizon = { from: new Date('2024-01-01T00:00:00Z'), to: new Date('2024-01-08T00:00:00Z') };

  it.each([
    ['RRULE:FREQ=HOURLY;COUNT=3', 'FREQ=HOURLY'],
    ['RRULE:FREQ=MINUTELY;INTERVAL=30;COUNT=3', 'FREQ=MINUTELY'],
    ['RRULE:FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=-1;COUNT=3', 'BYSETPOS'],
    ['RRULE:FREQ=YEARLY;BYWEEKNO=1;COUNT=3', 'BYWEEKNO'],
    ['RRULE:FREQ=YEARLY;BYYEARDAY=1,2;COUNT=3', 'BYYEARDAY'],
  ])('%s is expanded (%s)', (rule, reason) => {
    const r = translate([['DTSTART:20240101T090000Z', 'DURATION:PT30M', rule]], { horizon });
    expect(codes(r)).toContain('recurrence-expanded');
    expect(r.warnings.find((w) => w.code === 'recurrence-expanded')?.message).toContain(reason);
    expect(r.units.length).toBeGreaterThan(0);
    for (const u of r.units) {
      expect(u.event.rrule).toBeUndefined();
      expect(u.unitKey).toMatch(/^\d{8}T\d{6}Z$/);
      expect(r.exactTimes[u.unitKey]).toBeDefined();
    }
  });

  it('expands RDATE with the extra dates inside the horizon only', () => {
    const r = translate(
      [
        [
          'DTSTART:20240101T090000Z',
          'DURATION:PT30M',
          'RRULE:FREQ=WEEKLY;COUNT=3',
          'RDATE:20240103T120000Z,20240301T120000Z',
        ],
      ],
      { horizon },
    );
    expect(r.units.map((u) => u.unitKey)).toEqual(['20240101T090000Z', '20240103T120000Z']);
    expect(r.units[1]?.event.time).toMatchObject({
      start_at: '2024-01-03T12:00:00Z',
      end_at: '2024-01-03T12:30:00Z',
    });
  });

  it('expands several RRULEs', () => {
    const r = translate(
      [
        [
          'DTSTART:20240101T090000Z',
          'DURATION:PT30M',
          'RRULE:FREQ=WEEKLY;BYDAY=MO',
          'RRULE:FREQ=WEEKLY;BYDAY=WE',
        ],
      ],
      { horizon },
    );
    expect(r.units.map((u) => u.unitKey)).toEqual(['20240101T090000Z', '20240103T090000Z']);
    expect(r.warnings.find((w) => w.code === 'recurrence-expanded')?.message).toContain('several RRULEs');
  });

  it('expands when an override changes all-day-ness, using the override for its occurrence', () => {
    const r = translate(
      [
        ['SUMMARY:daily', 'DTSTART:20240101T090000Z', 'DURATION:PT30M', 'RRULE:FREQ=DAILY;COUNT=3'],
        ['RECURRENCE-ID:20240102T090000Z', 'SUMMARY:whole day', 'DTSTART;VALUE=DATE:20240102'],
      ],
      { horizon },
    );
    expect(codes(r)).toContain('override-expanded');
    expect(r.units.map((u) => [u.unitKey, u.event.title, u.event.time.all_day])).toEqual([
      ['20240101T090000Z', 'daily', false],
      ['20240102T090000Z', 'whole day', true],
      ['20240103T090000Z', 'daily', false],
    ]);
  });

  it('expands when an override changes reminders or colour', () => {
    const alarm = ['BEGIN:VALARM', 'ACTION:DISPLAY', 'TRIGGER:-PT1H', 'END:VALARM'];
    const reminders = translate(
      [
        ['DTSTART:20240101T090000Z', 'DURATION:PT30M', 'RRULE:FREQ=DAILY;COUNT=3'],
        ['RECURRENCE-ID:20240102T090000Z', 'DTSTART:20240102T090000Z', 'DURATION:PT30M', ...alarm],
      ],
      { horizon },
    );
    expect(reminders.warnings.find((w) => w.code === 'override-expanded')?.message).toContain('reminders');
    expect(reminders.units[1]?.event.reminders).toEqual([60]);
    const colour = translate(
      [
        ['DTSTART:20240101T090000Z', 'DURATION:PT30M', 'RRULE:FREQ=DAILY;COUNT=3'],
        ['RECURRENCE-ID:20240102T090000Z', 'DTSTART:20240102T090000Z', 'DURATION:PT30M', 'COLOR:red'],
      ],
      { horizon },
    );
    expect(colour.warnings.find((w) => w.code === 'override-expanded')?.message).toContain('colour');
  });

  it('lets an override without VALARM or COLOR keep the series reminders and colour', () => {
    const alarm = ['BEGIN:VALARM', 'ACTION:DISPLAY', 'TRIGGER:-PT1H', 'END:VALARM'];
    const r = translate([
      ['DTSTART:20240101T090000Z', 'DURATION:PT30M', 'RRULE:FREQ=DAILY;COUNT=3', 'COLOR:red', ...alarm],
      ['RECURRENCE-ID:20240102T090000Z', 'SUMMARY:moved', 'DTSTART:20240102T100000Z', 'DURATION:PT30M'],
    ]);
    expect(r.units).toHaveLength(1);
    expect(r.units[0]?.event).toMatchObject({ reminders: [60], color: 'RED', rrule: 'FREQ=DAILY;COUNT=3' });
    expect(r.units[0]?.instances[0]).toMatchObject({ instanceStart: '20240102T090000Z', action: 'update' });
  });

  it('leaves EXDATEs and cancelled overrides out of the expansion', () => {
    const r = translate(
      [
        [
          'DTSTART:20240101T090000Z',
          'DURATION:PT30M',
          'RRULE:FREQ=DAILY;BYHOUR=9;COUNT=5',
          'EXDATE:20240102T090000Z',
        ],
        ['RECURRENCE-ID:20240104T090000Z', 'STATUS:CANCELLED', 'DTSTART:20240104T090000Z'],
        ['RECURRENCE-ID:20240102T090000Z', 'SUMMARY:excluded anyway', 'DTSTART;VALUE=DATE:20240102'],
      ],
      { horizon },
    );
    expect(r.units.map((u) => u.unitKey)).toEqual([
      '20240101T090000Z',
      '20240103T090000Z',
      '20240105T090000Z',
    ]);
  });

  it('expands a sub-daily rule from a DTSTART decades back on its own lattice', () => {
    const r = translate([['DTSTART:20000101T000000Z', 'DURATION:PT1M', 'RRULE:FREQ=MINUTELY;INTERVAL=7']], {
      horizon: { from: new Date('2024-01-01T00:00:00Z'), to: new Date('2024-01-01T00:30:00Z') },
    });
    // 2024-01-01T00:00Z is 12,623,040 minutes after DTSTART; 12,623,040 mod 7 = 3 → next at +4 min.
    expect(r.units.map((u) => u.unitKey)).toEqual([
      '20240101T000400Z',
      '20240101T001100Z',
      '20240101T001800Z',
      '20240101T002500Z',
    ]);
  });

  it('survives a hostile FREQ=SECONDLY rule', () => {
    const r = translate([['DTSTART:19900101T000000Z', 'RRULE:FREQ=SECONDLY;BYSECOND=0;BYMINUTE=0']], {
      horizon: { from: new Date('2024-01-01T00:00:00Z'), to: new Date('2024-01-01T03:00:00Z') },
    });
    expect(r.units.map((u) => u.unitKey)).toEqual([
      '20240101T000000Z',
      '20240101T010000Z',
      '20240101T020000Z',
    ]);
  });

  it.each([
    'RRULE:FREQ=WEEKLY;BYDAY=XX',
    'RRULE:FREQ=MONTHLY;BYMONTHDAY=99',
    'RRULE:FREQ=MONTHLY;BYMONTHDAY=0',
    'RRULE:FREQ=YEARLY;BYMONTH=13',
    'RRULE:FREQ=MONTHLY;BYDAY=60MO',
    'RRULE:FREQ=DAILY;INTERVAL=0',
    'RRULE:FREQ=DAILY;COUNT=-1',
    'RRULE:FREQ=DAILY;UNTIL=tomorrow',
    'RRULE:FREQ=FORTNIGHTLY',
  ])('keeps only the first occurrence of the unreadable %s, with a warning', (rule) => {
    const r = translate([['DTSTART:20240101T090000Z', 'DURATION:PT30M', rule]]);
    expect(r.units).toHaveLength(1);
    expect(r.units[0]?.event.rrule).toBeUndefined();
    expect(codes(r)).toContain('unsupported');
  });
});

describe('occurrences stay at the same local time across DST', () => {
  const cases: [string, string, string, string, string][] = [
    // zone, first day, horizon, winter UTC start, summer UTC start
    [
      'America/New_York',
      '20240305T090000',
      '2024-03-05/2024-03-14',
      '2024-03-09T14:00:00Z',
      '2024-03-10T13:00:00Z',
    ],
    [
      'Europe/Berlin',
      '20240326T090000',
      '2024-03-26/2024-04-03',
      '2024-03-30T08:00:00Z',
      '2024-03-31T07:00:00Z',
    ],
    // Lord Howe shifts by 30 minutes: +10:30 → +11 on 2024-10-06.
    [
      'Australia/Lord_Howe',
      '20241001T090000',
      '2024-10-01/2024-10-09',
      '2024-10-04T22:30:00Z',
      '2024-10-05T22:00:00Z',
    ],
  ];
  it.each(cases)('%s', (zone, first, range, before, after) => {
    const [from, to] = range.split('/') as [string, string];
    const r = translate([weekly(zone, first)], {
      horizon: { from: new Date(`${from}T00:00:00Z`), to: new Date(`${to}T00:00:00Z`) },
    });
    const starts = r.units.map((u) => u.event.time.start_at);
    expect(starts).toContain(before);
    expect(starts).toContain(after);
    const local = r.units.map((u) =>
      new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit' }).format(
        new Date(u.event.time.start_at),
      ),
    );
    expect(new Set(local)).toEqual(new Set(['09:00']));
  });

  it('expands a weekly 09:00 Berlin meeting across the autumn change', () => {
    const r = translate(
      [
        [
          'DTSTART;TZID=Europe/Berlin:20241021T090000',
          'DURATION:PT1H',
          'RRULE:FREQ=WEEKLY;BYDAY=MO;BYSETPOS=1',
        ],
      ],
      { horizon: { from: new Date('2024-10-20T00:00:00Z'), to: new Date('2024-11-05T00:00:00Z') } },
    );
    expect(r.units.map((u) => u.event.time.start_at)).toEqual([
      '2024-10-21T07:00:00Z',
      '2024-10-28T08:00:00Z',
      '2024-11-04T08:00:00Z',
    ]);
  });

  it('keeps FREQ=YEARLY from Feb 29 to leap years', () => {
    const r = translate(
      [['DTSTART;TZID=Europe/Berlin:20240229T090000', 'DURATION:PT1H', 'RRULE:FREQ=YEARLY;BYHOUR=9']],
      {
        horizon: { from: new Date('2024-01-01T00:00:00Z'), to: new Date('2031-01-01T00:00:00Z') },
      },
    );
    expect(r.units.map((u) => u.unitKey)).toEqual(['20240229T080000Z', '20280229T080000Z']);
  });

  it('expands a leap-day yearly rule only on Feb 29', () => {
    const r = translate(
      [['DTSTART;VALUE=DATE:20200229', 'RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYYEARDAY=60']],
      { horizon: { from: new Date('2020-01-01T00:00:00Z'), to: new Date('2029-01-01T00:00:00Z') } },
    );
    expect(r.units.map((u) => u.unitKey)).toEqual([
      '20200229T000000Z',
      '20240229T000000Z',
      '20280229T000000Z',
    ]);
  });
});
