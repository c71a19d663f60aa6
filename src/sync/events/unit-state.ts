import type { EventBrief, EventCreate, EventUpdate } from '../../kakao/types.js';
import type { UnitMapping } from '../store/mapping.js';
import { normTime, projectDesired } from './projection.js';

// Building blocks of apply: the Kakao update that makes an event equal a desired one, and the
// mapping records written after a successful create, adopt, update or task write.

/** The Kakao update that makes an existing event equal `event` (absent fields cleared). */
export function fullUpdate(event: EventCreate, recurring: boolean): EventUpdate {
  const update: EventUpdate = {
    title: event.title,
    time: event.time,
    description: event.description ?? '',
    location: event.location ?? null,
    reminders: event.reminders ?? null,
  };
  if (event.color) update.color = event.color;
  if (recurring && event.rrule) update.rrule = event.rrule;
  return update;
}

export function unitFor(
  kakaoId: string,
  event: EventCreate,
  desiredHash: string,
  instances: UnitMapping['instances'],
) {
  return {
    kakaoId,
    desiredHash,
    kakaoHash: projectDesired(event),
    start: normTime(event.time.start_at),
    end: normTime(event.time.end_at),
    recurring: Boolean(event.rrule),
    instancesApplied: [],
    event,
    instances: instances ?? [],
  } satisfies UnitMapping;
}

/** The mapping of a task (tasks are not verified from lists: its projection is its desired hash). */
export function taskUnit(kakaoId: string, desiredHash: string): UnitMapping {
  return {
    kakaoId,
    desiredHash,
    kakaoHash: desiredHash,
    start: '',
    end: '',
    recurring: false,
    instancesApplied: [],
  };
}

/**
 * Where Talk Calendar moved a (non-recurring) event whose version is accepted: recorded, so the next
 * listing looks for it in its new window, not its old one. Empty when it did not move.
 */
export function movedTo(unit: UnitMapping, brief: EventBrief): { at?: { start: string; end: string } } {
  if (unit.recurring) return {};
  const at = { start: normTime(brief.time.start_at), end: normTime(brief.time.end_at) };
  return at.start === unit.start && at.end === unit.end ? {} : { at };
}
