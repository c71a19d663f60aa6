import type { EventBrief, EventCreate, TaskCreate } from '../../kakao/types.js';
import type { DesiredItem, InstanceOperation } from '../../model/desired.js';
import type { Link } from '../../model/link.js';
import type { LinkState } from '../store/mapping.js';
import type { TaskEdits, TaskView } from '../tasks/task-verify.js';
import type { Precondition, PreconditionRead } from './precondition.js';

// The plan is a plain value: what one sync of one link will do, printable for a dry run and
// asserted on by tests. Applying it is apply.ts's business.

export interface Window {
  /** UTC ISO instants, `to` exclusive, at most 31 days apart. */
  from: string;
  to: string;
}

export interface SourceView {
  /** true: `items` is the whole collection; false: only changed items, with `deletedKeys`. */
  full: boolean;
  items: DesiredItem[];
  /** Source keys deleted since the cursor (delta mode). */
  deletedKeys: string[];
  /** Source keys of items that could not be read this time: treated as unchanged, never deleted. */
  unreadable?: string[];
  /** href/etag of each item by source key (CalDAV). */
  refs?: Record<string, { href: string; etag: string }>;
}

export interface KakaoView {
  /** Windows listed this run; only inside them can a Kakao-side deletion be concluded. */
  windows: Window[];
  events: EventBrief[];
  /** Kakao ids whose details (description, location, reminders) differ from what we wrote. */
  detailEdited?: ReadonlySet<string>;
  /** Task links: the task listings of this run. */
  tasks?: TaskView;
  /** What the detail call showed for those ids (two-way links write it back to the source). */
  details?: ReadonlyMap<string, DetailFields>;
  /**
   * Reads by id (by Kakao id): of events missing from their listed window (moved or deleted?), and
   * apply's precondition reads. They tell the unit's state like a listing.
   */
  reads?: ReadonlyMap<string, PreconditionRead>;
  /** Events missing from their listed window whose read the quota refused: not taken for deleted. */
  unconfirmed?: ReadonlySet<string>;
}

/** The text fields only the detail call returns; '' = absent. */
export interface DetailFields {
  description: string;
  location: string;
}

export interface PlanInput {
  link: Link;
  state: LinkState;
  source: SourceView;
  kakao: KakaoView;
  /** Sync horizon: nothing outside it is created, and nothing is deleted for being absent there. */
  horizon: Window;
  now: string;
  massDelete: { share: number; minItems: number };
  /** Kakao ids mapped by the user's other links: never adopted or touched by this one. */
  foreignIds?: ReadonlySet<string>;
  force?: boolean;
  /** A create intent younger than this (ms) is never settled: its create may still land. */
  intentSettleAfterMs?: number;
}

interface UnitRef {
  sourceKey: string;
  unitKey: string;
}

export type Action =
  | (UnitRef & {
      op: 'create';
      event: EventCreate;
      instances: InstanceOperation[];
      desiredHash: string;
      reason: string;
    })
  | (UnitRef & {
      op: 'update';
      kakaoId: string;
      event: EventCreate;
      recurring: boolean;
      /** Instance operations still to apply after the update. */
      instances: InstanceOperation[];
      /** Every instance operation the unit wants (for a re-create when the event is gone). */
      allInstances: InstanceOperation[];
      /** Keys of the applied instance operations that still hold after the update. */
      applied: string[];
      desiredHash: string;
      reason: string;
    })
  | (UnitRef & {
      /** Delete + create: what Kakao cannot change in place (rrule, all-day, undone exceptions). */
      op: 'replace';
      kakaoId: string;
      oldRecurring: boolean;
      event: EventCreate;
      instances: InstanceOperation[];
      desiredHash: string;
      reason: string;
    })
  | (UnitRef & { op: 'delete'; kakaoId: string; recurring: boolean; reason: string })
  | (UnitRef & { op: 'instance'; kakaoId: string; instance: InstanceOperation })
  | (UnitRef & {
      op: 'adopt';
      kakaoId: string;
      event: EventCreate;
      instances: InstanceOperation[];
      desiredHash: string;
    })
  /** Record the source's new state without a call: Kakao already shows it (after a write-back). */
  | (UnitRef & {
      op: 'record';
      event: EventCreate;
      instances: InstanceOperation[];
      /** Keys of the applied instance operations that still hold (changed ones are sent again). */
      applied: string[];
      desiredHash: string;
    })
  /** Accept Kakao's state as synced (a kept edit, or a kept deletion when kakaoHash is null). */
  | (UnitRef & {
      op: 'accept-kakao';
      kakaoHash: string | null;
      detail?: DetailFields;
      /** Where Talk Calendar moved the event (unit-state.ts movedTo). */
      at?: { start: string; end: string };
    })
  | (UnitRef & { op: 'task-create'; task: TaskCreate; completed: boolean; desiredHash: string })
  | (UnitRef & {
      op: 'task-update';
      kakaoId: string;
      task: TaskCreate;
      /** The content changed (false: only the completion did, so only the completion is sent). */
      sendContent: boolean;
      completed: boolean;
      desiredHash: string;
      /** The completion this run's listing shows, when it differs from the recorded one. */
      kakaoCompleted?: boolean;
    })
  /** Take over the task an interrupted create made (updated and completed as still wanted). */
  | (UnitRef & {
      op: 'task-adopt';
      kakaoId: string;
      intentId: string;
      /** What the interrupted create sent; whether that is `task` (no update owed); the listed completion. */
      sent: TaskCreate;
      sentAsWanted: boolean;
      kakaoCompleted: boolean;
      task: TaskCreate;
      completed: boolean;
      desiredHash: string;
    })
  | (UnitRef & { op: 'task-delete'; kakaoId: string })
  /** Revert a completion (or reopening) made in Talk Calendar. */
  | (UnitRef & { op: 'task-complete'; kakaoId: string; completed: boolean })
  /** Accept Talk Calendar's completion state, its title/due edits (`task`), or its deletion. */
  | (UnitRef & { op: 'task-accept'; completed?: boolean; deleted?: boolean; task?: TaskCreate })
  /**
   * Record the source's new state without a call: the task already shows it (and, after a
   * hash-format change, the task as now translated).
   */
  | (UnitRef & { op: 'task-record'; desiredHash: string; task?: TaskCreate })
  /** Two-way: write a completion, title or due date made in Talk Calendar back to the VTODO. */
  | {
      op: 'task-source-status';
      sourceKey: string;
      href: string;
      etag: string;
      /** Kakao's completion; absent when only the title or due date changed. */
      completed?: boolean;
      edits?: TaskEdits;
    }
  /**
   * Two-way: a to-do deleted in the source whose task was edited in Talk Calendar is written back
   * anew, as Talk Calendar shows it (`task` with its title and due date, and its completion).
   */
  | (UnitRef & { op: 'task-source-restore'; task: TaskCreate; completed: boolean })
  | {
      op: 'source-update';
      sourceKey: string;
      href: string;
      etag: string;
      from: EventBrief;
      /** Detail-only fields Kakao changed (two-way), written back along with the list fields. */
      detail?: DetailFields;
    }
  | { op: 'source-delete'; sourceKey: string; href: string; etag: string }
  /** Deleted in the source but edited in Talk Calendar (two-way): the item is written back anew. */
  | (UnitRef & { op: 'source-restore'; from: EventBrief; event: EventCreate })
  /** Drop the item's mapping (source gone and its Kakao copy left alone, or the whole item deleted). */
  | { op: 'forget'; sourceKey: string; reason: string }
  /** Delete an event an interrupted create made for an item that no longer wants it. */
  | { op: 'delete-orphan'; kakaoId: string; recurring: boolean; intentId: string; task?: boolean };

export interface Conflict {
  sourceKey: string;
  unitKey: string;
  detail: string;
}

export interface PlannedItem {
  sourceKey: string;
  actions: Action[];
  /** The translated item to record once the actions succeed (null: the item is gone). */
  desired: DesiredItem | null;
  ref?: { href: string; etag: string };
  /** Changed on both sides of a `manual` link: recorded until resolveConflict decides. */
  conflict?: string;
  /** Two-way: Kakao events to read before the actions write to them (precondition.ts). */
  preconditions?: Precondition[];
}

export interface Plan {
  linkId: string;
  /**
   * One entry per item, plus one per orphan of an interrupted create, under the item it was made
   * for: an item may have several entries, which apply in this order (see entriesByItem).
   */
  items: PlannedItem[];
  /** Intents settled by this plan (adopted, orphan deleted, or nothing was created). */
  settledIntents: string[];
  conflicts: Conflict[];
  warnings: string[];
  /** Items skipped because they are quarantined with an unchanged source. */
  quarantined: string[];
  /**
   * Source deletions not acted on: two-way items whose Kakao window was not read this run (a
   * change there would beat the deletion). The caller keeps its source cursor to see them again.
   */
  deferred?: string[];
  /** A Kakao-side deletion or 404 was seen: the next run should list the whole horizon. */
  driftSeen: boolean;
  /**
   * Items not fully written because an interrupted create of theirs is not settled yet (its window
   * unread, or its intent too young: that create may still land). The caller keeps its source
   * cursor and reports them, so a later run creates or adopts them.
   */
  waiting?: string[];
}

export function countActions(plan: Plan): number {
  return plan.items.reduce((n, i) => n + i.actions.length, 0);
}

/** The plan's entries grouped by item, in plan order within each item and by first appearance. */
export function entriesByItem(items: readonly PlannedItem[]): PlannedItem[][] {
  const groups = new Map<string, PlannedItem[]>();
  for (const planned of items) {
    const group = groups.get(planned.sourceKey);
    if (group) group.push(planned);
    else groups.set(planned.sourceKey, [planned]);
  }
  return [...groups.values()];
}
