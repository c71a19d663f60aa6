import { describe, expect, it } from 'vitest';
import { readLines } from '../../../src/ics/content-lines.js';
import type { Task } from '../../../src/kakao/types.js';
import { patchIcs } from '../../../src/translate/ics-patch.js';
import { defaultLimits } from '../../../src/translate/limits.js';
import { translateTodo } from '../../../src/translate/task.js';
import { taskToVtodo } from '../../../src/translate/task-to-ical.js';
import { vtodoText } from '../../support/ics-text.js';

const now = new Date('2026-06-01T03:00:00Z');

const task: Task = {
  task_id: 't1',
  content: 'Buy milk, eggs',
  status: 'SCHEDULED',
  bookmark: true,
  authorized: true,
  due_info: {
    due_date: '20260710',
    time_zone: 'Asia/Seoul',
    alarm_time: '0900',
    recur: { rrule: 'FREQ=WEEKLY;UNTIL=20260901T000000Z' },
  },
};

const lines = (text: string): string[] => readLines(text).map((l) => l.unfolded);

describe('taskToVtodo', () => {
  it('maps every task field to VTODO properties', () => {
    const spec = taskToVtodo(task, { uid: 'u1', now });
    expect(spec.set['SUMMARY']).toEqual([{ name: 'SUMMARY', params: {}, value: 'Buy milk\\, eggs' }]);
    expect(spec.set['DUE']).toEqual([{ name: 'DUE', params: { VALUE: 'DATE' }, value: '20260710' }]);
    expect(spec.set['RRULE']?.[0]?.value).toBe('FREQ=WEEKLY;UNTIL=20260901');
    expect(spec.set['STATUS']?.[0]?.value).toBe('NEEDS-ACTION');
    expect(spec.set['COMPLETED']).toEqual([]);
    expect(spec.set['PRIORITY']?.[0]?.value).toBe('1');
    // 09:00 Seoul = 00:00 UTC
    expect(spec.alarms).toEqual([
      { name: 'TRIGGER', params: { VALUE: 'DATE-TIME' }, value: '20260710T000000Z' },
    ]);
  });

  it('marks completion and removes the due date of a task without one', () => {
    const spec = taskToVtodo(
      { ...task, status: 'COMPLETED', bookmark: false, due_info: undefined },
      { uid: 'u1', now },
    );
    expect(spec.set['STATUS']?.[0]?.value).toBe('COMPLETED');
    expect(spec.set['COMPLETED']?.[0]?.value).toBe('20260601T030000Z');
    expect(spec.set['DUE']).toEqual([]);
    expect(spec.set['PRIORITY']?.[0]?.value).toBe('0');
    expect(spec.alarms).toEqual([]);
  });

  it('round-trips through a new VTODO and translateTodo', () => {
    const ics = vtodoText(taskToVtodo(task, { uid: 'u1', now }));
    const back = translateTodo(
      { uid: 'u1', kind: 'todo', ics },
      {
        userTimeZone: 'Asia/Seoul',
        now,
        limits: defaultLimits,
      },
    );
    expect(back.task).toEqual({
      content: task.content,
      due_info: {
        due_date: '20260710',
        time_zone: 'Asia/Seoul',
        alarm_time: '0900',
        recur: { rrule: 'FREQ=WEEKLY;UNTIL=20260901T000000Z', record_on: true },
      },
    });
    expect(back.bookmark).toBe(true);
    expect(back.completed).toBe(false);
    expect(back.warnings).toEqual([]);
  });

  it('patches an existing VTODO without touching an equivalent due date-time or priority class', () => {
    const original = [
      'BEGIN:VCALENDAR',
      'BEGIN:VTODO',
      'UID:u1',
      'SUMMARY:Buy milk\\, eggs',
      'DUE;TZID=Asia/Seoul:20260710T235959',
      'PRIORITY:2',
      'STATUS:IN-PROCESS',
      'RRULE:UNTIL=20260901;FREQ=WEEKLY',
      'BEGIN:VALARM',
      'ACTION:DISPLAY',
      'TRIGGER;VALUE=DATE-TIME:20260710T000000Z',
      'END:VALARM',
      'END:VTODO',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    const same = patchIcs(original, taskToVtodo(task, { uid: 'u1', now }), { now });
    expect(same.changed).toEqual([]);
    const done = patchIcs(original, taskToVtodo({ ...task, status: 'COMPLETED' }, { uid: 'u1', now }), {
      now,
    });
    expect(done.changed).toEqual(['STATUS', 'COMPLETED']);
    expect(lines(done.ics)).toContain('COMPLETED:20260601T030000Z');
  });
});
