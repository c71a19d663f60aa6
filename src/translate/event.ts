// One source item (master + overrides of one UID) → the Kakao events it should become.
// A recurrence Kakao can represent becomes one 'main' unit with `rrule` and instance operations;
// anything else becomes one unit per occurrence inside ctx.horizon (see docs/recurrence.md).
import type {
  DesiredEvent,
  DesiredEventItem,
  InstanceOperation,
  TranslateWarning,
} from '../model/desired.js';
import type { SourceItem } from '../sources/storage.js';
import {
  kakaoTimeFor,
  pushOnce,
  reorder,
  type TranslatedComponent,
  translateComponent,
} from './component.js';
import { type TranslateContext, zoneSource } from './context.js';
import { dateOnlyMs, instantOf } from './event-time.js';
import {
  collectOverrides,
  exdateStarts,
  instanceOperation,
  isCancelled,
  type ListedStart,
  listStarts,
  type Override,
  overrideBlocker,
  sequenceOf,
  zoneMismatchProbes,
} from './exceptions.js';
import { hasLunarMark } from './export-marks.js';
import { occurrencesCapped, readingWarnings, ruleTooCostly } from './limit-warnings.js';
import type { ParsedComponent } from './parse.js';
import { parseComponents, prop, propsNamed } from './parse.js';
import {
  expandOccurrences,
  normaliseRule,
  occurrenceTester,
  RuleTooCostlyError,
  ruleSyntaxError,
  type Series,
  UnreadableRuleError,
  unrepresentableReason,
} from './recurrence.js';
import { firstKeptStart, ruleFromKeptStart } from './series-start.js';
import { compactUtc, parseDateValue } from './wall-time.js';

function invalid(item: SourceItem, warnings: TranslateWarning[], message: string): DesiredEventItem {
  pushOnce(warnings, { code: 'invalid-item', message });
  return { kind: 'event', sourceKey: item.uid, units: [], warnings, exactTimes: {} };
}

export function translateEvent(item: SourceItem, context: TranslateContext): DesiredEventItem {
  const warnings: TranslateWarning[] = [];
  const parsed = parseComponents(item.ics, context.limits);
  const ctx = parsed.calendarTimeZone ? { ...context, calendarTimeZone: parsed.calendarTimeZone } : context;
  for (const w of readingWarnings(parsed, ctx.limits)) pushOnce(warnings, w);
  const sameUid = parsed.events.filter((e) => prop(e, 'UID')?.value.trim() === item.uid);
  const events = sameUid.length > 0 ? sameUid : parsed.events;
  if (events.length === 0) return invalid(item, warnings, 'no VEVENT in the item');
  if (hasLunarMark(item.uid, events)) {
    // Re-importing it would create a second, solar copy of the lunar event it came from.
    pushOnce(warnings, {
      code: 'unsupported',
      message: 'our own exported lunar occurrence (X-TALKCAL-LUNAR): not imported again',
    });
    return { kind: 'event', sourceKey: item.uid, units: [], warnings, exactTimes: {} };
  }
  const timezones = parsed.timezones;
  const masters = events.filter((e) => !prop(e, 'RECURRENCE-ID'));
  const overrides = events.filter((e) => prop(e, 'RECURRENCE-ID'));
  const result: DesiredEventItem = {
    kind: 'event',
    sourceKey: item.uid,
    units: [],
    warnings,
    exactTimes: {},
  };

  const masterComponent = masters.sort((a, b) => sequenceOf(b) - sequenceOf(a))[0];
  if (!masterComponent) return orphanOverrides(result, overrides, ctx, timezones);
  if (isCancelled(masterComponent)) return result;
  const base = translateComponent(masterComponent, ctx, timezones, warnings);
  if (!base) return result;

  const rrules = propsNamed(masterComponent, 'RRULE').map((p) => p.value);
  const hasRdate = propsNamed(masterComponent, 'RDATE').length > 0;
  if (rrules.length === 0 && !hasRdate) {
    if (overrides.length > 0)
      pushOnce(warnings, { code: 'unsupported', message: 'overrides of a non-recurring event ignored' });
    result.units.push({ unitKey: 'main', event: base.event, instances: [] });
    result.exactTimes.main = base.exact;
    return result;
  }
  const rdates = listStarts(masterComponent, 'RDATE', base.span, ctx, timezones, warnings);
  const recurring: Recurring = {
    master: masterComponent,
    base,
    series: {
      rrules,
      startWallMs: base.span.allDay ? base.span.startMs : base.span.startWallMs,
      zone: base.span.zone,
      allDay: base.span.allDay,
      rdates: rdates.map((l) => l.ms),
      exdates: [],
    },
    periodLengths: new Map(rdates.flatMap((l) => (l.lengthMs === undefined ? [] : [[l.ms, l.lengthMs]]))),
    overrides: collectOverrides(overrides, base.span, ctx, timezones, warnings, item.ignoredOverrides),
  };
  const listedExdates = listStarts(masterComponent, 'EXDATE', base.span, ctx, timezones, warnings);
  try {
    return translateSeries(result, recurring, listedExdates, ctx, timezones);
  } catch (error) {
    if (error instanceof RuleTooCostlyError) {
      // Neither the rule nor a part of it: what a hostile or broken rule would be cut to is a guess.
      result.units = [];
      result.exactTimes = {};
      pushOnce(warnings, ruleTooCostly(error.message));
      return result;
    }
    if (!(error instanceof UnreadableRuleError)) throw error;
    // The rrule library rejected the rule: keep the first occurrence rather than lose the event.
    result.units = [{ unitKey: 'main', event: base.event, instances: [] }];
    result.exactTimes = { main: base.exact };
    pushOnce(warnings, {
      code: 'unsupported',
      message: `unreadable RRULE (${(error as Error).message}); only the first occurrence is kept`,
    });
    return result;
  }
}

/** A recurring master, read: its translation, its series and its overrides by original start. */
interface Recurring {
  master: ParsedComponent;
  base: TranslatedComponent;
  series: Series;
  overrides: Map<number, Override>;
  /** RDATE;VALUE=PERIOD starts → their own lengths (ms). */
  periodLengths: Map<number, number>;
}

/** The series as one Kakao RRULE with instance operations, or one unit per occurrence. */
function translateSeries(
  result: DesiredEventItem,
  r: Recurring,
  listedExdates: ListedStart[],
  ctx: TranslateContext,
  timezones: ParsedComponent[],
): DesiredEventItem {
  const { series, master, base } = r;
  const syntaxError = series.rrules.map(ruleSyntaxError).find((e) => e !== undefined);
  if (syntaxError) throw new UnreadableRuleError(syntaxError);
  const maxIterations = ctx.limits.maxRuleIterations;
  const zoneProbes = occurrenceTester(series, zoneMismatchProbes(listedExdates), maxIterations);
  series.exdates = [...new Set(exdateStarts(listedExdates, zoneProbes))];
  const reason = ctx.expandRecurrences ? 'a public event cannot recur' : expansionReason(r);
  if (reason) return expand(result, r, ctx, timezones, 'recurrence-expanded', reason);

  const excluded = new Set(series.exdates);
  const live = [...r.overrides.values()].filter((o) => !excluded.has(o.originalMs)); // deleted anyway
  const occurs = occurrenceTester(
    series,
    [...series.exdates, ...live.map((o) => o.originalMs)],
    maxIterations,
  );
  for (const o of live) {
    const blocker = overrideBlocker(o, master, base.span, ctx, timezones, occurs);
    if (blocker) return expand(result, r, ctx, timezones, 'override-expanded', blocker);
  }
  // A removed first occurrence would leave ALL calls nothing to address: start at the first kept.
  const removed = new Set([
    ...series.exdates.filter(occurs),
    ...live.filter((o) => o.cancelled && !o.thisAndFuture).map((o) => o.originalMs),
  ]);
  const kept = firstKeptStart(series, base.span.startMs, removed, maxIterations);
  const startMs = kept === undefined ? base.span.startMs : kept?.startMs;
  const cutAt = live.find(
    (o) => o.cancelled && o.thisAndFuture && startMs !== undefined && o.originalMs <= startMs,
  );
  if (kept === null || startMs === undefined || cutAt) return result; // no occurrence is kept
  const instances: InstanceOperation[] = [];
  for (const ex of series.exdates) {
    if (occurs(ex) && ex > startMs)
      instances.push({ instanceStart: compactUtc(ex), action: 'delete', scope: 'THIS' });
  }
  for (const o of live)
    if (o.originalMs >= startMs) instances.push(instanceOperation(o, ctx, timezones, result.warnings));
  instances.sort((a, b) => a.instanceStart.localeCompare(b.instanceStart));
  const start = kept ? kakaoTimeFor(base.span, kept.startMs, result.warnings) : undefined;
  const rule = ruleFromKeptStart(series.rrules[0] as string, kept?.skipped ?? 0);
  const event = reorder({
    ...base.event,
    ...(start ? { time: start.time } : {}),
    rrule: normaliseRule(rule, series.zone, series.allDay),
  });
  result.units.push({ unitKey: 'main', event, instances });
  result.exactTimes.main = start?.exact ?? base.exact;
  return result;
}

/** Why Kakao cannot take the series as one RRULE, or undefined when it can. */
function expansionReason({ series, master }: Recurring): string | undefined {
  if (series.rrules.length > 1) return 'several RRULEs';
  if (propsNamed(master, 'RDATE').length > 0) return 'RDATE';
  if (propsNamed(master, 'EXRULE').length > 0) return 'EXRULE';
  // Kakao would repeat the wall time in the stand-in zone, drifting at the custom zone's changes.
  if (series.zone.approximate) return `a time zone Kakao does not know (${series.zone.ianaName} stands in)`;
  return unrepresentableReason(series.rrules[0] as string);
}

/** One unit per occurrence inside the horizon (the first limits.maxOccurrencesPerEvent), keyed by the occurrence's original start. */
function expand(
  result: DesiredEventItem,
  { series, base, overrides, periodLengths }: Recurring,
  ctx: TranslateContext,
  timezones: ParsedComponent[],
  code: 'recurrence-expanded' | 'override-expanded',
  reason: string,
): DesiredEventItem {
  const warnings = result.warnings;
  pushOnce(warnings, {
    code,
    message: `${reason}: Kakao cannot represent it, so each occurrence in the horizon is its own event`,
  });
  const from = ctx.horizon.from.getTime();
  const to = ctx.horizon.to.getTime();
  const max = ctx.limits.maxOccurrencesPerEvent;
  // All-day occurrences are dates at 00:00Z: widen by a day so the horizon's edges do not cut them.
  const expansion = expandOccurrences(series, series.allDay ? from - 86_400_000 : from, to, {
    maxOccurrences: max,
    maxIterations: ctx.limits.maxRuleIterations,
  });
  const starts = new Set(expansion.starts);
  // Overridden instances count even where the rule has none, unless an EXDATE removes them.
  const excluded = new Set(series.exdates);
  for (const o of overrides.keys()) if (o >= from && o < to && !excluded.has(o)) starts.add(o);
  const ordered = [...starts].sort((a, b) => a - b);
  if (expansion.capped || ordered.length > max)
    pushOnce(warnings, occurrencesCapped(Math.min(max, ordered.length)));
  const units: DesiredEvent[] = [];
  for (const start of ordered.slice(0, max)) {
    const unitKey = compactUtc(start);
    const o = overrides.get(start);
    if (o?.cancelled) continue;
    if (o) {
      const t = translateComponent(o.component, ctx, timezones, warnings);
      if (!t) continue;
      units.push({ unitKey, event: t.event, instances: [] });
      result.exactTimes[unitKey] = t.exact;
    } else {
      const length = periodLengths.get(start);
      const span = length === undefined ? base.span : { ...base.span, endMs: base.span.startMs + length };
      const { time, exact } = kakaoTimeFor(span, start, warnings);
      units.push({ unitKey, event: { ...base.event, time }, instances: [] });
      result.exactTimes[unitKey] = exact;
    }
  }
  result.units = units;
  return result;
}

/** Overrides without their master (an invitation to one instance): each is a single event. */
function orphanOverrides(
  result: DesiredEventItem,
  overrides: ParsedComponent[],
  ctx: TranslateContext,
  timezones: ParsedComponent[],
): DesiredEventItem {
  for (const c of overrides) {
    if (isCancelled(c)) continue;
    const t = translateComponent(c, ctx, timezones, result.warnings);
    if (!t) continue;
    const rid = prop(c, 'RECURRENCE-ID');
    const value = rid && parseDateValue(rid.value, rid.params);
    const originalMs =
      value &&
      (value.kind === 'date'
        ? dateOnlyMs(value.wall)
        : instantOf(value, zoneSource(ctx, timezones), result.warnings));
    const key = typeof originalMs === 'number' ? compactUtc(originalMs) : `override-${result.units.length}`;
    if (result.units.some((u) => u.unitKey === key)) continue;
    result.units.push({ unitKey: key, event: t.event, instances: [] });
    result.exactTimes[key] = t.exact;
  }
  return result;
}
