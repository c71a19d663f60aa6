import type { EventCreate, EventUpdate, TaskCreate } from '../kakao/types.js';

// What the translators produce from one source item and the planner consumes: the state the item
// should have in Talk Calendar. Pure data, so it can be hashed, stored, compared and printed.

/** A reason the translation is not exact. `code` is stable (tests and status use it). */
export interface TranslateWarning {
  code:
    | 'rounded-to-grid'
    | 'title-truncated'
    | 'title-changed'
    | 'description-truncated'
    | 'location-truncated'
    | 'reminder-approximated'
    | 'reminders-dropped'
    | 'recurrence-expanded'
    | 'override-expanded'
    | 'unknown-timezone'
    | 'floating-time'
    | 'contradictory-times'
    | 'invalid-item'
    | 'unsupported'
    | 'color-approximated'
    | 'due-in-past'
    | 'occurrences-capped'
    | 'overrides-capped'
    | 'rule-too-costly'
    | 'property-capped'
    | 'timezones-capped';
  message: string;
}

/** An exception of a recurring master, applied to one instance after the master exists. */
export interface InstanceOperation {
  /** The instance's original start, in the form of Kakao instance ids: yyyyMMddTHHmmssZ (UTC). */
  instanceStart: string;
  action: 'delete' | 'update';
  /** THIS for single overrides and EXDATEs; THIS_AND_FOLLOWING for RANGE=THISANDFUTURE. */
  scope: 'THIS' | 'THIS_AND_FOLLOWING';
  /** For updates: only the fields THIS may change (title, time start/end, description, location). */
  update?: EventUpdate;
}

/** One Kakao event the item becomes. */
export interface DesiredEvent {
  /**
   * Key of the unit within its item: 'main' for a single or recurring event; for a recurrence that
   * Kakao cannot represent, one unit per occurrence keyed by its start (yyyyMMddTHHmmssZ).
   */
  unitKey: string;
  event: EventCreate;
  /** Instance exceptions of a recurring `event` (empty otherwise). */
  instances: InstanceOperation[];
}

export interface DesiredEventItem {
  kind: 'event';
  /** UID of the source item (or the content-hash identity for feeds that mint new UIDs). */
  sourceKey: string;
  units: DesiredEvent[];
  warnings: TranslateWarning[];
  /** Exact source times of each unit (before rounding to Kakao's 5-minute grid), by unitKey. */
  exactTimes: Record<string, { start: string; end: string }>;
}

export interface DesiredTaskItem {
  kind: 'task';
  sourceKey: string;
  task: TaskCreate;
  completed: boolean;
  /** PRIORITY 1-4 (high). Not part of TaskCreate: set with "Edit task" after creating. */
  bookmark?: boolean;
  warnings: TranslateWarning[];
}

export type DesiredItem = DesiredEventItem | DesiredTaskItem;
