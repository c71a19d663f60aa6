import { describe, expect, it } from 'vitest';
import { readLines } from '../../../src/ics/content-lines.js';
import type { EventBrief, EventDetail } from '../../../src/kakao/types.js';
import { translateEvent } from '../../../src/translate/event.js';
import {
  expandMaster,
  kakaoEventToVevents,
  UnreadableKakaoEventError,
} from '../../../src/translate/kakao-to-ical.js';
import { defaultLimits } from '../../../src/translate/limits.js';
import { renderVevents } from '../../../src/translate/render-vevents.js';

const horizon = { from: new Date('2026-05-01T00:00:00Z'), to: new Date('2026-07-01T00:00:00Z') };
const opts = { horizon, zone: 'Asia/Seoul', otherApps: 'busy' as const };
const now = new Date('2026-05-01T00:00:00Z');

const master: EventDetail = {
  id: 'ev1',
  title: 'Standup',
  type: 'USER',
  calendar_id: 'primary',
  is_host: true,
  is_recur_event: true,
  time: { start_at: '2026-05-04T00:00:00Z', end_at: '2026-05-04T00:30:00Z', time_zone: 'Europe/Berlin' },
  rrule: 'FREQ=WEEKLY;BYDAY=MO;UNTIL=20260630T000000Z',
  dt_start: '2026-05-04T00:00:00Z',
  reminders: [15, 0],
  color: 'RED',
  location: { name: 'Kakao', address: 'Pangyo', latitude: 37.3, longitude: 127.1 },
  description: 'Daily; really',
};

function instance(start: string, title = 'Standup', movedTo?: string): EventBrief {
  const s = movedTo ?? start;
  const end = new Date(Date.parse(s) + 30 * 60_000).toISOString().replace('.000', '');
  return {
    id: `ev1_${start.replace(/[-:]/g, '')}`,
    title,
    time: { start_at: s, end_at: end, time_zone: 'Europe/Berlin' },
  };
}

const mondays = ['05-04', '05-11', '05-18', '05-25', '06-01', '06-08', '06-15', '06-22', '06-29'].map(
  (d) => `2026-${d}T00:00:00Z`,
);

const lines = (text: string): string[] => readLines(text).map((l) => l.unfolded);

describe('kakaoEventToVevents', () => {
  it('maps a single timed event field by field', () => {
    const [spec] = kakaoEventToVevents(
      { ...master, rrule: undefined, dt_start: undefined, is_recur_event: false },
      opts,
    );
    expect(spec?.uid).toBe('ev1@talkcal-sync');
    expect(spec?.summary).toBe('Standup');
    expect(spec?.zone).toBe('Europe/Berlin');
    expect(spec?.start.toISO()).toBe('2026-05-04T02:00:00.000+02:00');
    expect(spec?.end.toISO()).toBe('2026-05-04T02:30:00.000+02:00');
    expect(spec?.allDay).toBe(false);
    expect(spec?.color).toEqual({ kakao: 'RED', hex: '#D42726' });
    expect(spec?.alarms.map((a) => a.trigger)).toEqual([
      { related: 'START', offsetSeconds: -900 },
      { related: 'START', offsetSeconds: -0 },
    ]);
    expect(spec?.rrule).toBeUndefined();
  });

  it('reads all-day times as dates in the event zone', () => {
    const [spec] = kakaoEventToVevents(
      {
        id: 'a',
        title: 'Holiday',
        time: { start_at: '2026-05-05T00:00:00Z', end_at: '2026-05-07T00:00:00Z', all_day: true },
      },
      opts,
    );
    expect(spec?.allDay).toBe(true);
    expect(spec?.start.toISODate()).toBe('2026-05-05');
    expect(spec?.end.toISODate()).toBe('2026-05-07');
    expect(spec?.zone).toBe('Asia/Seoul');
  });

  it('turns missing instances into EXDATEs and changed ones into overrides', () => {
    const listed = mondays
      .filter((d) => !d.startsWith('2026-05-11'))
      .map((d) => (d.startsWith('2026-05-18') ? instance(d, 'Moved', '2026-05-18T01:00:00Z') : instance(d)));
    listed.push(instance('2026-06-08T00:00:00Z', 'Renamed'));
    const [spec] = kakaoEventToVevents(master, { ...opts, instances: listed });
    expect(spec?.rrule).toBe('FREQ=WEEKLY;BYDAY=MO;UNTIL=20260630T000000Z');
    expect(spec?.exdates.map((d) => d.toISO())).toEqual(['2026-05-11T02:00:00.000+02:00']);
    expect(spec?.overrides.map((o) => [o.recurrenceId.toISO(), o.summary, o.start.toISO()])).toEqual([
      ['2026-05-18T02:00:00.000+02:00', 'Moved', '2026-05-18T03:00:00.000+02:00'],
      ['2026-06-08T02:00:00.000+02:00', 'Renamed', '2026-06-08T02:00:00.000+02:00'],
    ]);
  });

  it('expands a master across a DST change on wall time', () => {
    const [spec] = kakaoEventToVevents(
      { ...master, time: { ...master.time }, dt_start: '2026-03-02T01:00:00Z', rrule: 'FREQ=WEEKLY;COUNT=6' },
      opts,
    );
    const starts = expandMaster(spec!, {
      from: new Date('2026-03-01T00:00:00Z'),
      to: new Date('2026-04-10T00:00:00Z'),
    });
    expect(starts.map((s) => s.toFormat('MM-dd HH:mm'))).toEqual([
      '03-02 02:00',
      '03-09 02:00',
      '03-16 02:00',
      '03-23 02:00',
      '03-30 02:00',
      '04-06 02:00',
    ]);
    expect(starts[4]?.offset).toBe(120);
  });

  it("makes other apps' events busy blocks or hides them", () => {
    const other: EventBrief = { time: { start_at: '2026-05-07T03:00:00Z', end_at: '2026-05-07T04:00:00Z' } };
    const [busy] = kakaoEventToVevents(other, opts);
    expect(busy?.summary).toBe('Busy');
    expect(busy?.busy).toBe(true);
    expect(busy?.uid).toBe('busy-20260507T030000Z-20260507T040000Z@talkcal-sync');
    expect(kakaoEventToVevents(other, { ...opts, otherApps: 'hide' })).toEqual([]);
  });

  it('expands a lunar event into one marked VEVENT per occurrence', () => {
    const specs = kakaoEventToVevents(
      {
        id: 'ev3',
        title: 'Seollal',
        type: 'USER',
        calendar_id: 'p',
        is_host: true,
        time: {
          start_at: '2025-01-29T00:00:00Z',
          end_at: '2025-01-30T00:00:00Z',
          all_day: true,
          lunar: true,
        },
        rrule: 'FREQ=YEARLY',
      },
      { ...opts, horizon: { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2027-12-31T00:00:00Z') } },
    );
    expect(specs.map((s) => [s.uid, s.start.toISODate(), s.end.toISODate(), s.lunar, s.rrule])).toEqual([
      ['ev3-lunar-20260217@talkcal-sync', '2026-02-17', '2026-02-18', true, undefined],
      ['ev3-lunar-20270207@talkcal-sync', '2027-02-07', '2027-02-08', true, undefined],
    ]);
  });
});

describe('renderVevents', () => {
  const listed = mondays
    .filter((d) => !d.startsWith('2026-05-11'))
    .map((d) => (d.startsWith('2026-05-18') ? instance(d, 'Moved', '2026-05-18T01:00:00Z') : instance(d)));
  const specs = [
    ...kakaoEventToVevents(master, { ...opts, instances: listed }),
    ...kakaoEventToVevents(
      {
        id: 'a',
        title: 'Holiday',
        time: { start_at: '2026-05-05T00:00:00Z', end_at: '2026-05-06T00:00:00Z', all_day: true },
      },
      opts,
    ).map((s) => ({
      ...s,
      alarms: [{ action: 'DISPLAY' as const, trigger: { related: 'START' as const, offsetSeconds: 32400 } }],
    })),
    ...kakaoEventToVevents(
      { time: { start_at: '2026-05-07T03:00:00Z', end_at: '2026-05-07T04:00:00Z' } },
      opts,
    ),
  ];
  const text = renderVevents(specs, { now, name: 'Talk Calendar' });
  const l = lines(text);

  it('writes zoned times with a VTIMEZONE for each zone used', () => {
    expect(l).toContain('DTSTART;TZID=Europe/Berlin:20260504T020000');
    expect(l).toContain('TZID:Europe/Berlin');
    expect(l).toContain('TZID:Asia/Seoul');
    expect(l).toContain('TZOFFSETTO:+0200');
  });

  it('writes RRULE, EXDATE in the event zone, and the override', () => {
    expect(l).toContain('RRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20260630T000000Z');
    expect(l).toContain('EXDATE;TZID=Europe/Berlin:20260511T020000');
    expect(l).toContain('RECURRENCE-ID;TZID=Europe/Berlin:20260518T020000');
    expect(l).toContain('SUMMARY:Moved');
  });

  it('writes alarms, colour, location, geo and description', () => {
    expect(l).toContain('TRIGGER;RELATED=START:-PT15M');
    expect(l).toContain('X-TALKCAL-COLOR:RED');
    expect(l).toContain('LOCATION:Kakao\\, Pangyo');
    expect(l).toContain('GEO:37.3;127.1');
    expect(l).toContain('DESCRIPTION:Daily\\; really');
  });

  it('writes an all-day alarm after midnight relative to the start, not the end', () => {
    expect(l).toContain('DTSTART;VALUE=DATE:20260505');
    expect(l).toContain('TRIGGER;RELATED=START:PT9H');
  });

  it('writes busy blocks as opaque private events', () => {
    const busyAt = l.indexOf('SUMMARY:Busy');
    expect(busyAt).toBeGreaterThan(0);
    expect(l).toContain('TRANSP:OPAQUE');
    expect(l).toContain('CLASS:PRIVATE');
  });
});

describe('a new CalDAV object (renderVevents, the one writer of this direction)', () => {
  it('holds the VTIMEZONE, the UID, the TZID start and the alarms', () => {
    const [spec] = kakaoEventToVevents(master, {
      ...opts,
      instances: mondays.map((d) => instance(d)),
    });
    const l = lines(renderVevents([spec!], { now }));
    expect(l).toContain('BEGIN:VTIMEZONE');
    expect(l).toContain('UID:ev1@talkcal-sync');
    expect(l).toContain('DTSTART;TZID=Europe/Berlin:20260504T020000');
    expect(l.some((x) => x.startsWith('DURATION'))).toBe(false);
    expect(l.some((x) => x.startsWith('EXDATE'))).toBe(false);
    expect(l.filter((x) => x.startsWith('TRIGGER'))).toEqual([
      'TRIGGER;RELATED=START:-PT15M',
      'TRIGGER;RELATED=START:PT0S',
    ]);
    expect(l).toContain('LOCATION:Kakao\\, Pangyo');
  });
});

describe('the repeated hour when clocks go back', () => {
  it('writes a single event in the second 01:30 in UTC so its instant survives', () => {
    const [spec] = kakaoEventToVevents(
      {
        id: 'e',
        title: 't',
        time: {
          start_at: '2026-11-01T06:30:00Z',
          end_at: '2026-11-01T07:00:00Z',
          time_zone: 'America/New_York',
        },
      },
      opts,
    );
    const l = lines(renderVevents([spec!], { now }));
    expect(l).toContain('DTSTART:20261101T063000Z');
    expect(l).toContain('DTEND:20261101T070000Z');
  });

  it('keeps the TZID for the first 01:30', () => {
    const [spec] = kakaoEventToVevents(
      {
        id: 'e',
        title: 't',
        time: {
          start_at: '2026-11-01T05:30:00Z',
          end_at: '2026-11-01T05:45:00Z',
          time_zone: 'America/New_York',
        },
      },
      opts,
    );
    expect(lines(renderVevents([spec!], { now }))).toContain('DTSTART;TZID=America/New_York:20261101T013000');
  });
});

describe('what ical-generator cannot write on its own', () => {
  it('writes a series ending in the repeated hour with an exact DURATION', () => {
    const [spec] = kakaoEventToVevents(
      {
        id: 'e',
        title: 't',
        time: {
          start_at: '2026-11-01T05:55:00Z',
          end_at: '2026-11-01T06:05:00Z',
          time_zone: 'America/New_York',
        },
        rrule: 'FREQ=YEARLY;COUNT=3',
        dt_start: '2026-11-01T05:55:00Z',
      } as EventDetail,
      opts,
    );
    const l = lines(renderVevents([spec!], { now }));
    expect(l).toContain('DTSTART;TZID=America/New_York:20261101T015500');
    expect(l).toContain('DURATION:PT0H10M');
    expect(l.some((x) => x.startsWith('DTEND'))).toBe(false);
  });

  it('keeps coordinates on the equator or the prime meridian (ical-generator writes no GEO there)', () => {
    const [spec] = kakaoEventToVevents(
      {
        ...master,
        rrule: undefined,
        dt_start: undefined,
        location: { name: 'Greenwich', latitude: 51.4779, longitude: 0 },
      },
      opts,
    );
    const ics = renderVevents([spec!], { now });
    const l = lines(ics);
    expect(l.find((x) => x.startsWith('X-APPLE-STRUCTURED-LOCATION'))).toMatch(/:geo:51\.4779,0$/);
    const back = translateEvent(
      { uid: spec!.uid, kind: 'event', ics },
      {
        userTimeZone: 'Asia/Seoul',
        horizon,
        suppressDefaultReminders: false,
        now,
        limits: defaultLimits,
      },
    );
    expect(back.units[0]?.event.location).toEqual({ name: 'Greenwich', latitude: 51.4779, longitude: 0 });
  });
});

describe('hostile Kakao data', () => {
  it('refuses an unreadable time or rule with a typed error', () => {
    expect(() =>
      kakaoEventToVevents({ id: 'x', title: 't', time: { start_at: 'soon', end_at: 'later' } }, opts),
    ).toThrow(UnreadableKakaoEventError);
    expect(() => kakaoEventToVevents({ id: 'x', title: 't' } as unknown as EventBrief, opts)).toThrow(
      UnreadableKakaoEventError,
    );
    expect(() =>
      kakaoEventToVevents({ ...master, rrule: 'FREQ=NEVER;BYDAY=XX' }, { ...opts, instances: [] }),
    ).toThrow(UnreadableKakaoEventError);
  });
});

describe('overrides for write-back', () => {
  it('writes a moved instance as an override in the master zone', () => {
    const listed = mondays.map((d) =>
      d.startsWith('2026-05-18') ? instance(d, 'Moved', '2026-05-18T01:00:00Z') : instance(d),
    );
    const [spec] = kakaoEventToVevents(master, { ...opts, instances: listed });
    const l = lines(renderVevents([spec!], { now }));
    const begins = l.flatMap((x, i) => (x === 'BEGIN:VEVENT' ? [i] : []));
    const blocks = begins.map((at) => l.slice(at, l.indexOf('END:VEVENT', at)));
    const overrides = blocks.filter((b) => b.some((x) => x.startsWith('RECURRENCE-ID')));
    expect(overrides).toHaveLength(1);
    expect(overrides[0]).toEqual(
      expect.arrayContaining([
        'RECURRENCE-ID;TZID=Europe/Berlin:20260518T020000',
        'DTSTART;TZID=Europe/Berlin:20260518T030000',
        'DTEND;TZID=Europe/Berlin:20260518T033000',
        'SUMMARY:Moved',
      ]),
    );
  });
});
