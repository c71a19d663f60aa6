import type { DateTime } from 'luxon';
import type { EventBrief, EventCreate, EventDetail } from '../kakao/types.js';
import type { InstanceOperation } from '../model/desired.js';
import type { SnapshotEntry } from '../sync/store/kakao-snapshot.js';
import { expandMaster, kakaoEventToVevents } from '../translate/kakao-to-ical.js';
import type { InstanceDetail, VeventSpec } from '../translate/vevent-spec.js';

// The user's Talk Calendar snapshot (Redis, no Kakao call) → the VEVENT specs of one feed. Pure.
// Our own recurring events become RRULE masters; their exceptions come from the instance
// operations we wrote (mapping), corrected by the instances a listing returned where a window was
// read after the event existed (a window holding at least one instance of it). Lunar events become
// their solar occurrences; other apps' events busy blocks or nothing.

export interface OwnEventInfo {
  /** Instance exceptions we applied after creating the master. */
  instances: InstanceOperation[];
}

export interface FeedEventsInput {
  entries: SnapshotEntry[];
  /** Window start (yyyy-MM-dd) → last read time. */
  windows: Record<string, string>;
  /** Kakao master id → what the mapping knows about our own event. */
  own: Map<string, OwnEventInfo>;
  /** Link id → the Kakao calendar its events live in. */
  linkCalendars: Map<string, string>;
  /** undefined = every calendar. */
  calendarId?: string;
  otherApps: 'busy' | 'hide';
  /** Zone of events without one (the user's zone). */
  zone: string;
  horizon: { from: Date; to: Date };
}

const instanceSuffix = /^(.*)_(\d{8}T\d{6}Z)$/;

const isoUtc = (at: DateTime) => at.toUTC().toISO({ suppressMilliseconds: true }) ?? '';

function instanceKey(at: DateTime, allDay: boolean): string {
  return allDay ? `${at.toFormat('yyyyMMdd')}T000000Z` : at.toUTC().toFormat("yyyyMMdd'T'HHmmss'Z'");
}

function calendarOf(entry: SnapshotEntry, input: FeedEventsInput): string {
  return (
    entry.brief.calendar_id ?? (entry.linkId ? input.linkCalendars.get(entry.linkId) : undefined) ?? 'primary'
  );
}

function detailOf(id: string, event: EventCreate, calendarId: string): EventDetail {
  return {
    id,
    title: event.title,
    type: 'USER',
    calendar_id: calendarId,
    time: event.time,
    is_host: true,
    ...(event.rrule ? { rrule: event.rrule, dt_start: event.time.start_at, is_recur_event: true } : {}),
    ...(event.description ? { description: event.description } : {}),
    ...(event.location ? { location: event.location } : {}),
    ...(event.reminders ? { reminders: event.reminders } : {}),
    ...(event.color ? { color: event.color } : {}),
  };
}

/** A Kakao time value for an instance start/end (all-day: the date at 00:00Z). */
function kakaoInstant(at: DateTime, allDay: boolean): string {
  return allDay ? `${at.toFormat('yyyy-MM-dd')}T00:00:00Z` : isoUtc(at);
}

type Instance = EventBrief & InstanceDetail;

/**
 * The instances Kakao holds for our master in the horizon, as a listing would return them, with
 * the location and description our THIS updates gave them (a listing does not show those).
 */
function expectedInstances(
  detail: EventDetail,
  master: VeventSpec,
  ops: InstanceOperation[],
  horizon: { from: Date; to: Date },
): Map<string, Instance> {
  const out = new Map<string, Instance>();
  const length = master.end.diff(master.start);
  for (const at of expandMaster(master, horizon)) {
    const key = instanceKey(at, master.allDay);
    out.set(key, {
      id: `${detail.id}_${key}`,
      title: detail.title,
      time: {
        ...detail.time,
        start_at: kakaoInstant(at, master.allDay),
        end_at: kakaoInstant(at.plus(length), master.allDay),
      },
    });
  }
  for (const op of [...ops].sort((a, b) => a.instanceStart.localeCompare(b.instanceStart))) {
    const keys =
      op.scope === 'THIS' ? [op.instanceStart] : [...out.keys()].filter((k) => k >= op.instanceStart);
    const anchor = out.get(op.instanceStart);
    for (const key of keys) {
      const inst = out.get(key);
      if (!inst) continue;
      if (op.action === 'delete') {
        out.delete(key);
        continue;
      }
      const u = op.update;
      const next: Instance = { ...inst, time: { ...inst.time } };
      if (u?.title !== undefined) next.title = u.title;
      if (u?.location !== undefined) next.location = u.location;
      if (u?.description !== undefined) next.description = u.description;
      if (u?.time && anchor) {
        // The new time of the anchor instance; following instances move by the same amount.
        const shift = Date.parse(u.time.start_at) - Date.parse(anchor.time.start_at);
        const span = Date.parse(u.time.end_at) - Date.parse(u.time.start_at);
        const start = Date.parse(inst.time.start_at) + shift;
        next.time.start_at = new Date(start).toISOString().replace(/\.\d{3}Z$/, 'Z');
        next.time.end_at = new Date(start + span).toISOString().replace(/\.\d{3}Z$/, 'Z');
      }
      out.set(key, next);
    }
  }
  return out;
}

function detailOfInstance(inst: Instance | undefined): InstanceDetail {
  const out: InstanceDetail = {};
  if (inst?.location !== undefined) out.location = inst.location;
  if (inst?.description !== undefined) out.description = inst.description;
  return out;
}

function windowStartOf(key: string, windowStarts: string[]): string | undefined {
  const day = `${key.slice(0, 4)}-${key.slice(4, 6)}-${key.slice(6, 8)}`;
  let found: string | undefined;
  for (const w of windowStarts) if (w <= day) found = w;
  return found;
}

function ownRecurring(
  detail: EventDetail,
  listed: EventBrief[],
  input: FeedEventsInput,
  info: OwnEventInfo | undefined,
): VeventSpec[] {
  const opts = { horizon: input.horizon, zone: input.zone, otherApps: input.otherApps };
  const [master] = kakaoEventToVevents(detail, opts);
  if (!master || detail.time.lunar === true) return kakaoEventToVevents(detail, opts);
  const expected = expectedInstances(detail, master, info?.instances ?? [], input.horizon);
  const windowStarts = Object.keys(input.windows).sort();
  const listedWindows = new Set<string>();
  const listedByKey = new Map<string, EventBrief>();
  for (const brief of listed) {
    const key = brief.id?.match(instanceSuffix)?.[2];
    if (!key) continue;
    listedByKey.set(key, brief);
    const w = windowStartOf(key, windowStarts);
    if (w) listedWindows.add(w);
  }
  const instances: Instance[] = [];
  for (const [key, brief] of expected) {
    const w = windowStartOf(key, windowStarts);
    if (!w || !listedWindows.has(w)) instances.push(brief);
  }
  for (const [key, brief] of listedByKey) {
    const w = windowStartOf(key, windowStarts);
    if (!w || !listedWindows.has(w)) continue;
    // A listing shows title and time; the detail fields stay what our updates made them.
    const known = expected.get(key);
    instances.push({ ...detailOfInstance(known), ...brief });
  }
  const specs = kakaoEventToVevents(detail, { ...opts, instances });
  for (const spec of specs) excludeOffRuleStart(spec);
  return specs;
}

/**
 * RFC 5545 counts DTSTART as the first occurrence even when the rule does not produce it (a
 * Thursday start of a MO,FR rule); Kakao lists only the rule's occurrences. An EXDATE on such a
 * DTSTART makes subscribers show what Kakao shows.
 */
function excludeOffRuleStart(spec: VeventSpec): void {
  if (!spec.rrule) return;
  const at = spec.start.toJSDate();
  const window = { from: at, to: new Date(at.getTime() + 1000) };
  if (expandMaster(spec, window).length > 0) return;
  if (!spec.exdates.some((d) => d.toMillis() === spec.start.toMillis())) spec.exdates.unshift(spec.start);
}

export function feedEvents(input: FeedEventsInput): VeventSpec[] {
  const opts = { horizon: input.horizon, zone: input.zone, otherApps: input.otherApps };
  const wanted = (entry: SnapshotEntry) =>
    input.calendarId === undefined || calendarOf(entry, input) === input.calendarId;
  const ownMasters = new Map<string, SnapshotEntry>();
  for (const e of input.entries) if (e.event && e.brief.id) ownMasters.set(e.brief.id, e);
  const listedOf = new Map<string, EventBrief[]>();
  const specs: VeventSpec[] = [];
  for (const entry of input.entries) {
    const id = entry.brief.id;
    if (id === undefined) {
      // Another app's event: only its time (and the calendar it was listed in; primary if unknown).
      if (input.calendarId === undefined || (entry.brief.calendar_id ?? 'primary') === input.calendarId)
        specs.push(...kakaoEventToVevents(entry.brief, opts));
      continue;
    }
    if (entry.event) continue;
    const master = id.match(instanceSuffix)?.[1];
    if (master && ownMasters.has(master)) {
      listedOf.set(master, [...(listedOf.get(master) ?? []), entry.brief]);
      continue;
    }
    if (ownMasters.has(id) || !wanted(entry)) continue;
    specs.push(...kakaoEventToVevents(entry.brief, opts));
  }
  for (const [id, entry] of ownMasters) {
    if (!wanted(entry) || !entry.event) continue;
    const detail = detailOf(id, entry.event, calendarOf(entry, input));
    if (detail.rrule) specs.push(...ownRecurring(detail, listedOf.get(id) ?? [], input, input.own.get(id)));
    else specs.push(...kakaoEventToVevents(detail, opts));
  }
  return dedupeByUid(specs).sort((a, b) => (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0));
}

/** Two busy blocks with the same times are one block (the UID is made from the times). */
function dedupeByUid(specs: VeventSpec[]): VeventSpec[] {
  const seen = new Map<string, VeventSpec>();
  for (const s of specs) if (!seen.has(s.uid)) seen.set(s.uid, s);
  return [...seen.values()];
}
