// VALARM ⇄ Kakao reminders. A Kakao reminder is "minutes before the start", a multiple of 5:
// timed events 0 ≤ r ≤ 43200; all-day events -1435 < r ≤ 43200, where a negative value means
// "|r| minutes after 00:00 of the day" (-540 = 9:00 on the day). Both read as one formula:
// r = (start − alarm instant) / 60 s, with an all-day start at 00:00 of its first day. So an
// all-day TRIGGER;RELATED=START:PT9H is -540 and back.
import { kakaoLimits } from '../kakao/types.js';
import type { TranslateWarning } from '../model/desired.js';
import { durationSeconds, formatDuration, parseDuration } from './duration.js';
import type { ParsedComponent } from './parse.js';
import { prop } from './parse.js';
import { parseDateProperty, wallAsUtcMs } from './wall-time.js';

export type AlarmTrigger =
  /** Signed seconds from the start or end; negative = before (as in RFC 5545). */
  { related: 'START' | 'END'; offsetSeconds: number } | { absoluteMs: number };

export interface AlarmSpec {
  action: 'DISPLAY' | 'AUDIO' | 'EMAIL';
  trigger: AlarmTrigger;
}

export interface ReminderOptions {
  allDay: boolean;
  /** Timed: start instant. All-day: 00:00 of the first day in the event's zone, as UTC ms. */
  startMs: number;
  /** Same for the end (exclusive end for all-day). */
  endMs: number;
}

const actions = new Set(['DISPLAY', 'AUDIO', 'EMAIL']);

/** Reads a VALARM; undefined when its action is not a reminder or its trigger is unreadable. */
export function readAlarm(c: ParsedComponent): AlarmSpec | undefined {
  const action = (prop(c, 'ACTION')?.value ?? 'DISPLAY').trim().toUpperCase();
  if (!actions.has(action)) return undefined;
  const trigger = prop(c, 'TRIGGER');
  if (!trigger) return undefined;
  const kind = action as AlarmSpec['action'];
  if ((trigger.params.VALUE ?? '').toUpperCase() === 'DATE-TIME' || /^\d{8}T/.test(trigger.value)) {
    const at = parseDateProperty(trigger);
    return at ? { action: kind, trigger: { absoluteMs: wallAsUtcMs(at.wall) } } : undefined;
  }
  const d = parseDuration(trigger.value);
  if (!d) return undefined;
  const related = (trigger.params.RELATED ?? 'START').toUpperCase() === 'END' ? 'END' : 'START';
  return { action: kind, trigger: { related, offsetSeconds: durationSeconds(d) } };
}

function minutesBefore(a: AlarmSpec, o: ReminderOptions): number {
  const t = a.trigger;
  const at =
    'absoluteMs' in t ? t.absoluteMs : (t.related === 'END' ? o.endMs : o.startMs) + t.offsetSeconds * 1000;
  return (o.startMs - at) / 60_000;
}

/** The allowed value nearest to `r`. */
export function nearestAllowedReminder(r: number, allDay: boolean): number {
  const step = kakaoLimits.reminderStep;
  const min = allDay ? kakaoLimits.allDayReminderExclusiveMin + step : kakaoLimits.timedReminderMin;
  const rounded = Math.round(r / step) * step;
  return Math.min(kakaoLimits.reminderMax, Math.max(min, rounded)) + 0;
}

export function alarmsToReminders(
  alarms: AlarmSpec[],
  opts: ReminderOptions,
): { reminders: number[]; warnings: TranslateWarning[] } {
  const warnings: TranslateWarning[] = [];
  const values: number[] = [];
  for (const alarm of alarms) {
    const exact = minutesBefore(alarm, opts);
    const allowed = nearestAllowedReminder(exact, opts.allDay);
    if (allowed !== exact) {
      warnings.push({
        code: 'reminder-approximated',
        message: `alarm ${exact} min before start sent as ${allowed} min (Kakao allows multiples of 5 within its range)`,
      });
    }
    if (!values.includes(allowed)) values.push(allowed);
  }
  // Keep the two nearest the start.
  values.sort((a, b) => Math.abs(a) - Math.abs(b) || a - b);
  const kept = values.slice(0, kakaoLimits.remindersMax);
  if (values.length > kept.length) {
    warnings.push({
      code: 'reminders-dropped',
      message: `${values.length} alarms, Kakao keeps two: dropped ${values.slice(kept.length).join(', ')} min`,
    });
  }
  return { reminders: kept.sort((a, b) => a - b), warnings };
}

/** Kakao reminders → VALARMs (for export): each one a DISPLAY alarm relative to the start. */
export function remindersToAlarms(reminders: number[], _allDay: boolean): AlarmSpec[] {
  // Same formula both ways: for an all-day event, -540 → +9 h after 00:00 (TRIGGER:PT9H).
  return reminders.map((r) => ({ action: 'DISPLAY', trigger: { related: 'START', offsetSeconds: -r * 60 } }));
}

/** The TRIGGER value of a relative alarm ("-PT15M", "PT9H"). */
export function formatTrigger(t: AlarmTrigger): string {
  if ('absoluteMs' in t) return new Date(t.absoluteMs).toISOString().replace(/[-:]|\.\d{3}/g, '');
  return formatDuration(t.offsetSeconds);
}
