// A one-object iCalendar text as the tests write it: CRLF lines, a fixed PRODID and DTSTAMP.
import { foldLine, formatContentLine } from '../../src/ics/content-lines.js';
import type { ComponentSpec } from '../../src/translate/component-spec.js';

/**
 * `BEGIN:VCALENDAR` … one `component` with UID, DTSTAMP and then `props` … `after` (further
 * components, e.g. overrides) … `END:VCALENDAR`, CRLF-terminated.
 */
export function icsText(
  component: 'VEVENT' | 'VTODO',
  uid: string,
  props: string[],
  after: string[] = [],
): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//talkcal-test//EN',
    `BEGIN:${component}`,
    `UID:${uid}`,
    'DTSTAMP:20250101T000000Z',
    ...props,
    `END:${component}`,
    ...after,
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

/** A UTC date-time as iCalendar writes it: 20250301T090000Z. */
export const icsStamp = (d: Date): string =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/** `hour`:00 UTC on the day `days` after today (UTC). */
export function utcDayAt(days: number, hour: number): Date {
  const day = 86_400_000;
  return new Date(Math.floor(Date.now() / day) * day + days * day + hour * 3600_000);
}

/**
 * A VTODO object holding the lines a ComponentSpec sets (the patcher's input), as plain text: how
 * tests and benchmarks make a CalDAV to-do from a Kakao task without a second product writer.
 */
export function vtodoText(spec: ComponentSpec): string {
  const props = Object.values(spec.set).flatMap((lines) => lines.map((l) => foldLine(formatContentLine(l))));
  const alarms = (spec.alarms ?? []).flatMap((trigger) => [
    'BEGIN:VALARM',
    'ACTION:DISPLAY',
    'DESCRIPTION:Reminder',
    foldLine(formatContentLine(trigger)),
    'END:VALARM',
  ]);
  return icsText('VTODO', spec.uid, [...props, ...alarms]);
}
