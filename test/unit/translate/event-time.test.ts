import { describe, expect, it } from 'vitest';
import { codes, mainEvent, translate } from './event-helpers.js';

describe('timed events', () => {
  it('reads a TZID wall time and reports UTC plus the IANA zone', () => {
    const e = mainEvent([
      ['SUMMARY:x', 'DTSTART;TZID=Europe/Berlin:20240115T090000', 'DTEND;TZID=Europe/Berlin:20240115T100000'],
    ]);
    expect(e.time).toEqual({
      start_at: '2024-01-15T08:00:00Z',
      end_at: '2024-01-15T09:00:00Z',
      time_zone: 'Europe/Berlin',
      all_day: false,
    });
  });

  it('takes UTC values as they are', () => {
    const e = mainEvent([['DTSTART:20240115T090000Z', 'DTEND:20240115T093000Z']]);
    expect(e.time.start_at).toBe('2024-01-15T09:00:00Z');
    expect(e.time.end_at).toBe('2024-01-15T09:30:00Z');
    expect(e.time.time_zone).toBe('UTC');
  });

  it('reads floating times in the user zone', () => {
    const seoul = mainEvent([['DTSTART:20240115T090000', 'DTEND:20240115T100000']], {
      userTimeZone: 'Asia/Seoul',
    });
    expect(seoul.time.start_at).toBe('2024-01-15T00:00:00Z');
    expect(seoul.time.time_zone).toBe('Asia/Seoul');
    const ny = mainEvent([['DTSTART:20240115T090000', 'DTEND:20240115T100000']], {
      userTimeZone: 'America/New_York',
    });
    expect(ny.time.start_at).toBe('2024-01-15T14:00:00Z');
  });

  it('computes DURATION with nominal days and exact hours', () => {
    // 2024-03-09 12:00 New York + P1D crosses the DST start: still 12:00 local the next day.
    const e = mainEvent([['DTSTART;TZID=America/New_York:20240309T120000', 'DURATION:P1DT1H']]);
    expect(e.time.start_at).toBe('2024-03-09T17:00:00Z');
    expect(e.time.end_at).toBe('2024-03-10T17:00:00Z');
  });

  it('honours a DTEND in another zone than DTSTART', () => {
    const e = mainEvent([
      [
        'DTSTART;TZID="(UTC-05:00) Eastern Time (US and Canada)":20150706T120000',
        'DTEND;TZID=America/Los_Angeles:20150706T130000',
      ],
    ]);
    expect(e.time.start_at).toBe('2015-07-06T16:00:00Z');
    expect(e.time.end_at).toBe('2015-07-06T20:00:00Z');
    expect(e.time.time_zone).toBe('America/New_York');
  });
});

describe('time zone names', () => {
  it.each([
    ['Korea Standard Time', 'Asia/Seoul', '2024-01-15T00:00:00Z'],
    ['W. Europe Standard Time', 'Europe/Berlin', '2024-01-15T08:00:00Z'],
    ['Eastern Standard Time', 'America/New_York', '2024-01-15T14:00:00Z'],
    ['(UTC-05:00) Eastern Time (US & Canada)', 'America/New_York', '2024-01-15T14:00:00Z'],
    // The first listed city that names an IANA zone of that offset.
    [
      '(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna',
      'Europe/Amsterdam',
      '2024-01-15T08:00:00Z',
    ],
    ['/mozilla.org/20050126_1/Europe/Berlin', 'Europe/Berlin', '2024-01-15T08:00:00Z'],
  ])('%s → %s', (tzid, zone, startAt) => {
    const e = mainEvent([[`DTSTART;TZID="${tzid}":20240115T090000`, `DTEND;TZID="${tzid}":20240115T100000`]]);
    expect(e.time.time_zone).toBe(zone);
    expect(e.time.start_at).toBe(startAt);
    expect(codes(e.result)).not.toContain('unknown-timezone');
  });

  const customBlock = (tzid: string, standardRule: string) => [
    'BEGIN:VTIMEZONE',
    `TZID:${tzid}`,
    'BEGIN:STANDARD',
    'DTSTART:16010101T030000',
    'TZOFFSETFROM:+0200',
    'TZOFFSETTO:+0100',
    `RRULE:${standardRule}`,
    'END:STANDARD',
    'BEGIN:DAYLIGHT',
    'DTSTART:16010101T020000',
    'TZOFFSETFROM:+0100',
    'TZOFFSETTO:+0200',
    'RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3',
    'END:DAYLIGHT',
    'END:VTIMEZONE',
  ];

  it('matches a custom VTIMEZONE to the IANA zone with the same rules', () => {
    const e = mainEvent(
      [['DTSTART;TZID=My Office Zone:20240715T090000', 'DTEND;TZID=My Office Zone:20240715T100000']],
      {},
      customBlock('My Office Zone', 'FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10'),
    );
    expect(e.time.start_at).toBe('2024-07-15T07:00:00Z');
    expect(['Europe/Berlin', 'Africa/Ceuta', 'Europe/Amsterdam']).toContain(e.time.time_zone);
    expect(codes(e.result)).not.toContain('unknown-timezone');
  });

  it('matches a Windows-projected VTIMEZONE in the event year (Brasília 2017)', () => {
    // Windows writes today's rule (2nd Saturday 23:59:59 of October) for every year; in 2016 Brazil
    // changed a week later, in 2017 on the same night.
    const block = [
      'BEGIN:VTIMEZONE',
      'TZID:(UTC-03:00) Brasília',
      'BEGIN:STANDARD',
      'DTSTART:16010101T235959',
      'TZOFFSETFROM:-0200',
      'TZOFFSETTO:-0300',
      'RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=3SA;BYMONTH=2',
      'END:STANDARD',
      'BEGIN:DAYLIGHT',
      'DTSTART:16010101T235959',
      'TZOFFSETFROM:-0300',
      'TZOFFSETTO:-0200',
      'RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=2SA;BYMONTH=10',
      'END:DAYLIGHT',
      'END:VTIMEZONE',
    ];
    const e = mainEvent(
      [
        [
          'DTSTART;TZID="(UTC-03:00) Brasília":20170511T133000',
          'DTEND;TZID="(UTC-03:00) Brasília":20170511T140000',
        ],
      ],
      {},
      block,
    );
    expect(e.time).toMatchObject({ start_at: '2017-05-11T16:30:00Z', time_zone: 'America/Sao_Paulo' });
    expect(codes(e.result)).not.toContain('unknown-timezone');
  });

  it('uses the rules of a VTIMEZONE no IANA zone matches, with a warning', () => {
    // DST ends on the 4th Sunday of October: 2024-10-27 is the last Sunday, the 4th is 2024-10-27 too,
    // but in 2023 the 4th Sunday is 10-22 and the last 10-29.
    const block = customBlock('Customized Time Zone', 'FREQ=YEARLY;INTERVAL=1;BYDAY=4SU;BYMONTH=10');
    const e = mainEvent(
      [
        [
          'DTSTART;TZID=Customized Time Zone:20231025T090000',
          'DTEND;TZID=Customized Time Zone:20231025T100000',
        ],
      ],
      {},
      block,
    );
    // On 2023-10-25 the custom zone is already back on +01:00 (Berlin still +02:00).
    expect(e.time.start_at).toBe('2023-10-25T08:00:00Z');
    expect(e.time.time_zone).toBe('Etc/GMT-1');
    expect(codes(e.result)).toContain('unknown-timezone');
  });

  it('expands a series in a VTIMEZONE no IANA zone matches, on its own rules', () => {
    const block = customBlock('Customized Time Zone', 'FREQ=YEARLY;INTERVAL=1;BYDAY=4SU;BYMONTH=10');
    const r = translate(
      [['DTSTART;TZID=Customized Time Zone:20231016T090000', 'DURATION:PT1H', 'RRULE:FREQ=WEEKLY;COUNT=3']],
      { horizon: { from: new Date('2023-10-01T00:00:00Z'), to: new Date('2023-11-30T00:00:00Z') } },
      block,
    );
    expect(codes(r)).toContain('recurrence-expanded');
    // The custom zone leaves DST on 2023-10-22 (4th Sunday), a week before Europe's last Sunday.
    expect(r.units.map((u) => u.event.time.start_at)).toEqual([
      '2023-10-16T07:00:00Z',
      '2023-10-23T08:00:00Z',
      '2023-10-30T08:00:00Z',
    ]);
  });

  it('reads an unknown zone in the user zone with a warning', () => {
    const e = mainEvent([
      ['DTSTART;TZID=Nowhere/Special:20240115T090000', 'DTEND;TZID=Nowhere/Special:20240115T100000'],
    ]);
    expect(e.time.time_zone).toBe('Asia/Seoul');
    expect(e.time.start_at).toBe('2024-01-15T00:00:00Z');
    expect(codes(e.result)).toContain('unknown-timezone');
  });
});

describe('DST gaps and overlaps (RFC 5545 §3.3.5)', () => {
  it.each([
    // A nonexistent local time moves forward by the gap.
    ['America/New_York', '20240310T023000', '2024-03-10T07:30:00Z'],
    ['Europe/Berlin', '20240331T023000', '2024-03-31T01:30:00Z'],
    ['Australia/Lord_Howe', '20241006T021500', '2024-10-05T15:45:00Z'],
    // An ambiguous local time takes its first occurrence.
    ['America/New_York', '20241103T013000', '2024-11-03T05:30:00Z'],
    ['Europe/Berlin', '20241027T023000', '2024-10-27T00:30:00Z'],
    ['Australia/Lord_Howe', '20240407T014500', '2024-04-06T14:45:00Z'],
  ])('%s %s → %s', (zone, wall, utc) => {
    const e = mainEvent([[`DTSTART;TZID=${zone}:${wall}`, 'DURATION:PT30M']]);
    expect(e.time.start_at).toBe(utc);
  });
});

describe('5-minute grid', () => {
  it('rounds start down and end up, keeping exact times and warning', () => {
    const r = translate([['DTSTART:20240115T090212Z', 'DTEND:20240115T095801Z']]);
    expect(r.units[0]?.event.time.start_at).toBe('2024-01-15T09:00:00Z');
    expect(r.units[0]?.event.time.end_at).toBe('2024-01-15T10:00:00Z');
    expect(r.exactTimes.main).toEqual({ start: '2024-01-15T09:02:12Z', end: '2024-01-15T09:58:01Z' });
    expect(codes(r)).toContain('rounded-to-grid');
  });

  it('does not warn for times on the grid', () => {
    const r = translate([['DTSTART:20240115T090000Z', 'DTEND:20240115T095500Z']]);
    expect(codes(r)).not.toContain('rounded-to-grid');
  });

  it('makes a DTSTART-only date-time event 5 minutes long with a warning', () => {
    const r = translate([['DTSTART:20240115T090000Z']]);
    expect(r.units[0]?.event.time.end_at).toBe('2024-01-15T09:05:00Z');
    expect(r.exactTimes.main).toEqual({ start: '2024-01-15T09:00:00Z', end: '2024-01-15T09:00:00Z' });
    expect(codes(r)).toContain('rounded-to-grid');
  });

  it('never produces a zero-length event from a sub-grid span', () => {
    const r = translate([['DTSTART:20240115T090100Z', 'DTEND:20240115T090200Z']]);
    expect(r.units[0]?.event.time).toMatchObject({
      start_at: '2024-01-15T09:00:00Z',
      end_at: '2024-01-15T09:05:00Z',
    });
  });
});

describe('all-day events', () => {
  it('maps a one-day DATE event to an exclusive 00:00Z span', () => {
    const e = mainEvent([['DTSTART;VALUE=DATE:20221027', 'DTEND;VALUE=DATE:20221028']]);
    expect(e.time).toEqual({
      start_at: '2022-10-27T00:00:00Z',
      end_at: '2022-10-28T00:00:00Z',
      time_zone: 'Asia/Seoul',
      all_day: true,
    });
  });

  it('keeps multi-day spans (DTEND exclusive)', () => {
    const e = mainEvent([['DTSTART;VALUE=DATE:20240228', 'DTEND;VALUE=DATE:20240302']]);
    expect(e.time.start_at).toBe('2024-02-28T00:00:00Z');
    expect(e.time.end_at).toBe('2024-03-02T00:00:00Z');
  });

  it('defaults a DTSTART-only DATE to one day', () => {
    const e = mainEvent([['DTSTART;VALUE=DATE:20240229']]);
    expect(e.time.end_at).toBe('2024-03-01T00:00:00Z');
  });

  it('reads DURATION in days', () => {
    const e = mainEvent([['DTSTART;VALUE=DATE:20240101', 'DURATION:P3D']]);
    expect(e.time.end_at).toBe('2024-01-04T00:00:00Z');
  });

  it('ignores a TZID on a DATE', () => {
    const e = mainEvent([
      [
        'DTSTART;TZID=America/New_York;VALUE=DATE:20240105',
        'DTEND;TZID=America/New_York;VALUE=DATE:20240106',
      ],
    ]);
    expect(e.time).toMatchObject({
      start_at: '2024-01-05T00:00:00Z',
      end_at: '2024-01-06T00:00:00Z',
      all_day: true,
    });
  });

  it('repairs an end before the start to one day', () => {
    const e = mainEvent([['DTSTART;VALUE=DATE:20240105', 'DTEND;VALUE=DATE:20240105']]);
    expect(e.time.end_at).toBe('2024-01-06T00:00:00Z');
  });

  it('reads VALUE=DATE with a date-time value as the date-time it is', () => {
    const r = translate([['DTSTART;VALUE=DATE:20110804T120000', 'DTEND;VALUE=DATE:20110804T120000']], {
      userTimeZone: 'Europe/Berlin',
    });
    expect(r.units[0]?.event.time).toMatchObject({
      start_at: '2011-08-04T10:00:00Z',
      end_at: '2011-08-04T10:05:00Z',
      all_day: false,
    });
  });
});

describe('absurd values', () => {
  it('ends an event with a huge DURATION within four-digit years', () => {
    const timed = mainEvent([['DTSTART:20240101T090000Z', 'DURATION:P99999999D']]);
    expect(timed.time.end_at).toBe('9999-12-31T00:00:00Z');
    const allDay = mainEvent([['DTSTART;VALUE=DATE:99991225', 'DURATION:P9D']]);
    expect(allDay.time.end_at).toBe('9999-12-31T00:00:00Z');
  });

  it('reports an all-day event on the last representable day as invalid', () => {
    const r = translate([['DTSTART;VALUE=DATE:99991231']]);
    expect(r.units).toEqual([]);
    expect(codes(r)).toContain('invalid-item');
  });
});

describe('unusable items', () => {
  it('reports a VEVENT without DTSTART as invalid-item', () => {
    const r = translate([['SUMMARY:no start']]);
    expect(r.units).toEqual([]);
    expect(codes(r)).toContain('invalid-item');
  });

  it('reports an unreadable DTSTART as invalid-item', () => {
    const r = translate([['DTSTART:2024-13-45']]);
    expect(r.units).toEqual([]);
    expect(codes(r)).toContain('invalid-item');
  });

  it('produces no unit for a cancelled event', () => {
    const r = translate([['DTSTART:20240115T090000Z', 'STATUS:CANCELLED']]);
    expect(r.units).toEqual([]);
  });
});
