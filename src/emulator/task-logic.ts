// Tasks: status, recurring due dates and challenge records. Pure functions over StoredTask.
import rrulePkg from 'rrule';
import type { Task, TaskDueInfo } from '../kakao/types.js';
import type { StoredTask } from './model.js';
import { defaultZone, ymdInZone } from './time.js';

const { RRule } = rrulePkg;

let editCounter = 0;

/** Marks a task as edited now (list order: most recently edited first). */
export function touch(task: StoredTask, now: Date): void {
  task.updatedAt = now;
  task.editSeq = ++editCounter;
}

function ymdToDate(ymd: string): Date {
  return new Date(Date.UTC(Number(ymd.slice(0, 4)), Number(ymd.slice(4, 6)) - 1, Number(ymd.slice(6, 8))));
}

function dateToYmd(date: Date): string {
  return date.toISOString().slice(0, 10).replaceAll('-', '');
}

function ruleFor(due: TaskDueInfo, start: string) {
  const text = (due.recur?.rrule ?? '')
    .split(';')
    .filter((p) => p !== '' && !/^DTSTART=/i.test(p))
    .join(';');
  return new RRule({ ...RRule.parseString(text), dtstart: ymdToDate(start) });
}

/** The first occurrence strictly after `ymd` of a recurring task anchored at `anchor`. */
export function nextDueDate(due: TaskDueInfo, anchor: string, ymd: string): string | undefined {
  const next = ruleFor(due, anchor).after(ymdToDate(ymd), false);
  return next ? dateToYmd(next) : undefined;
}

export function todayFor(task: StoredTask, now: Date, zone?: string): string {
  return ymdInZone(now, zone ?? task.dueInfo?.time_zone ?? defaultZone);
}

/**
 * A recurring task whose due date has passed moves to its next occurrence (missed dates are
 * recorded as not completed when record_on); with no occurrence left it ends.
 */
export function rollRecurring(task: StoredTask, today: string): void {
  const due = task.dueInfo;
  if (!due?.recur?.rrule || task.isEnded) return;
  let guard = 0;
  while (due.due_date < today && guard++ < 10_000) {
    if (due.recur.record_on && !task.records.has(due.due_date)) task.records.set(due.due_date, false);
    const next = nextDueDate(due, task.recurAnchor ?? due.due_date, due.due_date);
    if (!next) {
      task.isEnded = true;
      return;
    }
    due.due_date = next;
  }
}

export function statusOf(task: StoredTask, today: string): Task['status'] {
  if (task.isEnded || (task.completed && !task.dueInfo?.recur?.rrule)) return 'COMPLETED';
  if (task.dueInfo && task.dueInfo.due_date < today) return 'DELAYED';
  return 'SCHEDULED';
}

/** Completing a recurring task records the day and moves to the next occurrence. */
export function setComplete(task: StoredTask, complete: boolean): void {
  const due = task.dueInfo;
  if (!due?.recur?.rrule) {
    task.completed = complete;
    return;
  }
  if (!complete) {
    task.records.delete(due.due_date);
    task.isEnded = false;
    task.completed = false;
    return;
  }
  if (due.recur.record_on) task.records.set(due.due_date, true);
  const next = nextDueDate(due, task.recurAnchor ?? due.due_date, due.due_date);
  if (next) due.due_date = next;
  else {
    task.isEnded = true;
    task.completed = true;
  }
}

export function taskWire(task: StoredTask, today: string): Task {
  const out: Task = {
    task_id: task.id,
    content: task.content,
    status: statusOf(task, today),
    bookmark: task.bookmark,
    authorized: true,
    is_ended: task.isEnded,
  };
  if (task.dueInfo) {
    const d = task.dueInfo;
    out.due_info = {
      due_date: d.due_date,
      ...(d.time_zone ? { time_zone: d.time_zone } : {}),
      ...(d.alarm_time ? { alarm_time: d.alarm_time } : {}),
      ...(d.recur?.rrule
        ? { recur: { rrule: d.recur.rrule, record_on: d.recur.record_on ?? false, is_ended: task.isEnded } }
        : {}),
    };
  }
  return out;
}
