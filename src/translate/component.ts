// One VEVENT (a master, an override or a single event) → a Kakao EventCreate body, without
// recurrence. Recurrence and exceptions are added by event.ts.

import { unescapeText } from '../ics/content-lines.js';
import type { EventCreate, KakaoColor, KakaoTime } from '../kakao/types.js';
import { kakaoLimits } from '../kakao/types.js';
import type { TranslateWarning } from '../model/desired.js';
import { cssColorToKakaoColor, hexToKakaoColor, type KakaoColorMatch } from './colour.js';
import { type TranslateContext, zoneSource } from './context.js';
import { type EventSpan, readEventSpan } from './event-time.js';
import { snapToGrid } from './grid.js';
import type { ParsedComponent } from './parse.js';
import { prop } from './parse.js';
import { type AlarmSpec, alarmsToReminders, readAlarm } from './reminders.js';
import { buildLocation, parseGeo, parseGeoUri, truncateText } from './text.js';
import { kakaoTimestamp, wallToUtcMs } from './wall-time.js';

export const placeholderTitle = '(no title)';

export interface TranslatedComponent {
  event: EventCreate;
  span: EventSpan;
  /** Exact (not gridded) times as Kakao timestamps. */
  exact: { start: string; end: string };
}

/** Kakao time for a span shifted to start at `startMs` (UTC; all-day: date at 00:00Z). */
export function kakaoTimeFor(
  span: EventSpan,
  startMs: number,
  warnings: TranslateWarning[],
): { time: KakaoTime; exact: { start: string; end: string } } {
  const endMs = startMs + (span.endMs - span.startMs);
  const exact = { start: kakaoTimestamp(startMs), end: kakaoTimestamp(endMs) };
  if (span.allDay) {
    // Kakao's all-day end is exclusive: its sample one-day event runs 2022-10-27T00:00:00Z → 2022-10-28T00:00:00Z.
    return {
      time: { start_at: exact.start, end_at: exact.end, time_zone: span.zone.ianaName, all_day: true },
      exact,
    };
  }
  const grid = snapToGrid(startMs, endMs);
  if (grid.lengthened) {
    pushOnce(warnings, { code: 'rounded-to-grid', message: 'zero-length event shown as 5 minutes' });
  } else if (grid.rounded) {
    pushOnce(warnings, { code: 'rounded-to-grid', message: 'times rounded outward to the 5-minute grid' });
  }
  return {
    time: {
      start_at: kakaoTimestamp(grid.startMs),
      end_at: kakaoTimestamp(grid.endMs),
      time_zone: span.zone.ianaName,
      all_day: false,
    },
    exact,
  };
}

export function pushOnce(warnings: TranslateWarning[], w: TranslateWarning): void {
  if (!warnings.some((x) => x.code === w.code && x.message === w.message)) warnings.push(w);
}

function text(c: ParsedComponent, name: string): string | undefined {
  const value = textAsWritten(c, name)?.trim();
  return value === '' ? undefined : value;
}

/** A TEXT value unescaped and otherwise untouched (spaces, line breaks), or undefined when absent. */
function textAsWritten(c: ParsedComponent, name: string): string | undefined {
  const p = prop(c, name);
  return p ? unescapeText(p.value) : undefined;
}

/**
 * SUMMARY as written: Kakao forbids no character of a title, only an empty one (and a long one,
 * cut by the caller). A blank or missing SUMMARY becomes the placeholder, with a warning.
 */
function titleOf(c: ParsedComponent, warnings: TranslateWarning[]): string {
  const summary = textAsWritten(c, 'SUMMARY');
  if (summary !== undefined && summary.trim() !== '') return summary;
  pushOnce(warnings, {
    code: 'title-changed',
    message: `${summary === undefined ? 'no SUMMARY' : 'a blank SUMMARY'}: the title is "${placeholderTitle}" (Kakao requires one)`,
  });
  return placeholderTitle;
}

function readColour(c: ParsedComponent): KakaoColorMatch | undefined {
  const css = text(c, 'COLOR');
  if (css) {
    const m = cssColorToKakaoColor(css);
    if (m) return m;
  }
  const apple = text(c, 'X-APPLE-CALENDAR-COLOR');
  if (apple) {
    try {
      return hexToKakaoColor(apple);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export function readColourOf(c: ParsedComponent): KakaoColor | undefined {
  return readColour(c)?.color;
}

export function readAlarms(c: ParsedComponent): AlarmSpec[] {
  return c.children
    .filter((ch) => ch.name === 'VALARM')
    .map(readAlarm)
    .filter((a): a is AlarmSpec => a !== undefined);
}

/** Reminders of a component, or undefined when the field is to be omitted. */
export function remindersOf(
  c: ParsedComponent,
  span: EventSpan,
  ctx: TranslateContext,
  warnings: TranslateWarning[],
): number[] | undefined {
  const alarms = readAlarms(c);
  if (alarms.length === 0) {
    const valarms = c.children.filter((ch) => ch.name === 'VALARM');
    if (valarms.length > 0) {
      // The event did say something about alarms (Apple's ACTION:NONE, a PROCEDURE, an unreadable
      // TRIGGER), just nothing Kakao can show: no reminder, not the calendar's default.
      const silent = valarms.every((a) => prop(a, 'ACTION')?.value.trim().toUpperCase() === 'NONE');
      if (!silent)
        pushOnce(warnings, { code: 'reminders-dropped', message: 'alarms Kakao cannot show were dropped' });
      return [];
    }
    // Omitted, Kakao applies the calendar's default reminder — what a user of that calendar expects
    // for an event that simply did not say. [] only when the link asks for "no default reminders".
    return ctx.suppressDefaultReminders ? [] : undefined;
  }
  const startMs = span.allDay ? wallToUtcMs(span.startMs, span.zone) : span.startMs;
  const endMs = span.allDay ? wallToUtcMs(span.endMs, span.zone) : span.endMs;
  const result = alarmsToReminders(alarms, { allDay: span.allDay, startMs, endMs });
  for (const w of result.warnings) pushOnce(warnings, w);
  return result.reminders;
}

/** Title, description, location: the text fields an override may change too. */
export function textFields(
  c: ParsedComponent,
  warnings: TranslateWarning[],
): Pick<EventCreate, 'title' | 'description' | 'location'> {
  const fullTitle = titleOf(c, warnings);
  const title = truncateText(fullTitle, kakaoLimits.titleMax);
  const parts: string[] = [];
  if (title.truncated) {
    parts.push(fullTitle);
    pushOnce(warnings, {
      code: 'title-truncated',
      message: `title cut to ${kakaoLimits.titleMax} characters`,
    });
  }
  const body = text(c, 'DESCRIPTION');
  if (body) parts.push(body);
  const url = text(c, 'URL');
  if (url) parts.push(`URL: ${url}`);
  const description = truncateText(parts.join('\n\n'), kakaoLimits.descriptionMax);
  if (description.truncated) {
    pushOnce(warnings, {
      code: 'description-truncated',
      message: `description cut to ${kakaoLimits.descriptionMax} characters`,
    });
  }
  const geo =
    parseGeo(prop(c, 'GEO')?.value ?? '') ?? parseGeoUri(prop(c, 'X-APPLE-STRUCTURED-LOCATION')?.value ?? '');
  const place = buildLocation(text(c, 'LOCATION'), geo, kakaoLimits.locationNameMax);
  if (place.truncated) {
    pushOnce(warnings, {
      code: 'location-truncated',
      message: `location name cut to ${kakaoLimits.locationNameMax} characters`,
    });
  }
  const out: Pick<EventCreate, 'title' | 'description' | 'location'> = { title: title.text };
  if (description.text) out.description = description.text;
  if (place.location) out.location = place.location;
  return out;
}

/** A VEVENT as one Kakao event; undefined (with an 'invalid-item' warning) when it has no usable DTSTART. */
export function translateComponent(
  c: ParsedComponent,
  ctx: TranslateContext,
  timezones: ParsedComponent[],
  warnings: TranslateWarning[],
): TranslatedComponent | undefined {
  const span = readEventSpan(c, zoneSource(ctx, timezones), warnings);
  if (!span) {
    pushOnce(warnings, {
      code: 'invalid-item',
      message: 'VEVENT without a usable DTSTART (missing, malformed or past year 9999)',
    });
    return undefined;
  }
  const { time, exact } = kakaoTimeFor(span, span.startMs, warnings);
  const event: EventCreate = { ...textFields(c, warnings), time };
  const reminders = remindersOf(c, span, ctx, warnings);
  if (reminders !== undefined) event.reminders = reminders;
  const colour = readColour(c);
  if (colour) {
    event.color = colour.color;
    if (!colour.exact)
      pushOnce(warnings, { code: 'color-approximated', message: `colour shown as ${colour.color}` });
  }
  return { event: reorder(event), span, exact };
}

/** Stable key order, so equal events serialise (and hash) equally. */
export function reorder(e: EventCreate): EventCreate {
  const out: EventCreate = { title: e.title, time: e.time };
  if (e.rrule !== undefined) out.rrule = e.rrule;
  if (e.description !== undefined) out.description = e.description;
  if (e.location !== undefined) out.location = e.location;
  if (e.reminders !== undefined) out.reminders = e.reminders;
  if (e.color !== undefined) out.color = e.color;
  return out;
}
