import { describe, expect, it } from 'vitest';
import { holidaysBetween, koreanHolidays } from '../../../src/emulator/holidays.js';
import type { StoredTask } from '../../../src/emulator/model.js';
import { nextDueDate, rollRecurring, setComplete, statusOf } from '../../../src/emulator/task-logic.js';

function task(dueDate: string, rrule?: string, recordOn = false): StoredTask {
  return {
    id: 't',
    content: 'c',
    bookmark: false,
    completed: false,
    isEnded: false,
    dueInfo: { due_date: dueDate, ...(rrule ? { recur: { rrule, record_on: recordOn } } : {}) },
    records: new Map(),
    updatedAt: new Date(0),
    editSeq: 0,
    ...(rrule ? { recurAnchor: dueDate } : {}),
  };
}

describe('task logic', () => {
  it('computes the next due date of a recurring task', () => {
    expect(
      nextDueDate({ due_date: '20240304', recur: { rrule: 'FREQ=WEEKLY' } }, '20240304', '20240304'),
    ).toBe('20240311');
    expect(
      nextDueDate({ due_date: '20240304', recur: { rrule: 'FREQ=DAILY;COUNT=1' } }, '20240304', '20240304'),
    ).toBeUndefined();
  });

  it('moves an overdue recurring task forward and records the missed days', () => {
    const t = task('20240301', 'FREQ=DAILY', true);
    rollRecurring(t, '20240304');
    expect(t.dueInfo!.due_date).toBe('20240304');
    expect([...t.records]).toEqual([
      ['20240301', false],
      ['20240302', false],
      ['20240303', false],
    ]);
    expect(statusOf(t, '20240304')).toBe('SCHEDULED');
  });

  it('ends a recurring task after its last occurrence is completed', () => {
    const t = task('20240304', 'FREQ=DAILY;COUNT=2', true);
    setComplete(t, true);
    expect(t.dueInfo!.due_date).toBe('20240305');
    setComplete(t, true);
    expect(t.isEnded).toBe(true);
    expect(statusOf(t, '20240305')).toBe('COMPLETED');
    expect([...t.records.values()]).toEqual([true, true]);
  });

  it('marks a one-time task DELAYED after its due date and COMPLETED when done', () => {
    const t = task('20240304');
    expect(statusOf(t, '20240304')).toBe('SCHEDULED');
    expect(statusOf(t, '20240305')).toBe('DELAYED');
    setComplete(t, true);
    expect(statusOf(t, '20240305')).toBe('COMPLETED');
  });
});

describe('holiday table', () => {
  it('covers 2024–2027 with Seollal and Chuseok each year', () => {
    for (const year of ['2024', '2025', '2026', '2027']) {
      const titles = koreanHolidays.filter((h) => h.date.startsWith(year)).map((h) => h.title);
      expect(titles).toContain('설날');
      expect(titles).toContain('추석');
      expect(titles).toContain('부처님오신날');
      expect(titles).toContain('성탄절');
    }
  });

  it('answers all-day entries overlapping the window', () => {
    const events = holidaysBetween(new Date('2026-02-16T00:00:00Z'), new Date('2026-02-17T00:00:00Z'));
    expect(events).toEqual([
      {
        id: expect.stringMatching(/^S20260216/),
        title: '설날 연휴',
        time: { start_at: '2026-02-16T00:00:00Z', end_at: '2026-02-17T00:00:00Z', all_day: true },
        holiday: true,
      },
    ]);
  });
});
