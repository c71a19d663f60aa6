// Exceptions of a recurring master: EXDATE/RDATE instants in the series' terms, overrides by the
// instance they replace, whether an override fits a Kakao THIS update, and that update.
import { type Revision, supersedes } from '../ics/revision.js';
import type { InstanceOperation, TranslateWarning } from '../model/desired.js';
import { kakaoTimeFor, pushOnce, readColourOf, remindersOf, textFields } from './component.js';
import { type TranslateContext, zoneSource } from './context.js';
import { tzidOnUtc } from './contradictions.js';
import { parseDuration } from './duration.js';
import { dateOnlyMs, type EventSpan, instantOf, readEventSpan } from './event-time.js';
import { overridesCapped } from './limit-warnings.js';
import type { ParsedComponent } from './parse.js';
import { prop, propsNamed } from './parse.js';
import {
  compactUtc,
  type DateValue,
  parseDateValue,
  utcToWallMs,
  wallAsUtcMs,
  wallToUtcMs,
} from './wall-time.js';

export interface Override {
  component: ParsedComponent;
  /** Original start of the instance it replaces (UTC ms; all-day: date at 00:00Z). */
  originalMs: number;
  thisAndFuture: boolean;
  cancelled: boolean;
}

export function sequenceOf(c: ParsedComponent): number {
  const n = Number.parseInt(prop(c, 'SEQUENCE')?.value ?? '0', 10);
  return Number.isFinite(n) ? n : 0;
}

function revisionOf(c: ParsedComponent): Revision {
  return { sequence: sequenceOf(c), stamp: prop(c, 'DTSTAMP')?.value.trim() ?? '' };
}

export function isCancelled(c: ParsedComponent): boolean {
  return prop(c, 'STATUS')?.value.trim().toUpperCase() === 'CANCELLED';
}

export interface ListedStart {
  ms: number;
  /** The same wall time read in the series' zone, when the value names another zone. */
  inSeriesZone?: number;
  /** A timed PERIOD value's own length (ms): that occurrence lasts this long, not the master's length. */
  lengthMs?: number;
}

/**
 * A date list property (EXDATE, RDATE) → starts in the series' terms. A PERIOD value (RFC 5545
 * §3.3.9, `start/end` or `start/duration`) gives its start and, in a timed series, its own length.
 */
export function listStarts(
  c: ParsedComponent,
  name: string,
  master: EventSpan,
  ctx: TranslateContext,
  timezones: ParsedComponent[],
  warnings: TranslateWarning[],
): ListedStart[] {
  const out: ListedStart[] = [];
  for (const p of propsNamed(c, name)) {
    const zoned = tzidOnUtc(p);
    if (zoned) pushOnce(warnings, zoned);
    const period = (p.params.VALUE ?? '').toUpperCase() === 'PERIOD';
    for (const v of p.value.split(',')) {
      const [startText = '', endText] = period ? v.split('/') : [v];
      const value = parseDateValue(startText, p.params);
      if (!value) continue;
      const ms = seriesStart(value, master, ctx, timezones, warnings);
      const other = !master.allDay && value.kind === 'local' && value.tzid !== undefined;
      const listed: ListedStart = other
        ? { ms, inSeriesZone: wallToUtcMs(wallAsUtcMs(value.wall), master.zone) }
        : { ms };
      const lengthMs =
        period && !master.allDay
          ? periodLength(ms, endText, p.params, master, ctx, timezones, warnings)
          : undefined;
      if (lengthMs !== undefined) listed.lengthMs = lengthMs;
      out.push(listed);
    }
  }
  return out;
}

/** The length of a PERIOD starting at `startMs`: its end (a date-time) or its duration. */
function periodLength(
  startMs: number,
  endText: string | undefined,
  params: Record<string, string>,
  master: EventSpan,
  ctx: TranslateContext,
  timezones: ParsedComponent[],
  warnings: TranslateWarning[],
): number | undefined {
  if (!endText) return undefined;
  const end = parseDateValue(endText, params);
  let endMs: number | undefined;
  if (end && end.kind !== 'date') endMs = seriesStart(end, master, ctx, timezones, warnings);
  const duration = end ? undefined : parseDuration(endText);
  if (duration) {
    // Days are nominal (the same wall time in the series' zone), the rest exact — as for DURATION.
    const wallEnd = utcToWallMs(startMs, master.zone) + duration.sign * duration.days * 86_400_000;
    endMs = wallToUtcMs(wallEnd, master.zone) + duration.sign * duration.seconds * 1000;
  }
  if (endMs === undefined) {
    pushOnce(warnings, {
      code: 'invalid-item',
      message: `RDATE period "${`${endText}`.slice(0, 40)}" has no readable end or duration; the event's own length is used`,
    });
    return undefined;
  }
  if (endMs >= startMs) return endMs - startMs;
  pushOnce(warnings, {
    code: 'contradictory-times',
    message: 'an RDATE period ends before it starts; that occurrence is read as zero-length',
  });
  return 0;
}

/** Whether a start (UTC ms; all-day: date at 00:00Z) is an occurrence of the series' rules. */
export type OccurrenceTest = (startMs: number) => boolean;

/** The EXDATEs whose zone differs from the series' one: the starts `exdateStarts` must test. */
export function zoneMismatchProbes(listed: ListedStart[]): number[] {
  return listed.flatMap(({ ms, inSeriesZone }) =>
    inSeriesZone !== undefined && inSeriesZone !== ms ? [ms, inSeriesZone] : [],
  );
}

/**
 * EXDATE instants. An EXDATE whose own zone names no occurrence, but whose wall time does in the
 * series' zone, means that occurrence (Outlook writes DTSTART and EXDATE in different TZIDs).
 */
export function exdateStarts(listed: ListedStart[], occurs: OccurrenceTest): number[] {
  return listed.map(({ ms, inSeriesZone }) =>
    inSeriesZone !== undefined && inSeriesZone !== ms && !occurs(ms) && occurs(inSeriesZone)
      ? inSeriesZone
      : ms,
  );
}

export function seriesStart(
  value: DateValue,
  master: EventSpan,
  ctx: TranslateContext,
  timezones: ParsedComponent[],
  warnings: TranslateWarning[],
): number {
  if (master.allDay) return dateOnlyMs(value.wall);
  // A floating value in a zoned series is read in the series' zone (what clients mean by it).
  if (value.kind === 'local' && !value.tzid) return wallToUtcMs(wallAsUtcMs(value.wall), master.zone);
  return instantOf(value, zoneSource(ctx, timezones), warnings);
}

/**
 * Overrides by original start; of several for one RECURRENCE-ID the highest SEQUENCE wins. Past
 * limits.maxOverridesPerSeries, those nearest the horizon are kept (inside it first, then by
 * distance, earlier first on a tie), with an 'overrides-capped' warning.
 */
export function collectOverrides(
  components: ParsedComponent[],
  master: EventSpan,
  ctx: TranslateContext,
  timezones: ParsedComponent[],
  warnings: TranslateWarning[],
  /** Overrides already left out before translation (by the feed splitter). */
  ignored = 0,
): Map<number, Override> {
  const byStart = new Map<number, Override>();
  for (const c of components) {
    const rid = prop(c, 'RECURRENCE-ID');
    const value = rid && parseDateValue(rid.value, rid.params);
    if (!value) {
      pushOnce(warnings, {
        code: 'invalid-item',
        message: 'override with an unreadable RECURRENCE-ID ignored',
      });
      continue;
    }
    const zoned = tzidOnUtc(rid);
    if (zoned) pushOnce(warnings, zoned);
    const originalMs = seriesStart(value, master, ctx, timezones, warnings);
    const existing = byStart.get(originalMs);
    if (existing && !supersedes(revisionOf(c), revisionOf(existing.component))) continue;
    byStart.set(originalMs, {
      component: c,
      originalMs,
      thisAndFuture: (rid.params.RANGE ?? '').toUpperCase() === 'THISANDFUTURE',
      cancelled: isCancelled(c),
    });
  }
  const max = ctx.limits.maxOverridesPerSeries;
  if (byStart.size <= max && ignored === 0) return byStart;
  pushOnce(warnings, overridesCapped(Math.min(max, byStart.size), byStart.size + ignored));
  return byStart.size <= max ? byStart : nearestHorizon(byStart, ctx.horizon, max);
}

function nearestHorizon(
  byStart: Map<number, Override>,
  horizon: TranslateContext['horizon'],
  max: number,
): Map<number, Override> {
  const from = horizon.from.getTime();
  const to = horizon.to.getTime();
  const distance = (ms: number) => (ms < from ? from - ms : ms >= to ? ms - to + 1 : 0);
  const kept = [...byStart.keys()]
    .sort((a, b) => distance(a) - distance(b) || a - b)
    .slice(0, max)
    .sort((a, b) => a - b);
  return new Map(kept.map((ms) => [ms, byStart.get(ms) as Override]));
}

/** Why an override cannot be a THIS update (it changes a field THIS may not touch). */
export function overrideBlocker(
  o: Override,
  masterComponent: ParsedComponent,
  master: EventSpan,
  ctx: TranslateContext,
  timezones: ParsedComponent[],
  occurs: OccurrenceTest,
): string | undefined {
  if (o.cancelled) return undefined;
  const scratch: TranslateWarning[] = [];
  const span = readEventSpan(o.component, zoneSource(ctx, timezones), scratch);
  if (!span) return 'override without a readable DTSTART';
  if (span.allDay !== master.allDay) return 'override changes all-day-ness';
  if (!occurs(o.originalMs)) return 'override of an instance the rule does not produce';
  // An override without VALARM or colour keeps the series' ones: Exchange and others leave them out
  // of overrides, and expanding every such series would cost one Kakao event per occurrence.
  if (o.component.children.some((ch) => ch.name === 'VALARM')) {
    const masterReminders = JSON.stringify(remindersOf(masterComponent, master, ctx, scratch));
    if (JSON.stringify(remindersOf(o.component, span, ctx, scratch)) !== masterReminders)
      return 'override changes reminders';
  }
  const colour = readColourOf(o.component);
  if (colour !== undefined && colour !== readColourOf(masterComponent)) return 'override changes colour';
  return undefined;
}

export function instanceOperation(
  o: Override,
  ctx: TranslateContext,
  timezones: ParsedComponent[],
  warnings: TranslateWarning[],
): InstanceOperation {
  const scope = o.thisAndFuture ? 'THIS_AND_FOLLOWING' : 'THIS';
  const instanceStart = compactUtc(o.originalMs);
  if (o.cancelled) return { instanceStart, action: 'delete', scope };
  const span = readEventSpan(o.component, zoneSource(ctx, timezones), warnings) as EventSpan;
  const { time } = kakaoTimeFor(span, span.startMs, warnings);
  const text = textFields(o.component, warnings);
  // THIS may not touch all_day/lunar, so the update's time carries neither.
  const { all_day: _allDay, lunar: _lunar, ...updateTime } = time;
  return {
    instanceStart,
    action: 'update',
    scope,
    update: {
      title: text.title,
      time: updateTime,
      description: text.description ?? '',
      location: text.location ?? null,
    },
  };
}
