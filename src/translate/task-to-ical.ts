// Kakao task → the VTODO properties Kakao determines (for CalDAV write-back through the patcher, and
// the tasks feed). The due date becomes DUE;VALUE=DATE, the alarm time an absolute
// TRIGGER on the due date in the task's zone, a bookmark PRIORITY:1 (else 0, "undefined").
import { DateTime } from 'luxon';
import { escapeText } from '../ics/content-lines.js';
import type { Task } from '../kakao/types.js';
import type { ComponentSpec } from './component-spec.js';
import { line } from './component-spec.js';
import { formatUtc } from './ics-values.js';

export interface TaskToVtodoOptions {
  uid: string;
  /** Zone of the due date when the task does not say (the API's default is Asia/Seoul). */
  zone?: string;
  /** Completion time written for a newly completed task. */
  now: Date;
}

/** Task UNTIL yyyyMMdd'T'000000Z → a DATE UNTIL, as RFC 5545 wants with a DATE DUE. */
function rruleForDateDue(rule: string): string {
  return rule
    .split(';')
    .filter(Boolean)
    .map((part) => part.replace(/^UNTIL=(\d{8})T\d{6}Z?$/i, 'UNTIL=$1'))
    .join(';');
}

export function taskToVtodo(task: Task, opts: TaskToVtodoOptions): ComponentSpec {
  const due = task.due_info;
  const zone = due?.time_zone ?? opts.zone ?? 'Asia/Seoul';
  const completed = task.status === 'COMPLETED';
  const spec: ComponentSpec = {
    component: 'VTODO',
    uid: opts.uid,
    set: {
      SUMMARY: [line('SUMMARY', escapeText(task.content))],
      DUE: due ? [line('DUE', due.due_date, { VALUE: 'DATE' })] : [],
      RRULE: due?.recur?.rrule ? [line('RRULE', rruleForDateDue(due.recur.rrule))] : [],
      STATUS: [line('STATUS', completed ? 'COMPLETED' : 'NEEDS-ACTION')],
      COMPLETED: completed ? [line('COMPLETED', formatUtc(DateTime.fromJSDate(opts.now)))] : [],
      PRIORITY: [line('PRIORITY', task.bookmark ? '1' : '0')],
    },
    alarms: [],
  };
  if (due?.alarm_time && /^\d{4}$/.test(due.alarm_time)) {
    const at = DateTime.fromFormat(`${due.due_date}${due.alarm_time}`, 'yyyyMMddHHmm', { zone });
    if (at.isValid) spec.alarms = [line('TRIGGER', formatUtc(at), { VALUE: 'DATE-TIME' })];
  }
  return spec;
}
