// Kakao event → VEVENT specs (export to feeds and CalDAV). Rules:
// - A recurring event becomes its RRULE master (DTSTART = dt_start); given the instances a listing
//   returned for the horizon, an expected occurrence missing from them becomes an EXDATE, and one
//   whose title or time differs becomes an override (RECURRENCE-ID = its original start). The
//   listing must cover the whole horizon, or missing instances would be read as deletions.
// - Another app's event (only `time` known) becomes a "Busy" block, or nothing with otherApps 'hide'.
// - A lunar event becomes one VEVENT per occurrence inside the horizon, on its solar date, with UID
//   `<uid>-lunar-<yyyyMMdd>` and X-TALKCAL-LUNAR:1 (so import can recognise and skip it).
// - Reminders → alarms (remindersToAlarms), colour → hex (kakaoColorToHex), location kept whole.
import { DateTime, IANAZone } from 'luxon';
import rrule from 'rrule';
import type { EventBrief, EventDetail } from '../kakao/types.js';
import { TalkcalError } from '../model/errors.js';
import { kakaoColorToHex } from './colour.js';
import { lunarOccurrences } from './lunar.js';
import { remindersToAlarms } from './reminders.js';
import type { InstanceDetail, VeventOverride, VeventSpec } from './vevent-spec.js';
import { utcToWallMs, wallToUtcMs } from './wall-time.js';
import { ianaRules } from './zone.js';

const { RRule } = rrule;

/** A Kakao event whose time or rule cannot be read (hostile or changed wire data). */
export class UnreadableKakaoEventError extends TalkcalError {
  readonly scope = 'item';
  constructor(
    readonly eventId: string | undefined,
    detail: string,
  ) {
    super(`Kakao event ${eventId ?? '(other app)'} cannot be exported: ${detail}`);
  }
}

export interface ExportOptions {
  horizon: { from: Date; to: Date };
  /** Zone for events without a valid time_zone (the API's default is Asia/Seoul). */
  zone: string;
  otherApps: 'busy' | 'hide';
  /**
   * For a recurring event: the instances a listing returned for the horizon (ids `<id>_<start>`),
   * with the detail fields our own THIS updates gave them where known.
   */
  instances?: (EventBrief & InstanceDetail)[];
  /** UID to use instead of one derived from the Kakao id (an item that came from a source). */
  uid?: string;
  sequence?: number;
}

const kakaoIdSuffix = /_(\d{8}T\d{6}Z)$/;

function zoneOf(event: EventBrief, fallback: string): string {
  const tz = event.time.time_zone;
  return tz && IANAZone.isValidZone(tz) ? tz : fallback;
}

function utc(text: string): DateTime {
  const at = DateTime.fromISO(text, { zone: 'UTC' });
  if (!at.isValid)
    throw new UnreadableKakaoEventError(undefined, `time ${JSON.stringify(text).slice(0, 40)}`);
  return at;
}

/** A Kakao time value in the event's zone; all-day values are midnight of their UTC date there. */
function local(text: string, zone: string, allDay: boolean): DateTime {
  const at = utc(text);
  if (!allDay) return at.setZone(zone);
  return DateTime.fromObject({ year: at.year, month: at.month, day: at.day }, { zone });
}

/** The Kakao instance key of an original start: yyyyMMddTHHmmssZ (all-day: the date at 00:00Z). */
const pad = (n: number): string => String(n).padStart(2, '0');

/** instanceKey of an occurrence start in ms (all-day: midnight in the zone → that date). */
function instanceKeyMs(ms: number, spec: VeventSpec): string {
  const wall = spec.allDay ? utcToWallMs(ms, ianaRules(spec.zone)) : ms;
  const iso = new Date(wall).toISOString();
  return spec.allDay
    ? `${iso.slice(0, 10).replace(/-/g, '')}T000000Z`
    : `${iso.slice(0, 19).replace(/[-:]/g, '')}Z`;
}

function instanceKey(at: DateTime, allDay: boolean): string {
  // Formatted by hand: luxon's toFormat costs microseconds per call and series have many instances.
  if (allDay) return `${at.year}${pad(at.month)}${pad(at.day)}T000000Z`;
  return `${new Date(at.toMillis()).toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`;
}

/** A wall time carried as a UTC Date (rrule expands wall times safely that way, whatever TZ is). */
function floating(at: DateTime): Date {
  return new Date(Date.UTC(at.year, at.month - 1, at.day, at.hour, at.minute, at.second));
}

/**
 * Occurrence starts (UTC ms; all-day: midnight in the zone) of a master inside the horizon. Wall
 * times map to instants through zone.ts's cached offsets (a repeated hour reads as its first
 * instant, RFC 5545 §3.3.5): luxon zone conversions cost ~10 µs each and series are long.
 */
function expandMasterMs(spec: VeventSpec, horizon: { from: Date; to: Date }): number[] {
  if (!spec.rrule) return [];
  const rules = ianaRules(spec.zone);
  const from = new Date(utcToWallMs(horizon.from.getTime(), rules) - 86_400_000);
  const to = new Date(utcToWallMs(horizon.to.getTime(), rules) + 86_400_000);
  let starts: Date[];
  try {
    const options = RRule.parseString(spec.rrule);
    if (options.until) {
      // UNTIL is an instant (UTC); compare it as a wall time in the event's zone.
      options.until = new Date(utcToWallMs(options.until.getTime(), rules));
    }
    starts = new RRule({ ...options, dtstart: floating(spec.start), tzid: null }).between(from, to, true);
  } catch (error) {
    throw new UnreadableKakaoEventError(spec.kakaoId, `rrule ${spec.rrule}: ${(error as Error).message}`);
  }
  return starts
    .map((d) => wallToUtcMs(d.getTime(), rules))
    .filter((ms) => ms >= horizon.from.getTime() && ms < horizon.to.getTime());
}

/** Occurrence starts of a master inside the horizon, in the event's zone. */
export function expandMaster(spec: VeventSpec, horizon: { from: Date; to: Date }): DateTime[] {
  return expandMasterMs(spec, horizon).map((ms) => DateTime.fromMillis(ms, { zone: spec.zone }));
}

function busyBlock(event: EventBrief, opts: ExportOptions): VeventSpec {
  const zone = zoneOf(event, opts.zone);
  const allDay = event.time.all_day === true;
  return {
    uid: `busy-${instanceKey(utc(event.time.start_at), false)}-${instanceKey(utc(event.time.end_at), false)}@talkcal-sync`,
    summary: 'Busy',
    start: local(event.time.start_at, zone, allDay),
    end: local(event.time.end_at, zone, allDay),
    allDay,
    zone,
    exdates: [],
    overrides: [],
    alarms: [],
    busy: true,
    lunar: false,
    sequence: opts.sequence ?? 0,
  };
}

function baseSpec(event: EventBrief | EventDetail, opts: ExportOptions): VeventSpec {
  const zone = zoneOf(event, opts.zone);
  const allDay = event.time.all_day === true;
  // A listing's brief lacks the detail fields; read as a detail they are simply absent. (Guessing
  // "detail or brief" from which fields are present dropped the location of an event that had
  // nothing else: no rule, description or reminders.)
  const detail: Partial<EventDetail> = event;
  const id = event.id ?? '';
  const recurring = detail.rrule !== undefined && detail.rrule !== '';
  let start = local(event.time.start_at, zone, allDay);
  let end = local(event.time.end_at, zone, allDay);
  if (recurring && detail.dt_start) {
    // `time` may be one instance; the series starts at dt_start with the same length.
    const seriesStart = local(detail.dt_start, zone, allDay);
    end = seriesStart.plus(end.diff(start));
    start = seriesStart;
  }
  const spec: VeventSpec = {
    uid: opts.uid ?? `${recurring ? id.replace(kakaoIdSuffix, '') : id}@talkcal-sync`,
    summary: event.title ?? '',
    start,
    end,
    allDay,
    zone,
    exdates: [],
    overrides: [],
    alarms: detail.reminders ? remindersToAlarms(detail.reminders, allDay) : [],
    busy: false,
    lunar: false,
    sequence: opts.sequence ?? 0,
  };
  if (id) spec.kakaoId = id.replace(kakaoIdSuffix, '');
  if (recurring) spec.rrule = (detail.rrule as string).replace(/^RRULE:/i, '').replace(/;$/, '');
  if (event.color) spec.color = { kakao: event.color, hex: kakaoColorToHex(event.color) };
  if (detail.location?.name) spec.location = detail.location;
  if (detail.description) spec.description = detail.description;
  return spec;
}

/** EXDATEs and overrides of a master from the instances a listing returned. */
function applyInstances(
  spec: VeventSpec,
  instances: (EventBrief & InstanceDetail)[],
  horizon: { from: Date; to: Date },
): void {
  const byKey = new Map<string, EventBrief & InstanceDetail>();
  for (const inst of instances) {
    const key = inst.id?.match(kakaoIdSuffix)?.[1] ?? instanceKey(utc(inst.time.start_at), spec.allDay);
    byKey.set(key, inst);
  }
  const length = spec.end.diff(spec.start);
  const lengthMs = length.toMillis();
  for (const ms of expandMasterMs(spec, horizon)) {
    const inst = byKey.get(instanceKeyMs(ms, spec));
    if (!inst) {
      spec.exdates.push(DateTime.fromMillis(ms, { zone: spec.zone }));
      continue;
    }
    const retitled = inst.title !== undefined && inst.title !== spec.summary;
    const detail = changedDetail(spec, inst);
    // Timed instances compare as instants (cheap); all-day ones as dates in the event's zone.
    const timedSame =
      !spec.allDay && Date.parse(inst.time.start_at) === ms && Date.parse(inst.time.end_at) === ms + lengthMs;
    if (timedSame && !retitled && !detail) continue;
    const at = DateTime.fromMillis(ms, { zone: spec.zone });
    const start = local(inst.time.start_at, spec.zone, spec.allDay);
    const end = local(inst.time.end_at, spec.zone, spec.allDay);
    const moved = !start.equals(at) || !end.equals(at.plus(length));
    if (moved || retitled || detail) {
      const override: VeventOverride = {
        recurrenceId: at,
        summary: inst.title ?? spec.summary,
        start,
        end,
        ...detail,
      };
      spec.overrides.push(override);
    }
  }
}

/** The instance's detail fields that differ from the master's, or undefined when none do. */
function changedDetail(spec: VeventSpec, inst: InstanceDetail): InstanceDetail | undefined {
  const out: InstanceDetail = {};
  const location = inst.location?.name ? inst.location : null;
  if (inst.location !== undefined && JSON.stringify(location) !== JSON.stringify(spec.location ?? null))
    out.location = location;
  if (inst.description !== undefined && inst.description !== (spec.description ?? ''))
    out.description = inst.description;
  return Object.keys(out).length > 0 ? out : undefined;
}

function lunarSpecs(spec: VeventSpec, horizon: { from: Date; to: Date }): VeventSpec[] {
  const from = DateTime.fromJSDate(horizon.from).setZone(spec.zone);
  const to = DateTime.fromJSDate(horizon.to).setZone(spec.zone);
  const length = spec.end.diff(spec.start);
  const dates = lunarOccurrences(
    { year: spec.start.year, month: spec.start.month, day: spec.start.day },
    spec.rrule,
    { year: from.year, month: from.month, day: from.day },
    { year: to.year, month: to.month, day: to.day },
  );
  const baseUid = spec.uid.replace(/@talkcal-sync$/, '');
  return dates.map((d) => {
    const start = spec.start.set({ year: d.year, month: d.month, day: d.day });
    const occurrence: VeventSpec = {
      ...spec,
      uid: `${baseUid}-lunar-${start.toFormat('yyyyMMdd')}${spec.uid.endsWith('@talkcal-sync') ? '@talkcal-sync' : ''}`,
      start,
      end: start.plus(length),
      exdates: [],
      overrides: [],
      lunar: true,
    };
    delete occurrence.rrule;
    return occurrence;
  });
}

/**
 * The VEVENTs one Kakao event becomes: [] for a hidden other-app event, several for a lunar event
 * (one per occurrence in the horizon), else one.
 */
export function kakaoEventToVevents(event: EventDetail | EventBrief, opts: ExportOptions): VeventSpec[] {
  if (!event?.time || typeof event.time.start_at !== 'string' || typeof event.time.end_at !== 'string') {
    throw new UnreadableKakaoEventError(event?.id, 'no time');
  }
  if (event.id === undefined && event.title === undefined) {
    return opts.otherApps === 'busy' ? [busyBlock(event, opts)] : [];
  }
  const spec = baseSpec(event, opts);
  if (event.time.lunar === true) return lunarSpecs(spec, opts.horizon);
  if (spec.rrule && opts.instances) applyInstances(spec, opts.instances, opts.horizon);
  return [spec];
}
