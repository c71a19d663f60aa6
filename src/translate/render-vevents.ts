// VEVENT specs → one VCALENDAR text with ical-generator. Times go in as luxon DateTimes with the
// event's zone (STACK-NOTES: a JS Date with a zone is written hours off); VTIMEZONEs come from
// vtimezone-gen.ts for every zone used. RRULE and EXDATE are written as one raw block so that
// EXDATEs carry the event's TZID (or VALUE=DATE) and ordinal BYDAY values (2TU) pass unchanged.

import type { ICalAlarmData, ICalCalendar, ICalEventData } from 'ical-generator';
import ical, { ICalAlarmType, ICalEventClass, ICalEventTransparency } from 'ical-generator';
import type { DateTime } from 'luxon';
import type { AlarmSpec } from './reminders.js';
import type { VeventSpec } from './vevent-spec.js';
import { vtimezoneFor } from './vtimezone-gen.js';

export interface CalendarMeta {
  name?: string;
  description?: string;
  prodId?: string;
  /** DTSTAMP of every event (pass the publish time; defaults to now). */
  now?: Date;
}

/** A RRULE value for this event: an all-day master gets a DATE UNTIL (RFC 5545 §3.3.10). */
export function rruleForSpec(spec: VeventSpec): string {
  return spec
    .rrule!.split(';')
    .filter(Boolean)
    .map((part) => {
      const m = part.match(/^UNTIL=(\d{8})(T\d{6}Z?)?$/i);
      if (!m || !spec.allDay || !m[2]) return part;
      return `UNTIL=${m[1]}`;
    })
    .join(';');
}

function exdateLine(spec: VeventSpec): string | undefined {
  if (spec.exdates.length === 0) return undefined;
  if (spec.allDay) return `EXDATE;VALUE=DATE:${spec.exdates.map((d) => d.toFormat('yyyyMMdd')).join(',')}`;
  const values = spec.exdates.map((d) => d.setZone(spec.zone).toFormat("yyyyMMdd'T'HHmmss")).join(',');
  return `EXDATE;TZID=${spec.zone}:${values}`;
}

function alarmData(alarm: AlarmSpec): ICalAlarmData {
  const type = alarm.action === 'AUDIO' ? ICalAlarmType.audio : ICalAlarmType.display;
  const t = alarm.trigger;
  if ('absoluteMs' in t) return { type, trigger: new Date(t.absoluteMs), description: 'Reminder' };
  // ical-generator: a number is seconds BEFORE the anchor.
  return { type, trigger: -t.offsetSeconds, description: 'Reminder' };
}

/**
 * ical-generator 11 ignores `relatesTo` in alarm data and writes any alarm after the anchor as
 * RELATED=END (wrong for an all-day "9:00 on the day"): set it on the created alarm instead.
 */
function addEvent(cal: ICalCalendar, data: ICalEventData, alarms: AlarmSpec[]): void {
  const event = cal.createEvent(data);
  for (const alarm of alarms) {
    const created = event.createAlarm(alarmData(alarm));
    if (!('absoluteMs' in alarm.trigger)) created.relatesTo(alarm.trigger.related);
  }
}

/** LOCATION text: "name, address" (text.ts splits it the same way on import). */
export function locationText(spec: VeventSpec): string | undefined {
  const loc = spec.location;
  if (!loc?.name) return undefined;
  return loc.address ? `${loc.name}, ${loc.address}` : loc.name;
}

function eventData(spec: VeventSpec, stamp: Date): ICalEventData {
  const data: ICalEventData = {
    id: spec.uid,
    sequence: spec.sequence,
    stamp,
    start: spec.start,
    end: spec.end,
    allDay: spec.allDay,
    timezone: spec.allDay ? null : spec.zone,
    summary: spec.summary,
  };
  if (spec.rrule)
    data.repeating = [`RRULE:${rruleForSpec(spec)}`, exdateLine(spec)].filter(Boolean).join('\r\n');
  if (spec.description) data.description = spec.description;
  const location = locationText(spec);
  if (location) {
    const lat = spec.location?.latitude;
    const lon = spec.location?.longitude;
    data.location =
      lat !== undefined && lon !== undefined ? { title: location, geo: { lat, lon } } : { title: location };
  }
  const x: [string, string][] = [];
  if (spec.color) x.push(['X-TALKCAL-COLOR', spec.color.kakao], ['X-APPLE-CALENDAR-COLOR', spec.color.hex]);
  if (spec.kakaoId) x.push(['X-TALKCAL-KAKAO-ID', spec.kakaoId]);
  if (spec.lunar) x.push(['X-TALKCAL-LUNAR', '1']);
  if (x.length > 0) data.x = x;
  if (spec.busy) {
    data.transparency = ICalEventTransparency.OPAQUE;
    data.class = ICalEventClass.PRIVATE;
  }
  return data;
}

function addOverrides(cal: ICalCalendar, spec: VeventSpec, stamp: Date): void {
  for (const o of spec.overrides) {
    const data = eventData(
      { ...spec, summary: o.summary, start: o.start, end: o.end, exdates: [], overrides: [] },
      stamp,
    );
    delete data.repeating;
    data.recurrenceId = o.recurrenceId as DateTime;
    addEvent(cal, data, spec.alarms);
  }
}

/** Years the VTIMEZONEs cover: from the earliest start to two years past the latest (or `now`). */
function yearRange(specs: VeventSpec[], now: Date): [number, number] {
  const years = specs.flatMap((s) => [s.start.year, s.end.year, ...s.overrides.map((o) => o.start.year)]);
  return [Math.min(...years) - 1, Math.max(...years, now.getUTCFullYear()) + 2];
}

/** One VCALENDAR holding every spec (masters with their overrides), with the VTIMEZONEs used. */
export function renderVevents(specs: VeventSpec[], meta: CalendarMeta = {}): string {
  const stamp = meta.now ?? new Date();
  const [fromYear, toYear] = specs.length > 0 ? yearRange(specs, stamp) : [0, 0];
  const cal = ical({
    prodId: meta.prodId ?? '//talkcal-sync//Talk Calendar export//EN',
    timezone: { name: null, generator: (zone) => vtimezoneFor(zone, fromYear, toYear) },
  });
  if (meta.name) cal.name(meta.name);
  if (meta.description) cal.description(meta.description);
  for (const spec of specs) {
    addEvent(cal, eventData(spec, stamp), spec.alarms);
    addOverrides(cal, spec, stamp);
  }
  return cal.toString();
}
