import type { RequestLogEntry } from '../../src/emulator/state.js';

// What the emulator's request log says a set of users cost over a stretch of its clock: Talk Calendar
// API requests (what Kakao's quota counts, answered or not) by what they did.

const dayMs = 86_400_000;
const writes = new Set(['events.create', 'events.update', 'events.delete', 'events.updateGuest']);

export interface Tally {
  total: number;
  writes: number;
  /** Listings of the window starting now (the next 31 days). */
  nearLists: number;
  /** Other listings: the rotation through the rest of the horizon, full listings. */
  otherLists: number;
  details: number;
  /** Anything else, by endpoint. */
  other: Record<string, number>;
  /** Days of the horizon the other listings read (overlaps counted twice). */
  otherListDays: number;
}

export const isCalendarApi = (e: RequestLogEntry) => e.path.includes('/api/calendar/');

/** A listing whose window starts within a day of the request: the near region. */
function isNearList(e: RequestLogEntry): boolean {
  const from = Date.parse(e.query['from'] ?? '');
  return Math.abs(from - Date.parse(e.at)) <= dayMs;
}

export function tally(
  log: readonly RequestLogEntry[],
  users: ReadonlySet<string>,
  from: number,
  to: number,
): Tally {
  const t: Tally = {
    total: 0,
    writes: 0,
    nearLists: 0,
    otherLists: 0,
    details: 0,
    other: {},
    otherListDays: 0,
  };
  for (const e of log) {
    const at = Date.parse(e.at);
    if (at < from || at >= to || !e.userId || !users.has(e.userId) || !isCalendarApi(e)) continue;
    t.total++;
    if (writes.has(e.endpoint)) t.writes++;
    else if (e.endpoint === 'events.get') t.details++;
    else if (e.endpoint === 'events.list' && isNearList(e)) t.nearLists++;
    else if (e.endpoint === 'events.list') {
      t.otherLists++;
      t.otherListDays += (Date.parse(e.query['to'] ?? '') - Date.parse(e.query['from'] ?? '')) / dayMs;
    } else t.other[e.endpoint] = (t.other[e.endpoint] ?? 0) + 1;
  }
  return t;
}

/**
 * When the daemon first listed a window holding `start` for `userId` at or after `since` (its
 * clock), or undefined: that listing is where a Talk Calendar-side change there is found.
 */
export function firstListingCovering(
  log: readonly RequestLogEntry[],
  userId: string,
  start: number,
  since: number,
): number | undefined {
  for (const e of log) {
    if (e.userId !== userId || e.endpoint !== 'events.list') continue;
    const at = Date.parse(e.at);
    if (at < since) continue;
    const from = Date.parse(e.query['from'] ?? '');
    const to = Date.parse(e.query['to'] ?? '');
    if (from <= start && start < to) return at;
  }
  return undefined;
}

/** Creates the daemon sent for `userId` at or after `since` (a deleted event put back). */
export const createsSince = (log: readonly RequestLogEntry[], userId: string, since: number) =>
  log.filter((e) => e.userId === userId && e.endpoint === 'events.create' && Date.parse(e.at) >= since)
    .length;

/**
 * Requests of the users' first syncs on a day: their creates and the listings before their first
 * create (a first sync lists the horizon, then creates); later verification reads are left out.
 */
export function firstSyncRequests(
  log: readonly RequestLogEntry[],
  users: ReadonlySet<string>,
  from: number,
  to: number,
): { creates: number; listings: number } {
  const firstCreate = new Map<string, number>();
  let creates = 0;
  for (const e of log) {
    const at = Date.parse(e.at);
    if (!e.userId || !users.has(e.userId) || at < from || at >= to || e.endpoint !== 'events.create')
      continue;
    creates++;
    if (!firstCreate.has(e.userId)) firstCreate.set(e.userId, e.seq);
  }
  let listings = 0;
  for (const e of log) {
    const at = Date.parse(e.at);
    if (!e.userId || !users.has(e.userId) || e.endpoint !== 'events.list' || at < from || at >= to) continue;
    if (e.seq < (firstCreate.get(e.userId) ?? Number.NEGATIVE_INFINITY)) listings++;
  }
  return { creates, listings };
}
