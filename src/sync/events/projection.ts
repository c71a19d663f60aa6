import type { EventBrief, EventCreate, KakaoTime } from '../../kakao/types.js';
import type { DesiredEvent, DesiredItem } from '../../model/desired.js';
import { hashOf } from './hash.js';

// The projection of an event: only the fields Kakao's list answer carries (title, time, colour,
// recurrence flag), normalised. Comparing projections of what we wrote with what the list shows
// detects Kakao-side edits without detail calls, and lossy translation never looks like a change
// because both sides are compared after translation (times already on the 5-minute grid).

const instanceIdPattern = /^(.+)_(\d{8}T\d{6}Z)$/;

/** Splits a Kakao instance id `{ID}_{yyyyMMddTHHmmssZ}` into master id and instance start. */
export function splitInstanceId(id: string): { masterId: string; instanceStart?: string } {
  const m = instanceIdPattern.exec(id);
  return m ? { masterId: m[1]!, instanceStart: m[2]! } : { masterId: id };
}

/** UTC ISO time without milliseconds ("2024-05-01T09:00:00Z"); unparsable input is returned as is. */
export function normTime(value: string): string {
  if (isNormalUtc(value)) return value;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const normalUtcForm = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const daysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Whether `value` is a real time already in normTime's form (as every time the sync stores is), so
 * it comes back unchanged without parsing: mapping decodes run this on every poll. Date.parse rolls
 * over what is not a real time (2024-02-30, hour 24), so that takes the slow way.
 */
function isNormalUtc(value: string): boolean {
  if (!normalUtcForm.test(value)) return false;
  const n = (at: number) => (value.charCodeAt(at) - 48) * 10 + value.charCodeAt(at + 1) - 48;
  const year = n(0) * 100 + n(2);
  const month = n(5);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : daysInMonth[month - 1];
  return days !== undefined && n(8) >= 1 && n(8) <= days && n(11) < 24 && n(14) < 60 && n(17) < 60;
}

/** yyyyMMddTHHmmssZ form of a UTC time (Kakao instance ids, InstanceOperation.instanceStart). */
export function compactTime(value: string): string {
  return normTime(value).replace(/[-:]/g, '');
}

interface Projection {
  title: string;
  allDay: boolean;
  recurring: boolean;
  color?: string;
  start?: string;
  end?: string;
  durationMs?: number;
}

function project(title: string | undefined, time: KakaoTime, recurring: boolean, color?: string): Projection {
  const start = normTime(time.start_at);
  const end = normTime(time.end_at);
  const base = { title: (title ?? '').trim(), allDay: time.all_day === true, recurring, color };
  // Instances of a recurrence each have their own time; what they share is the duration.
  return recurring ? { ...base, durationMs: Date.parse(end) - Date.parse(start) } : { ...base, start, end };
}

export function projectDesired(event: EventCreate): string {
  return hashOf(project(event.title, event.time, Boolean(event.rrule), event.color));
}

export function projectBrief(brief: EventBrief): string {
  return hashOf(project(brief.title, brief.time, brief.is_recur_event === true, brief.color));
}

// Plans hash the same unit several times; units are never mutated once translated.
const unitHashes = new WeakMap<DesiredEvent, string>();

export function desiredUnitHash(unit: DesiredEvent): string {
  let h = unitHashes.get(unit);
  if (h === undefined) {
    h = hashOf({ event: unit.event, instances: unit.instances });
    unitHashes.set(unit, h);
  }
  return h;
}

/** Hash of everything the translator produced for an item (what a source change changes). */
export function desiredItemHash(item: DesiredItem): string {
  if (item.kind === 'task') return hashOf({ task: item.task, completed: item.completed });
  return hashOf(item.units.map((u) => ({ k: u.unitKey, h: desiredUnitHash(u) })));
}

/** Hash of an item's content regardless of its UID (identity for feeds that mint new UIDs). */
export function contentHashOf(item: DesiredItem): string {
  return `h:${desiredItemHash(item)}`;
}
