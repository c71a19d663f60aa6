// The plain-data VEVENT a Kakao event becomes on export: what the feed publisher and the CalDAV
// write-back of a new object render with ical-generator (render-vevents.ts). Times are luxon
// DateTimes in the event's zone; all-day values are midnight of their day in that zone and written
// as DATE.
import type { DateTime } from 'luxon';
import type { KakaoColor, KakaoLocation } from '../kakao/types.js';
import type { AlarmSpec } from './reminders.js';

export interface VeventOverride {
  /** The original start of the instance (RECURRENCE-ID). */
  recurrenceId: DateTime;
  summary: string;
  start: DateTime;
  end: DateTime;
  /** The instance's own detail fields, when known to differ: null/'' = none; absent = the master's. */
  location?: KakaoLocation | null;
  description?: string;
}

/** What an instance may carry beyond a listing's brief: the detail fields a THIS update set. */
export interface InstanceDetail {
  location?: KakaoLocation | null;
  description?: string;
}

export interface VeventSpec {
  uid: string;
  summary: string;
  start: DateTime;
  /** Exclusive end (the day after for all-day). */
  end: DateTime;
  allDay: boolean;
  /** IANA zone of start/end (TZID). */
  zone: string;
  /** RRULE value without the "RRULE:" prefix. */
  rrule?: string;
  /** Original starts of deleted instances. */
  exdates: DateTime[];
  overrides: VeventOverride[];
  alarms: AlarmSpec[];
  color?: { kakao: KakaoColor; hex: string };
  location?: KakaoLocation;
  description?: string;
  /** A block of another app's event: only its time is known ("Busy", OPAQUE, PRIVATE). */
  busy: boolean;
  /** One occurrence of a Kakao lunar event (X-TALKCAL-LUNAR:1). */
  lunar: boolean;
  sequence: number;
  /** The Kakao event id it came from (X-TALKCAL-KAKAO-ID), absent for busy blocks. */
  kakaoId?: string;
}
