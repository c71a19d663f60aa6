// VEVENT specs → one VCALENDAR text with ical-generator, driven through its API only (its output is
// never rewritten). Times go in as luxon DateTimes with the event's zone (STACK-NOTES: a JS Date
// with a zone is written hours off); VTIMEZONEs come from vtimezone-gen.ts for every zone used.
// RRULE, EXDATE and DURATION are one raw block (ical-generator's `repeating` string), so that
// EXDATEs carry the event's TZID (or VALUE=DATE) and ordinal BYDAY values (2TU) pass unchanged.

import type { ICalAlarmData, ICalCalendar, ICalEventData } from 'ical-generator';
import ical, { ICalAlarmType, ICalEventClass, ICalEventTransparency } from 'ical-generator';
import { DateTime } from 'luxon';
import type { AlarmSpec } from './reminders.js';
import type { VeventOverride, VeventSpec } from './vevent-spec.js';
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

/**
 * The instant is the second of two with the same wall clock (the repeated hour when clocks go
 * back): a TZID time would be read as the first (RFC 5545 §3.3.5), an hour early.
 */
export function isAmbiguousWallTime(at: DateTime, zone: string): boolean {
  const wall = at.setZone(zone);
  const wallMs = at.toMillis() + wall.offset * 60_000;
  // Any other offset the zone uses around `at` that gives the same wall clock at an earlier instant.
  const offsets = new Set([-1, 1].map((days) => at.plus({ days }).setZone(zone).offset));
  return [...offsets].some((offset) => {
    const candidate = wallMs - offset * 60_000;
    return candidate < at.toMillis() && DateTime.fromMillis(candidate, { zone }).offset === offset;
  });
}

/** A single event in the repeated hour is written in UTC; a TZID could not say which 01:30. */
export function writesInUtc(spec: VeventSpec): boolean {
  return (
    !spec.allDay &&
    !spec.rrule &&
    (isAmbiguousWallTime(spec.start, spec.zone) || isAmbiguousWallTime(spec.end, spec.zone))
  );
}

/** DTEND − DTSTART in hours and minutes: exact time, no nominal days (RFC 5545 §3.3.6). */
export function exactDuration(spec: VeventSpec): string {
  const minutes = Math.round(spec.end.diff(spec.start).as('minutes'));
  return `PT${Math.floor(minutes / 60)}H${minutes % 60}M`;
}

/** A series ending in the repeated hour: DTEND with a TZID would be read an hour early, DURATION is exact. */
export function endAsDuration(spec: VeventSpec): boolean {
  return !spec.allDay && spec.rrule !== undefined && isAmbiguousWallTime(spec.end, spec.zone);
}

/**
 * The raw block ical-generator writes unchanged in place of its own RRULE (its `repeating` string):
 * RRULE, EXDATE with the event's TZID or VALUE=DATE, and DURATION for a series ending in the
 * repeated hour (DTEND with a TZID would be read an hour early; ical-generator writes no DURATION).
 */
function recurrenceBlock(spec: VeventSpec): string {
  const lines = [`RRULE:${rruleForSpec(spec)}`, exdateLine(spec)];
  if (endAsDuration(spec)) lines.push(`DURATION:${exactDuration(spec)}`);
  return lines.filter(Boolean).join('\r\n');
}

/** The radius Apple Calendar gives a place pin (metres): X-APPLE-STRUCTURED-LOCATION needs one. */
const applePinRadiusMetres = 70;

/**
 * LOCATION, with the coordinates as GEO and as X-APPLE-STRUCTURED-LOCATION (`geo:lat,lon`), both
 * written by ical-generator. It writes GEO only when both coordinates are non-zero (a truthiness
 * check); the Apple property carries them in every case, and import reads it when GEO is absent.
 */
function locationData(spec: VeventSpec): ICalEventData['location'] {
  const title = locationText(spec);
  if (!title) return undefined;
  const lat = spec.location?.latitude;
  const lon = spec.location?.longitude;
  if (lat === undefined || lon === undefined) return { title };
  return { title, geo: { lat, lon }, radius: applePinRadiusMetres };
}

function eventData(spec: VeventSpec, stamp: Date): ICalEventData {
  const utc = writesInUtc(spec);
  const data: ICalEventData = {
    id: spec.uid,
    sequence: spec.sequence,
    stamp,
    start: utc ? spec.start.toUTC() : spec.start,
    end: utc ? spec.end.toUTC() : endAsDuration(spec) ? null : spec.end,
    allDay: spec.allDay,
    timezone: spec.allDay || utc ? null : spec.zone,
    summary: spec.summary,
  };
  if (spec.rrule) data.repeating = recurrenceBlock(spec);
  if (spec.description) data.description = spec.description;
  const location = locationData(spec);
  if (location) data.location = location;
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
    // Written as a single event: its own times may fall in a repeated hour even when the master's do not.
    const single: VeventSpec = {
      ...spec,
      summary: o.summary,
      start: o.start,
      end: o.end,
      exdates: [],
      overrides: [],
    };
    delete single.rrule;
    withInstanceDetail(single, o);
    const data = eventData(single, stamp);
    data.recurrenceId = o.recurrenceId as DateTime;
    addEvent(cal, data, spec.alarms);
  }
}

/** An override's own location and description (null or '' removes the master's). */
function withInstanceDetail(single: VeventSpec, o: VeventOverride): void {
  if (o.location === null) delete single.location;
  else if (o.location) single.location = o.location;
  if (o.description === '') delete single.description;
  else if (o.description) single.description = o.description;
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
