import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventCreate } from '../../../src/kakao/types.js';
import {
  isValidRrule,
  validateEventCreate,
  validateEventUpdate,
  validateTaskCreate,
  validateTaskUpdate,
} from '../../../src/kakao/validate.js';

const ok: EventCreate = {
  title: 'Standup',
  time: { start_at: '2024-03-04T01:00:00Z', end_at: '2024-03-04T01:30:00Z', time_zone: 'Asia/Seoul' },
};

const fields = (issues: { field: string }[]) => issues.map((i) => i.field);

describe('validateEventCreate', () => {
  it('accepts a documented event', () => {
    expect(
      validateEventCreate({ ...ok, reminders: [0, 43200], color: 'RED', rrule: 'FREQ=DAILY;COUNT=3' }),
    ).toEqual([]);
  });

  it.each([
    ['title over 50', { ...ok, title: 'x'.repeat(51) }, 'event.title'],
    ['missing title', { ...ok, title: undefined }, 'event.title'],
    ['description over 5000', { ...ok, description: 'd'.repeat(5001) }, 'event.description'],
    ['location name over 100', { ...ok, location: { name: 'l'.repeat(101) } }, 'event.location.name'],
    [
      'start off grid',
      { ...ok, time: { ...ok.time, start_at: '2024-03-04T01:03:00Z' } },
      'event.time.start_at',
    ],
    [
      'seconds off grid',
      { ...ok, time: { ...ok.time, end_at: '2024-03-04T01:30:10Z' } },
      'event.time.end_at',
    ],
    [
      'end before start',
      { ...ok, time: { ...ok.time, end_at: '2024-03-04T00:00:00Z' } },
      'event.time.end_at',
    ],
    [
      'all-day not at midnight',
      { ...ok, time: { start_at: '2024-03-04T15:00:00Z', end_at: '2024-03-05T15:00:00Z', all_day: true } },
      'event.time.start_at',
    ],
    ['three reminders', { ...ok, reminders: [5, 10, 15] }, 'event.reminders'],
    ['reminder not multiple of 5', { ...ok, reminders: [7] }, 'event.reminders'],
    ['negative reminder on timed event', { ...ok, reminders: [-5] }, 'event.reminders'],
    ['reminder over 30 days', { ...ok, reminders: [43205] }, 'event.reminders'],
    ['unknown colour', { ...ok, color: 'TEAL' }, 'event.color'],
    ['bad rrule', { ...ok, rrule: 'EVERY=DAY' }, 'event.rrule'],
    ['bad zone', { ...ok, time: { ...ok.time, time_zone: 'Mars/Base' } }, 'event.time.time_zone'],
    [
      'offset timestamp',
      { ...ok, time: { ...ok.time, start_at: '2024-03-04T10:00:00+09:00' } },
      'event.time.start_at',
    ],
  ])('rejects %s', (_name, body, field) => {
    expect(fields(validateEventCreate(body as EventCreate))).toContain(field);
  });

  it('uses the all-day reminder range for all-day events', () => {
    const allDay = {
      ...ok,
      time: { start_at: '2024-03-04T00:00:00Z', end_at: '2024-03-05T00:00:00Z', all_day: true },
    };
    expect(validateEventCreate({ ...allDay, reminders: [-540, -1430] })).toEqual([]);
    expect(fields(validateEventCreate({ ...allDay, reminders: [-1435] }))).toContain('event.reminders');
  });

  it('accepts any event on the grid whose end is not before its start', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200_000 }), fc.integer({ min: 0, max: 2_000 }), (slot, len) => {
        const start = new Date(Date.UTC(2024, 0, 1) + slot * 300_000);
        const end = new Date(start.getTime() + len * 300_000);
        const body = { title: 't', time: { start_at: fmt(start), end_at: fmt(end) } };
        return validateEventCreate(body).length === 0;
      }),
    );
  });
});

function fmt(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

describe('validateEventUpdate', () => {
  it('needs at least one field', () => {
    expect(fields(validateEventUpdate({}, 'ALL'))).toContain('event');
    expect(fields(validateEventUpdate(undefined))).toContain('event');
    expect(validateEventUpdate(undefined, undefined, { calendarId: 'primary' })).toEqual([]);
  });

  it.each([
    ['reminders', { reminders: [5] }, 'event.reminders'],
    ['color', { color: 'RED' }, 'event.color'],
    ['rrule', { rrule: 'FREQ=DAILY' }, 'event.rrule'],
    ['memo', { memo: 'x' }, 'event.memo'],
    ['time.all_day', { time: { all_day: false } }, 'event.time.all_day'],
    ['time.lunar', { time: { lunar: false } }, 'event.time.lunar'],
  ])('forbids %s with THIS', (_name, body, field) => {
    expect(fields(validateEventUpdate(body as never, 'THIS'))).toContain(field);
    expect(fields(validateEventUpdate(body as never, 'ALL'))).not.toContain(field);
  });

  it('forbids moving calendars with THIS', () => {
    expect(fields(validateEventUpdate({ title: 'x' }, 'THIS', { calendarId: 'primary' }))).toContain(
      'calendar_id',
    );
  });

  it('allows a title/time change with THIS and "" to stop recurring with ALL', () => {
    expect(
      validateEventUpdate({ title: 'x', time: { start_at: '2024-03-04T01:00:00Z' } as never }, 'THIS'),
    ).toEqual([]);
    expect(validateEventUpdate({ rrule: '' }, 'ALL')).toEqual([]);
  });

  it('rejects an unknown recur_update_type', () => {
    expect(fields(validateEventUpdate({ title: 'x' }, 'SOME'))).toContain('recur_update_type');
  });
});

describe('validateTaskCreate', () => {
  it('accepts a task due today with an alarm on the grid', () => {
    expect(
      validateTaskCreate(
        { content: 'a', due_info: { due_date: '20240304', alarm_time: '0905' } },
        '20240304',
      ),
    ).toEqual([]);
  });

  it.each([
    ['content over 1000', { content: 'c'.repeat(1001) }, 'task.content'],
    ['empty content', { content: '' }, 'task.content'],
    ['due date in the past', { content: 'a', due_info: { due_date: '20240303' } }, 'task.due_info.due_date'],
    [
      'alarm off the grid',
      { content: 'a', due_info: { due_date: '20240305', alarm_time: '0903' } },
      'task.due_info.alarm_time',
    ],
    ['bad due date', { content: 'a', due_info: { due_date: '20240231' } }, 'task.due_info.due_date'],
    [
      'UNTIL before due date',
      {
        content: 'a',
        due_info: { due_date: '20240310', recur: { rrule: 'FREQ=DAILY;UNTIL=20240305T000000Z' } },
      },
      'task.due_info.recur.rrule',
    ],
  ])('rejects %s', (_name, task, field) => {
    expect(fields(validateTaskCreate(task as never, '20240304'))).toContain(field);
  });

  it('edit needs a field', () => {
    expect(fields(validateTaskUpdate({}, '20240304'))).toContain('task');
    expect(validateTaskUpdate({ due_info: null }, '20240304')).toEqual([]);
  });
});

describe('isValidRrule', () => {
  it('needs FREQ', () => {
    expect(isValidRrule('FREQ=WEEKLY;BYDAY=MO,WE')).toBe(true);
    expect(isValidRrule('BYDAY=MO')).toBe(false);
    expect(isValidRrule('')).toBe(false);
    expect(isValidRrule('FREQ=MINUTELY;INTERVAL=5')).toBe(false);
    expect(isValidRrule('FREQ=HOURLY;INTERVAL=5')).toBe(true);
  });
});
