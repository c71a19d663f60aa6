// Kakao task → VTODO (taskToVtodo, written as a plain VTODO) → translateTodo → the same task, for every task Kakao
// can hold with a due date on or after today: content, due date, zone, alarm time, rrule,
// completion and bookmark.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Task } from '../../../src/kakao/types.js';
import { defaultLimits } from '../../../src/translate/limits.js';
import { translateTodo } from '../../../src/translate/task.js';
import { taskToVtodo } from '../../../src/translate/task-to-ical.js';
import { vtodoText } from '../../support/ics-text.js';

const now = new Date('2026-06-01T03:00:00Z');
const zones = ['Asia/Seoul', 'Europe/Berlin', 'America/New_York', 'Pacific/Auckland'];
const day = 86_400_000;
const ymd = (ms: number): string => new Date(ms).toISOString().slice(0, 10).replaceAll('-', '');

const content = fc
  .array(fc.stringMatching(/^[A-Za-z0-9가-힣,;:\\.!?'"-]{1,12}$/), { minLength: 1, maxLength: 8 })
  .map((w) => w.join(' '));

const task: fc.Arbitrary<Task> = fc
  .record({
    content,
    completed: fc.boolean(),
    bookmark: fc.boolean(),
    due: fc.option(
      fc.record({
        // From two days ahead: "today" differs between zones around the date line.
        offset: fc.integer({ min: 2, max: 700 }),
        zone: fc.constantFrom(...zones),
        alarm: fc.option(fc.integer({ min: 0, max: 287 }), { nil: undefined }),
        recur: fc.option(
          fc.oneof(
            fc.constant('FREQ=DAILY'),
            fc.constantFrom('MO', 'TU,FR').map((d) => `FREQ=WEEKLY;BYDAY=${d}`),
            fc.integer({ min: 2, max: 9 }).map((n) => `FREQ=MONTHLY;COUNT=${n}`),
            fc
              .integer({ min: 800, max: 900 })
              .map((d) => `FREQ=WEEKLY;UNTIL=${ymd(Date.UTC(2026, 5, 1) + d * day)}T000000Z`),
          ),
          { nil: undefined },
        ),
      }),
      { nil: undefined },
    ),
  })
  .map(({ content, completed, bookmark, due }) => {
    const t: Task = {
      task_id: 't',
      content,
      status: completed ? 'COMPLETED' : 'SCHEDULED',
      bookmark,
      authorized: true,
    };
    if (due) {
      t.due_info = { due_date: ymd(Date.UTC(2026, 5, 1) + due.offset * day), time_zone: due.zone };
      if (due.alarm !== undefined) {
        const m = due.alarm * 5;
        t.due_info.alarm_time = `${String(Math.floor(m / 60)).padStart(2, '0')}${String(m % 60).padStart(2, '0')}`;
      }
      // Recurring tasks keep their completion history (record_on), as the daemon writes them.
      if (due.recur) t.due_info.recur = { rrule: due.recur, record_on: true };
    }
    return t;
  });

describe('Kakao task → VTODO → Kakao task', () => {
  it('is the identity on the fields both sides represent', () => {
    fc.assert(
      fc.property(task, (t) => {
        const ics = vtodoText(taskToVtodo(t, { uid: 'u', now }));
        const back = translateTodo(
          { uid: 'u', kind: 'todo', ics },
          {
            userTimeZone: 'Asia/Seoul',
            now,
            limits: defaultLimits,
          },
        );
        expect(back.task.content).toBe(t.content);
        expect(back.completed).toBe(t.status === 'COMPLETED');
        expect(back.bookmark === true).toBe(t.bookmark);
        // A DATE due carries no zone: it is read in the user's zone.
        const expected = t.due_info ? { ...t.due_info, time_zone: 'Asia/Seoul' } : undefined;
        if (expected && t.due_info?.alarm_time) {
          // The alarm is an instant: its wall time is the same in the user's zone only if the zones agree.
          expect(back.task.due_info?.alarm_time).toBeDefined();
        }
        if (expected && t.due_info?.time_zone === 'Asia/Seoul') expect(back.task.due_info).toEqual(expected);
        else expect(back.task.due_info?.due_date).toBe(t.due_info?.due_date);
        expect(back.warnings.filter((w) => w.code !== 'reminder-approximated')).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
