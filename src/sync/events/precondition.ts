import type { EventBrief, EventDetail } from '../../kakao/types.js';
import type { UnitMapping } from '../store/mapping.js';
import { detailsDiffer } from '../verification/detail-check.js';
import type { DetailFields } from './plan-types.js';
import { compactTime, projectBrief } from './projection.js';

// Kakao has no ETag, so a two-way link looks before it writes: before an update, replace or delete
// of a Kakao event that this run's listings did not show, apply reads that event (one detail call)
// and compares it with what the mapping says Kakao holds. A difference is a Talk Calendar edit the
// write would overwrite: the unit is planned again with the read, so the link's conflict policy
// decides. The planner names the units (pure); apply reads; this file judges the read (pure).

/** A Kakao event to read before the unit's write. */
export interface Precondition {
  unitKey: string;
  kakaoId: string;
  /** The id to read: a recurrence through its first instance. */
  readId: string;
  /** A task (read with a task GET, judged by tasks/task-precondition.ts). */
  task?: true;
}

/** What a precondition read showed: the event as a list entry, plus its detail text when that
 * differs from what we wrote; null: the event is gone. */
export type PreconditionRead = { brief: EventBrief; detail?: DetailFields } | null;

/**
 * The precondition of a write to `m`, or none when a read could not tell: a recurrence whose first
 * instance we changed or deleted (its read shows our exception, or 404, not the series).
 */
export function preconditionOf(
  unitKey: string,
  m: UnitMapping,
  changedInstances: ReadonlySet<string>,
): Precondition | undefined {
  if (!m.kakaoId) return undefined;
  if (!m.recurring) return { unitKey, kakaoId: m.kakaoId, readId: m.kakaoId };
  const first = compactTime(m.start);
  if (changedInstances.has(first)) return undefined;
  return { unitKey, kakaoId: m.kakaoId, readId: `${m.kakaoId}_${first}` };
}

/** The read as the planner sees it (detail text only when it differs from what we wrote). */
export function preconditionRead(unit: UnitMapping, detail: EventDetail): NonNullable<PreconditionRead> {
  const brief: EventBrief = {
    id: detail.id,
    title: detail.title,
    type: detail.type,
    calendar_id: detail.calendar_id,
    is_host: detail.is_host,
    time: detail.time,
    is_recur_event: detail.is_recur_event === true,
    ...(detail.color ? { color: detail.color } : {}),
  };
  // Two-way links write back description and location only; reminders stay the source's.
  if (!unit.event || !detailsDiffer(unit.event, detail, 'text')) return { brief };
  return { brief, detail: { description: detail.description ?? '', location: detail.location?.name ?? '' } };
}

/** True when the read shows Kakao holding something other than what the mapping recorded. */
export function changedSince(unit: UnitMapping, read: PreconditionRead): boolean {
  if (read === null) return true;
  return read.detail !== undefined || projectBrief(read.brief) !== unit.kakaoHash;
}
