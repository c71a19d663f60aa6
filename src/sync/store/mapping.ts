import type { EventCreate, TaskCreate } from '../../kakao/types.js';
import type { InstanceOperation } from '../../model/desired.js';

// What the mapping store remembers about one link: for each source item, the Kakao object(s) it
// became and the hashes of both sides at the last sync, so the next run sees what changed where.

/** One Kakao object a source item became (main event, one expanded occurrence, or a task). */
export interface UnitMapping {
  /** Kakao event id (a master id for recurring events) or task id; null = deleted in Kakao and kept so. */
  kakaoId: string | null;
  /** Hash of the desired unit we last wrote (all fields). */
  desiredHash: string;
  /** Projection hash of the fields Kakao's list returns (title, time, color, recurrence flag). */
  kakaoHash: string;
  /** UTC start/end of the unit as written (for finding it in 31-day windows). */
  start: string;
  end: string;
  recurring: boolean;
  /** Keys (instanceStart:action:scope) of the instance operations applied after the master create. */
  instancesApplied: string[];
  /** Keys of instance operations sent whose answer was lost: Kakao may or may not hold them. */
  instancesUncertain?: string[];
  /** What we wrote, so a Kakao-side edit can be reverted without reading the source again. */
  event?: EventCreate;
  instances?: InstanceOperation[];
  task?: TaskCreate;
  completed?: boolean;
  /** When we last wrote (or adopted) it: Kakao held our version then, as a read would have shown. */
  writtenAt?: string;
}

export interface Quarantine {
  reason: string;
  /** The item's source hash that failed; a changed source lifts the quarantine. */
  sourceHash: string;
  at: string;
}

export interface ItemMapping {
  sourceKey: string;
  /** Hash of the whole desired item (the translated source) at the last sync. */
  sourceHash: string;
  /** Content hash independent of the UID (for feeds that mint new UIDs). */
  contentHash: string;
  href?: string;
  etag?: string;
  units: Record<string, UnitMapping>;
  /** Exact source times by unitKey (before rounding to the 5-minute grid). */
  exactTimes?: Record<string, { start: string; end: string }>;
  quarantine?: Quarantine;
  /** Set when a conflict of a `manual` link waits for resolveConflict. */
  conflict?: { at: string; detail: string; resolution?: 'source' | 'kakao' };
}

export type IdentityMode = 'uid' | 'content';

/** A create announced before it is sent, so a crash after the send can be reconciled. */
export interface CreateIntent {
  id: string;
  sourceKey: string;
  unitKey: string;
  /** The exact title and UTC start/end we send: how the next run recognises the event. */
  title: string;
  start: string;
  end: string;
  allDay: boolean;
  recurring: boolean;
  calendarId: string;
  at: string;
  /** Set for a task create (calendarId 'tasks'): how the next run recognises the task. */
  task?: { content: string; dueDate: string | null; sent: TaskCreate };
}

/**
 * Whether a window read may settle the intent (adopt what its create made, or conclude it made
 * nothing): only once it is older than `settleAfterMs` (the lock lease plus the Kakao request
 * timeout; `at` is stamped again before every send of the create, retries included). A younger
 * create may still be in flight from a worker that lost its lock, and would land after the read as
 * a duplicate.
 */
export function intentMaySettle(intent: CreateIntent, now: string, settleAfterMs: number): boolean {
  const at = Date.parse(intent.at);
  return Number.isNaN(at) || Date.parse(now) - at >= settleAfterMs; // unstamped: as old as can be
}

export interface LinkState {
  items: Map<string, ItemMapping>;
  cursor?: string;
  identityMode: IdentityMode;
  /** A full listing of the horizon is owed (first sync, or evidence of drift). */
  needsFullListing: boolean;
  /** Verification books: `from/to` (a stretch of the horizon) → ISO time of its last read. */
  verifiedWindows: Record<string, string>;
  /** When the near region was last read (its cadence), and when the far rotation last read. */
  nearReadAt?: string;
  farReadAt?: string;
  intents: CreateIntent[];
  /** Where the round-robin of detail checks continues (sourceKey/unitKey). */
  detailCursor?: string;
  /** When the sampled detail reads of a one-way link last ran (their pace). */
  detailReadAt?: string;
  /** UTC day (yyyy-MM-dd) expanded recurrences were last re-read for the moving horizon. */
  expandedOn?: string;
}

export function emptyLinkState(): LinkState {
  return { items: new Map(), identityMode: 'uid', needsFullListing: true, verifiedWindows: {}, intents: [] };
}

/** Every unit mapping of a link state, item by item. */
export function* unitMappings(state: LinkState): Generator<UnitMapping> {
  for (const m of state.items.values()) yield* Object.values(m.units);
}

/** The Kakao ids a link state maps. */
export function mappedKakaoIds(state: LinkState): Set<string> {
  const ids = new Set<string>();
  for (const u of unitMappings(state)) if (u.kakaoId) ids.add(u.kakaoId);
  return ids;
}

/** The instance operations Kakao may hold on the unit: those applied and those whose answer was lost. */
export const instancesKakaoMayHold = (u: UnitMapping): string[] => [
  ...u.instancesApplied,
  ...(u.instancesUncertain ?? []),
];

export const instanceOpKey = (op: InstanceOperation): string =>
  `${op.instanceStart}:${op.action}:${op.scope}`;
