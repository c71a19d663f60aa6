// The properties a Kakao-side state gives one VEVENT/VTODO, as content lines: the patcher applies
// them to an existing object; the tasks feed writes them as a VTODO. Pure.
import type { ContentLine } from '../ics/content-lines.js';

export interface ComponentSpec {
  component: 'VEVENT' | 'VTODO';
  uid: string;
  /**
   * Properties Kakao determines, by name: the complete set of lines for that name. [] removes the
   * property. Names not listed are not Kakao's and stay as they are.
   */
  set: Record<string, ContentLine[]>;
  /**
   * TRIGGER lines of the alarms Kakao knows (its reminders / a task's alarm time); these replace
   * the existing display/audio alarms. undefined leaves every alarm alone.
   */
  alarms?: ContentLine[];
  /** EXDATE lines to add to the master (existing ones are kept). */
  addExdates?: ContentLine[];
  /** Single instances Kakao changed: each patched into (or added as) its RECURRENCE-ID override. */
  overrides?: OverrideSpec[];
  /** VTIMEZONE components (full text, CRLF lines) for TZIDs the new lines use. */
  timezones?: string[];
}

export interface OverrideSpec {
  /** RECURRENCE-ID: the instance's original start, in the master's DTSTART form. */
  recurrenceId: ContentLine;
  /** The properties Kakao determines for that instance (SUMMARY, DTSTART, DTEND…). */
  set: Record<string, ContentLine[]>;
}

export function line(name: string, value: string, params: Record<string, string> = {}): ContentLine {
  return { name, params, value };
}
