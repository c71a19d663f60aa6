import { DateTime } from 'luxon';
import { type ContentLine, escapeText, foldLine, formatContentLine } from '../../ics/content-lines.js';
import type { TaskCreate } from '../../kakao/types.js';
import type { SourceItem } from '../../sources/storage.js';
import { line } from '../../translate/component-spec.js';
import { patchIcs } from '../../translate/ics-patch.js';
import { formatUtc } from '../../translate/ics-values.js';
import { parseComponents, prop } from '../../translate/parse.js';
import { taskToVtodo } from '../../translate/task-to-ical.js';
import type { TaskEdits } from './task-verify.js';

// Two-way write-back of a task edited in Talk Calendar into its VTODO, through the minimal patcher:
// only what Kakao changed is rewritten — STATUS/COMPLETED for a completion, SUMMARY for the title,
// DUE for the due date. A DUE with a time keeps its time and TZID (Kakao's due is a date); a to-do
// dated by DTSTART + DURATION gets a DUE in its place (the two may not appear together). A to-do
// the source deleted but Talk Calendar edited is written anew from the task (restoredTodo).

export interface TaskWriteBack {
  /** Kakao's completion; undefined: unchanged, STATUS is left as it is. */
  completed?: boolean;
  edits?: TaskEdits;
}

const utcStamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/** The DUE line for Kakao's due date (yyyyMMdd), shaped like the to-do's own DUE when it has one. */
function dueLine(item: SourceItem, due: string): ContentLine {
  const todo = parseComponents(item.ics).todos.find((t) => prop(t, 'UID')?.value.trim() === item.uid);
  const current = todo && prop(todo, 'DUE');
  const time = /^\d{8}(T\d{6})$/.exec(current?.value ?? '')?.[1];
  if (!current || !time || current.params['VALUE']?.toUpperCase() === 'DATE')
    return line('DUE', due, { VALUE: 'DATE' });
  // A floating or TZID date-time: the same wall time on the new date. A UTC one names an instant
  // the user saw in their own zone: the date alone says what they chose.
  return line('DUE', `${due}${time}`, { ...current.params });
}

export function writeBackTask(item: SourceItem, change: TaskWriteBack, now: Date): string {
  const set: Record<string, ContentLine[]> = {};
  if (change.completed !== undefined) {
    set['STATUS'] = [line('STATUS', change.completed ? 'COMPLETED' : 'NEEDS-ACTION')];
    set['COMPLETED'] = change.completed ? [line('COMPLETED', utcStamp(now))] : [];
  }
  const edits = change.edits ?? {};
  if (edits.content !== undefined) set['SUMMARY'] = [line('SUMMARY', escapeText(edits.content))];
  if (edits.due !== undefined) {
    set['DUE'] = edits.due === null ? [] : [dueLine(item, edits.due)];
    set['DURATION'] = [];
  }
  const only = Object.keys(set);
  if (only.length === 0) return item.ics;
  return patchIcs(item.ics, { component: 'VTODO', uid: item.uid, set }, { now, only }).ics;
}

/**
 * A new VTODO object under `uid` for a to-do the source deleted but Talk Calendar edited: the task as
 * Talk Calendar shows it (title, due date, alarm, recurrence) and its completion, written by the
 * patcher into an empty VTODO, so it reads back as the same task.
 */
export function restoredTodo(uid: string, task: TaskCreate, completed: boolean, now: Date): string {
  const stamp = formatUtc(DateTime.fromJSDate(now));
  const empty = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//talkcal-sync//Restored Talk Calendar task//EN',
    'BEGIN:VTODO',
    foldLine(formatContentLine(line('UID', uid))),
    `DTSTAMP:${stamp}`,
    'END:VTODO',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
  const shown = {
    task_id: uid,
    content: task.content,
    status: completed ? ('COMPLETED' as const) : ('SCHEDULED' as const),
    bookmark: false,
    authorized: true,
    ...(task.due_info ? { due_info: task.due_info } : {}),
  };
  return patchIcs(empty, taskToVtodo(shown, { uid, now }), { now }).ics;
}
