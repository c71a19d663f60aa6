// Kakao event → VEVENT (render) → translateEvent → Kakao event is the identity on every field both
// sides represent: title, time (grid instants, zone, all-day), rrule, reminders, colour, location
// (name, address, coordinates) and description.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventCreate, EventDetail } from '../../../src/kakao/types.js';
import { kakaoColorNames } from '../../../src/kakao/types.js';
import { translateEvent } from '../../../src/translate/event.js';
import { kakaoEventToVevents } from '../../../src/translate/kakao-to-ical.js';
import { defaultLimits } from '../../../src/translate/limits.js';
import { isAmbiguousWallTime, renderVevents, writesInUtc } from '../../../src/translate/render-vevents.js';

const zones = ['Asia/Seoul', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Sydney'];
const base = Date.UTC(2026, 0, 1);
const day = 86_400_000;
const iso = (ms: number): string => new Date(ms).toISOString().replace('.000', '');

const word = fc.stringMatching(/^[A-Za-z0-9가-힣][A-Za-z0-9가-힣.!?'-]{0,7}$/);
const words = (max: number) => fc.array(word, { minLength: 1, maxLength: max }).map((w) => w.join(' '));

const timed = fc
  .record({
    slot: fc.integer({ min: 0, max: (730 * day) / 300_000 }),
    length: fc.integer({ min: 1, max: 600 }),
    zone: fc.constantFrom(...zones),
  })
  .map(({ slot, length, zone }) => ({
    start_at: iso(base + slot * 300_000),
    end_at: iso(base + slot * 300_000 + length * 300_000),
    time_zone: zone,
    all_day: false,
  }));

// Around the 2026 autumn change in New York and Berlin (the repeated hour), where TZID times are ambiguous.
const nearFallBack = fc
  .record({
    around: fc.constantFrom(Date.UTC(2026, 10, 1, 6), Date.UTC(2026, 9, 25, 1)),
    offset: fc.integer({ min: -36, max: 36 }),
    length: fc.integer({ min: 1, max: 24 }),
  })
  .map(({ around, offset, length }) => ({
    start_at: iso(around + offset * 300_000),
    end_at: iso(around + (offset + length) * 300_000),
    time_zone: around === Date.UTC(2026, 10, 1, 6) ? 'America/New_York' : 'Europe/Berlin',
    all_day: false,
  }));

const allDay = fc
  .record({
    d: fc.integer({ min: 0, max: 730 }),
    days: fc.integer({ min: 1, max: 5 }),
    zone: fc.constantFrom(...zones),
  })
  .map(({ d, days, zone }) => ({
    start_at: iso(base + d * day),
    end_at: iso(base + (d + days) * day),
    time_zone: zone,
    all_day: true,
  }));

const rrule = fc.option(
  fc.oneof(
    fc.integer({ min: 1, max: 3 }).map((n) => `FREQ=DAILY;INTERVAL=${n}`),
    fc.constantFrom('MO', 'TU,TH', 'SA,SU').map((d) => `FREQ=WEEKLY;BYDAY=${d}`),
    fc.integer({ min: 1, max: 28 }).map((n) => `FREQ=MONTHLY;BYMONTHDAY=${n};COUNT=12`),
    fc.constant('FREQ=YEARLY;COUNT=5'),
    fc.integer({ min: 800, max: 1000 }).map(
      (d) =>
        `FREQ=WEEKLY;UNTIL=${iso(base + d * day)
          .slice(0, 10)
          .replaceAll('-', '')}T000000Z`,
    ),
  ),
  { nil: undefined },
);

function reminders(isAllDay: boolean) {
  const min = isAllDay ? -1430 / 5 : 0;
  return fc
    .uniqueArray(fc.integer({ min, max: 43200 / 5 }), { maxLength: 2 })
    .map((r) => r.map((x) => x * 5).sort((a, b) => a - b));
}

const coordinate = (max: number) =>
  fc.integer({ min: -max * 10_000, max: max * 10_000 }).map((k) => k / 10_000);

const location = fc.option(
  fc.record(
    {
      name: words(4),
      address: words(5),
      latitude: coordinate(90),
      longitude: coordinate(180),
    },
    { requiredKeys: ['name'] },
  ),
  { nil: undefined },
);

const eventCreate: fc.Arbitrary<EventCreate> = fc.boolean().chain((isAllDay) =>
  fc
    .record({
      title: words(5).filter((t) => t.length <= 50),
      time: isAllDay
        ? allDay
        : fc.oneof({ arbitrary: timed, weight: 4 }, { arbitrary: nearFallBack, weight: 1 }),
      rrule,
      description: fc.option(words(20), { nil: undefined }),
      location,
      reminders: reminders(isAllDay),
      color: fc.option(fc.constantFrom(...kakaoColorNames), { nil: undefined }),
    })
    .map((e) => {
      const out: EventCreate = { title: e.title, time: e.time, reminders: e.reminders };
      if (e.rrule) out.rrule = e.rrule;
      if (e.description) out.description = e.description;
      if (e.color) out.color = e.color;
      if (e.location) {
        // Coordinates travel as GEO, which holds both or neither.
        const { latitude, longitude, ...rest } = e.location;
        out.location =
          latitude !== undefined && longitude !== undefined ? { ...rest, latitude, longitude } : rest;
      }
      return out;
    }),
);

function canonical(e: EventCreate): EventCreate {
  const out: EventCreate = {
    ...e,
    time: { ...e.time },
    reminders: [...(e.reminders ?? [])].sort((a, b) => a - b),
  };
  // A DATE value has no zone: an all-day event's time_zone is not represented in iCalendar.
  if (out.time.all_day) delete out.time.time_zone;
  for (const key of Object.keys(out) as (keyof EventCreate)[]) if (out[key] === undefined) delete out[key];
  return out;
}

describe('Kakao event → iCalendar → Kakao event', () => {
  it('is the identity on the fields both sides represent', () => {
    fc.assert(
      fc.property(eventCreate, (create) => {
        const detail: EventDetail = {
          ...create,
          id: 'e1',
          type: 'USER',
          calendar_id: 'primary',
          is_host: true,
          ...(create.rrule ? { dt_start: create.time.start_at, is_recur_event: true } : {}),
        };
        const horizon = { from: new Date(base - 30 * day), to: new Date(base + 800 * day) };
        const specs = kakaoEventToVevents(detail, { horizon, zone: 'Asia/Seoul', otherApps: 'busy' });
        // A series whose first start is the second of two equal wall times (the repeated hour) cannot
        // be written with a TZID, and a UTC DTSTART would change its wall-time recurrence: documented
        // limitation, left out here.
        const spec = specs[0]!;
        fc.pre(!(spec.rrule && isAmbiguousWallTime(spec.start, spec.zone)));
        const ics = renderVevents(specs, { now: new Date(base) });
        const back = translateEvent(
          { uid: specs[0]!.uid, kind: 'event', ics },
          {
            userTimeZone: 'Asia/Seoul',
            horizon,
            suppressDefaultReminders: true,
            now: new Date(base),
            limits: defaultLimits,
          },
        );
        expect(back.units).toHaveLength(1);
        expect(back.units[0]?.instances).toEqual([]);
        const got = canonical(back.units[0]!.event);
        const want = canonical(create);
        if (writesInUtc(specs[0]!)) {
          // The repeated hour is written in UTC (a TZID cannot name it): the instants survive, not the zone.
          delete got.time.time_zone;
          delete want.time.time_zone;
        }
        expect(got).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });
});
