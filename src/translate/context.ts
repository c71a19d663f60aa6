// What a translation needs to know beyond the source item itself. Passed in, never read from the
// environment, so translation stays a pure function of its inputs.
export interface TranslateContext {
  /** Floating times (no TZID, no Z) are read in this IANA zone. */
  userTimeZone: string;
  /** Occurrences of recurrences Kakao cannot represent are expanded only inside this window. */
  horizon: { from: Date; to: Date };
  /** No VALARM → `reminders: []` (else the field is omitted and the calendar's default applies). */
  suppressDefaultReminders: boolean;
  now: Date;
  /** Every recurrence becomes one event per occurrence (channel links: public events cannot recur). */
  expandRecurrences?: boolean;
}
