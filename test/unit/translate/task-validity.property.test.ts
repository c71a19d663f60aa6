// Source → Kakao for to-dos: whatever VTODO a source holds (due dates as DATE, TZID, UTC or floating,
// past or future; alarms relative or absolute; rules with UNTIL in any form, COUNT, sub-daily
// frequencies, parts Kakao lacks; long or odd text; any STATUS and PRIORITY), translateTodo yields a
// "Create task" body the documented validation accepts on the day it is sent.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { validateTaskCreate } from '../../../src/kakao/validate.js';
import { defaultLimits } from '../../../src/translate/limits.js';
import { translateTodo } from '../../../src/translate/task.js';

const zones = ['Asia/Seoul', 'Europe/Berlin', 'America/New_York', 'Pacific/Auckland', 'Pacific/Kiritimati'];
const userZone = 'Asia/Seoul';

const two = (n: number) => String(n).padStart(2, '0');
const stamp = (d: DateTime) => d.toFormat("yyyyLLdd'T'HHmmss");

const text = fc
  .array(
    fc.oneof(
      fc.stringMatching(/^[A-Za-z0-9 ,;:.!?-]{1,20}$/),
      fc.constantFrom('회의', '분기 보고서 제출', '👨‍👩‍👧‍👦', '🇰🇷', 'é', '\\n', '\\,'),
    ),
    { minLength: 0, maxLength: 120 },
  )
  .map((parts) => parts.join(''));

/** A DUE (or DTSTART) property around the test's `now`, up to two years either side. */
const dueLine = fc
  .record({
    days: fc.integer({ min: -730, max: 730 }),
    minutes: fc.integer({ min: 0, max: 24 * 60 - 1 }),
    form: fc.constantFrom('date', 'tzid', 'utc', 'floating'),
    zone: fc.constantFrom(...zones),
  })
  .map(({ days, minutes, form, zone }) => {
    const base = DateTime.fromISO('2026-06-01T00:00:00', { zone }).plus({ days, minutes });
    switch (form) {
      case 'date':
        return { line: `VALUE=DATE:${base.toFormat('yyyyLLdd')}`, base };
      case 'tzid':
        return { line: `TZID=${zone}:${stamp(base)}`, base };
      case 'utc':
        return { line: `:${stamp(base.toUTC())}Z`, base };
      default:
        return { line: `:${stamp(base)}`, base };
    }
  });

const alarm = fc.oneof(
  fc.integer({ min: -3000, max: 3000 }).map((m) => {
    const sign = m < 0 ? '-' : '';
    const abs = Math.abs(m);
    return `TRIGGER:${sign}PT${Math.floor(abs / 60)}H${abs % 60}M`;
  }),
  fc
    .integer({ min: -2000, max: 2000 })
    .map((m) => `TRIGGER;RELATED=END:${m < 0 ? '-' : ''}PT${Math.abs(m)}M`),
  fc
    .integer({ min: -800 * 24 * 60, max: 800 * 24 * 60 })
    .map(
      (m) =>
        `TRIGGER;VALUE=DATE-TIME:${stamp(DateTime.fromISO('2026-06-01T00:00:00Z', { zone: 'UTC' }).plus({ minutes: m }))}Z`,
    ),
);

const untilPart = fc
  .record({ days: fc.integer({ min: -800, max: 900 }), form: fc.constantFrom('date', 'utc', 'local', 'bad') })
  .map(({ days, form }) => {
    const d = DateTime.fromISO('2026-06-01T12:34:56', { zone: 'UTC' }).plus({ days });
    if (form === 'date') return `UNTIL=${d.toFormat('yyyyLLdd')}`;
    if (form === 'utc') return `UNTIL=${stamp(d)}Z`;
    if (form === 'local') return `UNTIL=${stamp(d)}`;
    return 'UNTIL=soon';
  });

const rule = fc
  .record({
    freq: fc.constantFrom('DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY', 'HOURLY', 'MINUTELY'),
    interval: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
    end: fc.option(
      fc.oneof(
        untilPart,
        fc.integer({ min: 1, max: 30 }).map((n) => `COUNT=${n}`),
      ),
      {
        nil: undefined,
      },
    ),
    extra: fc.subarray(['BYDAY=MO,WE', 'BYMONTHDAY=31', 'BYSETPOS=-1', 'BYHOUR=9', 'WKST=SU']),
  })
  .map(({ freq, interval, end, extra }) =>
    [`FREQ=${freq}`, interval ? `INTERVAL=${interval}` : '', end ?? '', ...extra].filter(Boolean).join(';'),
  );

const vtodo = fc
  .record({
    summary: fc.option(text, { nil: undefined }),
    description: fc.option(text, { nil: undefined }),
    due: fc.option(dueLine, { nil: undefined }),
    useStart: fc.boolean(),
    alarms: fc.array(alarm, { maxLength: 3 }),
    rrule: fc.option(rule, { nil: undefined }),
    exdate: fc.boolean(),
    status: fc.constantFrom(undefined, 'NEEDS-ACTION', 'IN-PROCESS', 'COMPLETED', 'CANCELLED'),
    completedStamp: fc.boolean(),
    priority: fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }),
  })
  .map((t) => {
    const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'BEGIN:VTODO', 'UID:p', 'DTSTAMP:20260101T000000Z'];
    if (t.summary !== undefined) lines.push(`SUMMARY:${t.summary}`);
    if (t.description !== undefined) lines.push(`DESCRIPTION:${t.description}`);
    if (t.due) {
      if (t.useStart) lines.push(`DTSTART;${t.due.line}`.replace(';:', ':'), 'DURATION:PT1H');
      else lines.push(`DUE;${t.due.line}`.replace(';:', ':'));
    }
    if (t.rrule) lines.push(`RRULE:${t.rrule}`);
    if (t.rrule && t.exdate && t.due) lines.push(`EXDATE;${t.due.line}`.replace(';:', ':'));
    if (t.status) lines.push(`STATUS:${t.status}`);
    if (t.completedStamp) lines.push('COMPLETED:20260520T101500Z');
    if (t.priority !== undefined) lines.push(`PRIORITY:${t.priority}`);
    for (const trigger of t.alarms)
      lines.push('BEGIN:VALARM', 'ACTION:DISPLAY', 'DESCRIPTION:r', trigger, 'END:VALARM');
    lines.push('END:VTODO', 'END:VCALENDAR');
    return `${lines.join('\r\n')}\r\n`;
  });

describe('VTODO → Kakao task on generated to-dos', () => {
  it('produces only "Create task" bodies the Kakao validator accepts', () => {
    fc.assert(
      fc.property(vtodo, fc.integer({ min: 0, max: 23 }), (ics, hour) => {
        const now = new Date(`2026-06-01T${two(hour)}:17:00Z`);
        const result = translateTodo(
          { uid: 'p', kind: 'todo', ics },
          {
            userTimeZone: userZone,
            now,
            limits: defaultLimits,
          },
        );
        const zone = result.task.due_info?.time_zone ?? userZone;
        const today = DateTime.fromJSDate(now, { zone }).toFormat('yyyyLLdd');
        expect(validateTaskCreate(result.task, today), ics).toEqual([]);
        for (const w of result.warnings) expect(typeof w.message).toBe('string');
      }),
      { numRuns: 1500 },
    );
  });
});
