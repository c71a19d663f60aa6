import { describe, expect, it } from 'vitest';
import {
  type AlarmSpec,
  alarmsToReminders,
  formatTrigger,
  nearestAllowedReminder,
  remindersToAlarms,
} from '../../../src/translate/reminders.js';
import { codes, mainEvent } from './event-helpers.js';

const start = Date.parse('2024-05-10T09:00:00Z');
const timed = { allDay: false, startMs: start, endMs: start + 3_600_000 };
const rel = (offsetSeconds: number, related: 'START' | 'END' = 'START'): AlarmSpec => ({
  action: 'DISPLAY',
  trigger: { related, offsetSeconds },
});

describe('alarmsToReminders', () => {
  it('converts triggers relative to the start', () => {
    expect(alarmsToReminders([rel(-900), rel(-86_400)], timed)).toEqual({
      reminders: [15, 1440],
      warnings: [],
    });
  });

  it('converts triggers relative to the end', () => {
    // 1 h event, alarm 15 min before the end = 45 min after the start → not allowed for timed: 0.
    expect(alarmsToReminders([rel(-4500, 'END')], timed).reminders).toEqual([15]);
    const after = alarmsToReminders([rel(-900, 'END')], timed);
    expect(after.reminders).toEqual([0]);
    expect(codes(after)).toContain('reminder-approximated');
  });

  it('converts absolute triggers', () => {
    const r = alarmsToReminders([{ action: 'EMAIL', trigger: { absoluteMs: start - 2 * 3_600_000 } }], timed);
    expect(r.reminders).toEqual([120]);
  });

  it('rounds to the nearest multiple of 5 and warns', () => {
    const r = alarmsToReminders([rel(-7 * 60)], timed);
    expect(r.reminders).toEqual([5]);
    expect(codes(r)).toEqual(['reminder-approximated']);
    expect(alarmsToReminders([rel(-8 * 60)], timed).reminders).toEqual([10]);
  });

  it('clamps to the documented ranges', () => {
    expect(alarmsToReminders([rel(-60 * 86_400)], timed).reminders).toEqual([43200]);
    expect(alarmsToReminders([rel(600)], timed).reminders).toEqual([0]);
    const allDay = { allDay: true, startMs: start, endMs: start + 86_400_000 };
    // 23:58 on the day is -1438, below the range (-1435 is excluded): the nearest allowed is -1430.
    expect(alarmsToReminders([rel(23 * 3600 + 58 * 60)], allDay).reminders).toEqual([-1430]);
  });

  it('keeps the two nearest the start and warns about the rest', () => {
    const r = alarmsToReminders([rel(-86_400), rel(-600), rel(-3600), rel(-600)], timed);
    expect(r.reminders).toEqual([10, 60]);
    expect(codes(r)).toEqual(['reminders-dropped']);
  });

  it('maps the special all-day values both ways', () => {
    const allDay = { allDay: true, startMs: start, endMs: start + 86_400_000 };
    for (const [reminder, trigger] of [
      [-540, 'PT9H'],
      [-720, 'PT12H'],
      [-1430, 'PT23H50M'],
      [900, '-PT15H'],
      [0, 'PT0S'],
    ] as const) {
      const alarms = remindersToAlarms([reminder], true);
      expect(formatTrigger(alarms[0]?.trigger as AlarmSpec['trigger'])).toBe(trigger);
      expect(alarmsToReminders(alarms, allDay).reminders).toEqual([reminder]);
    }
  });

  it("exports Kakao's -1435 (11:55 p.m.) as PT23H55M and sends it back as -1430 with a warning", () => {
    const allDay = { allDay: true, startMs: start, endMs: start + 86_400_000 };
    const alarms = remindersToAlarms([-1435], true);
    expect(formatTrigger(alarms[0]?.trigger as AlarmSpec['trigger'])).toBe('PT23H55M');
    const back = alarmsToReminders(alarms, allDay);
    expect(back.reminders).toEqual([-1430]);
    expect(codes(back)).toEqual(['reminder-approximated']);
  });

  it('round-trips every allowed timed value', () => {
    for (let r = 0; r <= 43200; r += 5) {
      expect(alarmsToReminders(remindersToAlarms([r], false), timed).reminders).toEqual([r]);
    }
  });

  it('nearestAllowedReminder never leaves the range', () => {
    expect(nearestAllowedReminder(-1434, true)).toBe(-1430);
    expect(nearestAllowedReminder(-3, false)).toBe(0);
    expect(nearestAllowedReminder(99_999, true)).toBe(43200);
  });
});

describe('VALARM in events', () => {
  const valarm = (...lines: string[]) => ['BEGIN:VALARM', ...lines, 'END:VALARM'];

  it('reads DISPLAY, AUDIO and EMAIL alarms and ignores others', () => {
    const e = mainEvent([
      [
        'DTSTART:20240510T090000Z',
        'DURATION:PT1H',
        ...valarm('ACTION:DISPLAY', 'TRIGGER:-PT15M'),
        ...valarm('ACTION:AUDIO', 'TRIGGER;RELATED=END:-PT2H'),
        ...valarm('ACTION:PROCEDURE', 'TRIGGER:-PT30M'),
      ],
    ]);
    expect(e.reminders).toEqual([15, 60]);
  });

  it('reads an absolute trigger', () => {
    const e = mainEvent([
      [
        'DTSTART:20240510T090000Z',
        'DURATION:PT1H',
        ...valarm('ACTION:DISPLAY', 'TRIGGER;VALUE=DATE-TIME:20240509T090000Z'),
      ],
    ]);
    expect(e.reminders).toEqual([1440]);
  });

  it('reads an all-day "9:00 on the day" alarm as -540', () => {
    const e = mainEvent([
      ['DTSTART;VALUE=DATE:20240510', ...valarm('ACTION:DISPLAY', 'TRIGGER;RELATED=START:PT9H')],
    ]);
    expect(e.reminders).toEqual([-540]);
  });

  it('sends [] for an event whose only alarm is ACTION:NONE', () => {
    const e = mainEvent([
      ['DTSTART:20240510T090000Z', ...valarm('ACTION:NONE', 'TRIGGER;VALUE=DATE-TIME:19760401T005545Z')],
    ]);
    expect(e.reminders).toEqual([]);
    expect(codes(e.result)).not.toContain('reminders-dropped');
  });

  it('sends [] and warns when no alarm can be shown', () => {
    const e = mainEvent([['DTSTART:20240510T090000Z', ...valarm('ACTION:PROCEDURE', 'TRIGGER:-PT5M')]]);
    expect(e.reminders).toEqual([]);
    expect(codes(e.result)).toContain('reminders-dropped');
  });

  it('omits reminders without VALARM so the calendar default applies', () => {
    const e = mainEvent([['DTSTART:20240510T090000Z']]);
    expect('reminders' in e).toBe(false);
  });

  it('sends [] without VALARM when default reminders are suppressed', () => {
    const e = mainEvent([['DTSTART:20240510T090000Z']], { suppressDefaultReminders: true });
    expect(e.reminders).toEqual([]);
  });
});
