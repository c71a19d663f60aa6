// A VEVENT spec as the content lines Kakao determines (ComponentSpec), for the CalDAV write-back:
// patched into an existing object by ics-patch.ts, or written as a new object. Not carried: COLOR
// (RFC 7986 wants a CSS name; the original's colour is kept). Changed instances become overrides
// (title and time: what a Kakao listing shows of an instance).

import type { DateTime } from 'luxon';
import { type ContentLine, escapeText } from '../ics/content-lines.js';
import type { ComponentSpec } from './component-spec.js';
import { line } from './component-spec.js';
import { newIcs } from './ics-patch.js';
import { formatTrigger } from './reminders.js';
import { endAsDuration, exactDuration, locationText, rruleForSpec, writesInUtc } from './render-vevents.js';
import type { VeventSpec } from './vevent-spec.js';
import { vtimezoneFor } from './vtimezone-gen.js';

function timeLine(name: string, at: DateTime, spec: VeventSpec): ContentLine {
  if (spec.allDay) return line(name, at.toFormat('yyyyMMdd'), { VALUE: 'DATE' });
  if (spec.zone === 'UTC' || writesInUtc(spec))
    return line(name, at.toUTC().toFormat("yyyyMMdd'T'HHmmss'Z'"));
  return line(name, at.setZone(spec.zone).toFormat("yyyyMMdd'T'HHmmss"), { TZID: spec.zone });
}

/** `untilYear`: the last year the generated VTIMEZONE covers. */
export function veventToComponentSpec(spec: VeventSpec, untilYear = spec.start.year + 2): ComponentSpec {
  const location = locationText(spec);
  const lat = spec.location?.latitude;
  const lon = spec.location?.longitude;
  const out: ComponentSpec = {
    component: 'VEVENT',
    uid: spec.uid,
    set: {
      SUMMARY: [line('SUMMARY', escapeText(spec.summary))],
      DTSTART: [timeLine('DTSTART', spec.start, spec)],
      DTEND: endAsDuration(spec) ? [] : [timeLine('DTEND', spec.end, spec)],
      DURATION: endAsDuration(spec) ? [line('DURATION', exactDuration(spec))] : [],
      RRULE: spec.rrule ? [line('RRULE', rruleForSpec(spec))] : [],
      DESCRIPTION: spec.description ? [line('DESCRIPTION', escapeText(spec.description))] : [],
      LOCATION: location ? [line('LOCATION', escapeText(location))] : [],
      GEO: lat !== undefined && lon !== undefined ? [line('GEO', `${lat};${lon}`)] : [],
    },
    alarms: spec.alarms.map((a) =>
      'absoluteMs' in a.trigger
        ? line('TRIGGER', formatTrigger(a.trigger), { VALUE: 'DATE-TIME' })
        : line('TRIGGER', formatTrigger(a.trigger), a.trigger.related === 'END' ? { RELATED: 'END' } : {}),
    ),
    addExdates: spec.exdates.map((d) => timeLine('EXDATE', d, spec)),
    overrides: spec.overrides.map((o) => {
      // The instance's own times may fall in a repeated hour even when the master's do not.
      const single: VeventSpec = { ...spec, start: o.start, end: o.end, overrides: [] };
      delete single.rrule;
      return {
        recurrenceId: timeLine('RECURRENCE-ID', o.recurrenceId, spec),
        set: {
          SUMMARY: [line('SUMMARY', escapeText(o.summary))],
          DTSTART: [timeLine('DTSTART', o.start, single)],
          DTEND: [timeLine('DTEND', o.end, single)],
          DURATION: [],
        },
      };
    }),
  };
  if (spec.lunar) out.set['X-TALKCAL-LUNAR'] = [line('X-TALKCAL-LUNAR', '1')];
  const tz = spec.allDay
    ? null
    : vtimezoneFor(spec.zone, spec.start.year - 1, Math.max(untilYear, spec.start.year));
  if (tz) out.timezones = [tz];
  return out;
}

/** A new CalDAV object for an event created on the Kakao side. */
export function newIcsFromVevent(spec: VeventSpec, now: Date = new Date()): string {
  const component = veventToComponentSpec(spec, now.getUTCFullYear() + 2);
  // A new object records where it came from (patches leave the user's objects without it).
  if (spec.kakaoId) component.set['X-TALKCAL-KAKAO-ID'] = [line('X-TALKCAL-KAKAO-ID', spec.kakaoId)];
  return newIcs(component, now);
}
