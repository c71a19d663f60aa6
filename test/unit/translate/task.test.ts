import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { defaultLimits } from '../../../src/translate/limits.js';
import { TodoNotFoundError, translateTodo } from '../../../src/translate/task.js';
import { missing } from '../../support/prerequisite.js';

const ctx = { userTimeZone: 'Asia/Seoul', now: new Date('2026-06-01T03:00:00Z'), limits: defaultLimits };

function todo(lines: string[], uid = 'u1'): { uid: string; kind: 'todo'; ics: string } {
  const body = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'BEGIN:VTODO',
    `UID:${uid}`,
    ...lines,
    'END:VTODO',
    'END:VCALENDAR',
  ];
  return { uid, kind: 'todo', ics: `${body.join('\r\n')}\r\n` };
}

const codes = (r: { warnings: { code: string }[] }): string[] => r.warnings.map((w) => w.code);

describe('translateTodo', () => {
  it('maps SUMMARY, DUE date and zone', () => {
    const r = translateTodo(todo(['SUMMARY:Pay rent\\, now', 'DUE;VALUE=DATE:20260710']), ctx);
    expect(r.kind).toBe('task');
    expect(r.sourceKey).toBe('u1');
    expect(r.task).toEqual({
      content: 'Pay rent, now',
      due_info: { due_date: '20260710', time_zone: 'Asia/Seoul' },
    });
    expect(r.completed).toBe(false);
    expect(r.warnings).toEqual([]);
  });

  it('reads a TZID due in its own zone and a UTC due in the user zone', () => {
    const tz = translateTodo(todo(['SUMMARY:a', 'DUE;TZID=America/New_York:20260710T000000']), ctx);
    expect(tz.task.due_info).toEqual({ due_date: '20260710', time_zone: 'America/New_York' });
    // 20:00Z on the 10th is the 11th in Seoul.
    const utc = translateTodo(todo(['SUMMARY:a', 'DUE:20260710T200000Z']), ctx);
    expect(utc.task.due_info?.due_date).toBe('20260711');
    expect(utc.task.due_info?.time_zone).toBe('Asia/Seoul');
    expect(codes(utc)).toContain('unsupported');
  });

  it('maps a Windows TZID and warns on an unknown one', () => {
    const win = translateTodo(todo(['SUMMARY:a', 'DUE;TZID=Korea Standard Time:20260710T000000']), ctx);
    expect(win.task.due_info?.time_zone).toBe('Asia/Seoul');
    const unknown = translateTodo(todo(['SUMMARY:a', 'DUE;TZID=Mars/Olympus:20260710T000000']), ctx);
    expect(unknown.task.due_info?.time_zone).toBe('Asia/Seoul');
    expect(codes(unknown)).toContain('unknown-timezone');
  });

  it("reads a TZID defined only by the item's own VTIMEZONE", () => {
    const ics = [
      'BEGIN:VCALENDAR',
      'BEGIN:VTIMEZONE',
      'TZID:Customized Time Zone',
      'BEGIN:STANDARD',
      'DTSTART:16010101T000000',
      'TZOFFSETFROM:+0900',
      'TZOFFSETTO:+0900',
      'END:STANDARD',
      'END:VTIMEZONE',
      'BEGIN:VTODO',
      'UID:u1',
      'SUMMARY:a',
      'DUE;TZID=Customized Time Zone:20260710T003000',
      'END:VTODO',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    const r = translateTodo({ uid: 'u1', kind: 'todo', ics }, { ...ctx, userTimeZone: 'Europe/Berlin' });
    // 00:30 at +09:00: in Berlin it would still be the 9th.
    expect(r.task.due_info?.due_date).toBe('20260710');
    expect(
      DateTime.fromObject({ year: 2026, month: 7, day: 10 }, { zone: r.task.due_info?.time_zone }).offset,
    ).toBe(540);
  });

  it('uses DTSTART + DURATION when there is no DUE', () => {
    const r = translateTodo(todo(['SUMMARY:a', 'DTSTART;VALUE=DATE:20260710', 'DURATION:P2D']), ctx);
    expect(r.task.due_info?.due_date).toBe('20260712');
  });

  it('cuts a long SUMMARY on a grapheme boundary', () => {
    const family = '👨‍👩‍👧';
    const summary = 'a'.repeat(998) + family;
    const r = translateTodo(todo([`SUMMARY:${summary}`]), ctx);
    expect(r.task.content).toBe(`${'a'.repeat(998)}…`);
    expect(codes(r)).toEqual(['title-truncated']);
  });

  it('falls back to DESCRIPTION and then to a placeholder', () => {
    expect(translateTodo(todo(['DESCRIPTION:first\\nsecond']), ctx).task.content).toBe('first');
    const r = translateTodo(todo([]), ctx);
    expect(r.task.content).toBe('(untitled)');
    expect(codes(r)).toEqual(['invalid-item']);
  });

  it('turns a relative VALARM into the alarm wall time on the due date', () => {
    const r = translateTodo(
      todo([
        'SUMMARY:a',
        'DUE;TZID=Asia/Seoul:20260710T180000',
        'BEGIN:VALARM',
        'ACTION:DISPLAY',
        'TRIGGER;RELATED=END:-PT30M',
        'END:VALARM',
      ]),
      ctx,
    );
    expect(r.task.due_info?.alarm_time).toBe('1730');
  });

  it('rounds an alarm to the nearest 5 minutes with a warning', () => {
    const r = translateTodo(
      todo([
        'SUMMARY:a',
        'DUE;VALUE=DATE:20260710',
        'BEGIN:VALARM',
        'TRIGGER;VALUE=DATE-TIME:20260710T000700Z',
        'END:VALARM',
      ]),
      ctx,
    );
    // 00:07Z = 09:07 Seoul → 09:05
    expect(r.task.due_info?.alarm_time).toBe('0905');
    expect(codes(r)).toEqual(['rounded-to-grid']);
  });

  it('keeps only the time of an alarm on another day, and only the first alarm', () => {
    const r = translateTodo(
      todo([
        'SUMMARY:a',
        'DUE;VALUE=DATE:20260710',
        'BEGIN:VALARM',
        'TRIGGER:-PT15H',
        'END:VALARM',
        'BEGIN:VALARM',
        'TRIGGER:PT0S',
        'END:VALARM',
      ]),
      ctx,
    );
    expect(r.task.due_info?.alarm_time).toBe('0900');
    expect(codes(r).sort()).toEqual(['reminder-approximated', 'reminders-dropped']);
  });

  it('carries RRULE with UNTIL in the task format', () => {
    const r = translateTodo(
      todo(['SUMMARY:a', 'DUE;VALUE=DATE:20260710', 'RRULE:FREQ=WEEKLY;UNTIL=20260901;BYDAY=FR']),
      ctx,
    );
    expect(r.task.due_info?.recur).toEqual({
      rrule: 'FREQ=WEEKLY;UNTIL=20260901T000000Z;BYDAY=FR',
      record_on: true,
    });
  });

  it('converts a UTC UNTIL to its date in the task zone and drops unsupported parts', () => {
    const r = translateTodo(
      todo(['SUMMARY:a', 'DUE;VALUE=DATE:20260710', 'RRULE:FREQ=DAILY;BYHOUR=9;UNTIL=20260720T200000Z']),
      ctx,
    );
    expect(r.task.due_info?.recur?.rrule).toBe('FREQ=DAILY;UNTIL=20260721T000000Z');
    expect(codes(r)).toEqual(['unsupported']);
  });

  it('sends a rule with a sub-daily frequency as a single task', () => {
    const r = translateTodo(todo(['SUMMARY:a', 'DUE;VALUE=DATE:20260710', 'RRULE:FREQ=HOURLY']), ctx);
    expect(r.task.due_info?.recur).toBeUndefined();
    expect(codes(r)).toEqual(['unsupported']);
  });

  it('moves an open past-due task to today', () => {
    const r = translateTodo(todo(['SUMMARY:a', 'DUE;VALUE=DATE:20260301']), ctx);
    expect(r.task.due_info?.due_date).toBe('20260601');
    expect(codes(r)).toEqual(['due-in-past']);
  });

  it('drops the due date of a completed past task', () => {
    const r = translateTodo(
      todo(['SUMMARY:a', 'DUE;VALUE=DATE:20260301', 'STATUS:COMPLETED', 'COMPLETED:20260302T100000Z']),
      ctx,
    );
    expect(r.completed).toBe(true);
    expect(r.task.due_info).toBeUndefined();
    expect(codes(r)).toEqual(['due-in-past']);
  });

  it('advances a past recurring task to its next occurrence and reduces COUNT', () => {
    // Weekly from Mon 2026-05-04: 05-04, 05-11, 05-18, 05-25 are past; next is 06-01 (today).
    const r = translateTodo(
      todo(['SUMMARY:a', 'DUE;VALUE=DATE:20260504', 'RRULE:FREQ=WEEKLY;COUNT=10']),
      ctx,
    );
    expect(r.task.due_info?.due_date).toBe('20260601');
    expect(r.task.due_info?.recur?.rrule).toBe('FREQ=WEEKLY;COUNT=6');
    expect(codes(r)).toEqual(['due-in-past']);
  });

  it('treats an ended past series like a single past task', () => {
    const r = translateTodo(todo(['SUMMARY:a', 'DUE;VALUE=DATE:20260101', 'RRULE:FREQ=DAILY;COUNT=3']), ctx);
    expect(r.task.due_info?.due_date).toBe('20260601');
    expect(r.task.due_info?.recur).toBeUndefined();
  });

  it('maps completion and priority', () => {
    expect(translateTodo(todo(['SUMMARY:a', 'COMPLETED:20260101T000000Z']), ctx).completed).toBe(true);
    expect(translateTodo(todo(['SUMMARY:a', 'STATUS:NEEDS-ACTION']), ctx).completed).toBe(false);
    expect(translateTodo(todo(['SUMMARY:a', 'PRIORITY:1']), ctx).bookmark).toBe(true);
    expect(translateTodo(todo(['SUMMARY:a', 'PRIORITY:4']), ctx).bookmark).toBe(true);
    expect(translateTodo(todo(['SUMMARY:a', 'PRIORITY:5']), ctx).bookmark).toBeUndefined();
    expect(translateTodo(todo(['SUMMARY:a', 'PRIORITY:0']), ctx).bookmark).toBeUndefined();
  });

  it('throws a typed error for an item without a VTODO', () => {
    expect(() =>
      translateTodo({ uid: 'x', kind: 'todo', ics: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n' }, ctx),
    ).toThrow(TodoNotFoundError);
  });
});

const fixtures = join(import.meta.dirname, '../../../../shared/fixtures/ics-real');

describe.skipIf(missing(existsSync(fixtures)))('real-world VTODO fixtures (needs ../shared/fixtures)', () => {
  it('translates ical/todo_valarm.ics', () => {
    const ics = readFileSync(join(fixtures, 'ical/todo_valarm.ics'), 'utf8');
    const r = translateTodo({ uid: 'uid4@example.com', kind: 'todo', ics }, ctx);
    expect(r.task.content).toBe('Submit Income Taxes');
    // Due in 1998: open → today.
    expect(r.task.due_info?.due_date).toBe('20260601');
    expect(codes(r)).toContain('due-in-past');
  });

  it('translates node-ical/vtodo-vfreebusy.ics', () => {
    const ics = readFileSync(join(fixtures, 'node-ical/vtodo-vfreebusy.ics'), 'utf8');
    const r = translateTodo({ uid: 'uid4@host1.com', kind: 'todo', ics }, ctx);
    expect(r.task.content).toBe('Submit Income Taxes');
    expect(r.task.due_info?.alarm_time).toMatch(/^\d{2}[05][05]$/);
  });
});
