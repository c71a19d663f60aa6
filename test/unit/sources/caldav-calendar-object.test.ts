import { describe, expect, it } from 'vitest';
import { inspectCalendarObject } from '../../../src/sources/caldav/calendar-object.js';

const wrap = (...lines: string[]) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', ...lines, 'END:VCALENDAR', ''].join('\r\n');

describe('inspectCalendarObject', () => {
  it('finds the kind and UID of an event with overrides', () => {
    const ics = wrap(
      'BEGIN:VEVENT',
      'UID:abc@x',
      'RRULE:FREQ=DAILY',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:abc@x',
      'RECURRENCE-ID:20260101T000000Z',
      'END:VEVENT',
    );
    expect(inspectCalendarObject(ics)).toEqual({ ok: true, kind: 'event', uid: 'abc@x' });
  });

  it('reads a to-do and a folded UID', () => {
    expect(inspectCalendarObject(wrap('BEGIN:VTODO', 'UID:very-long', ' -uid', 'END:VTODO'))).toEqual({
      ok: true,
      kind: 'todo',
      uid: 'very-long-uid',
    });
  });

  it('ignores UIDs inside alarms and VTIMEZONE', () => {
    const ics = wrap(
      'BEGIN:VTIMEZONE',
      'TZID:Asia/Seoul',
      'END:VTIMEZONE',
      'BEGIN:VEVENT',
      'UID:main',
      'BEGIN:VALARM',
      'UID:alarm-uid',
      'END:VALARM',
      'END:VEVENT',
    );
    expect(inspectCalendarObject(ics)).toEqual({ ok: true, kind: 'event', uid: 'main' });
  });

  it('calls a journal "other"', () => {
    expect(inspectCalendarObject(wrap('BEGIN:VJOURNAL', 'UID:j', 'END:VJOURNAL'))).toEqual({
      ok: true,
      kind: 'other',
    });
  });

  it.each([
    ['an HTML page', '<html><body>Login</body></html>'],
    ['an empty body', ''],
    ['a missing END', 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nEND:VEVENT\r\n'],
    ['unbalanced components', wrap('BEGIN:VEVENT', 'UID:a', 'END:VTODO')],
    ['no UID', wrap('BEGIN:VEVENT', 'SUMMARY:x', 'END:VEVENT')],
    ['two UIDs', wrap('BEGIN:VEVENT', 'UID:a', 'END:VEVENT', 'BEGIN:VEVENT', 'UID:b', 'END:VEVENT')],
    [
      'events and to-dos together',
      wrap('BEGIN:VEVENT', 'UID:a', 'END:VEVENT', 'BEGIN:VTODO', 'UID:a', 'END:VTODO'),
    ],
    ['content after the end', `${wrap('BEGIN:VEVENT', 'UID:a', 'END:VEVENT')}END:VCALENDAR\r\n`],
  ])('rejects %s', (_case, ics) => {
    expect(inspectCalendarObject(ics).ok).toBe(false);
  });
});
