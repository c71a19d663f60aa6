import type { Cluster, Redis } from 'ioredis';
import type { EventBrief, EventCreate } from '../../kakao/types.js';
import type { Window } from '../events/plan-types.js';
import { normTime } from '../events/projection.js';
import type { SyncKeys } from './keys.js';
import { type OwnEvents, ownEventsOf } from './own-events.js';
import { decodeItem } from './stored-records.js';
import {
  decodeSnapshotRecord,
  encodeOwnRef,
  encodeSnapshotEntry,
  isOwnRef,
  resolveSnapshotRecord,
  type StoredOwnRef,
} from './stored-snapshot-entry.js';

// What the daemon knows is in a user's Talk Calendar, from its own writes and from list reads, with
// the time each window was last read. The published-feed module serves feeds from it without
// spending Kakao calls. Other apps' events (time only) are kept as busy blocks. Our own events are
// stored by reference to the link's mapping, which holds the event we wrote: a reader resolves it
// with the mapping and drops it when the mapping no longer holds that Kakao id (the event was
// deleted or replaced, and the snapshot's own-write record had not caught up).

export interface SnapshotEntry {
  /** Kakao id, or `busy:<start>/<end>` for another app's event. */
  key: string;
  brief: EventBrief;
  /** The link whose item this event is (absent for events we did not make). */
  linkId?: string;
  /** The full event as we wrote it (with rrule, description, location), for our own events. */
  event?: EventCreate;
  /** When a listing last showed it (entries of our own events have none). */
  seenAt?: string;
}

type SnapshotRecord = SnapshotEntry | StoredOwnRef;

export interface SnapshotView {
  entries: SnapshotEntry[];
  /** Window start → ISO time it was last read from Kakao. */
  windows: Record<string, string>;
}

export const snapshotKeyOf = (b: EventBrief) =>
  b.id ?? `busy:${normTime(b.time.start_at)}/${normTime(b.time.end_at)}`;

/** The entry is in the listed calendar (own writes carry no calendar_id: their link says). */
function inScope(entry: SnapshotEntry, scope: { calendarId: string; linkId: string }): boolean {
  if (entry.brief.calendar_id !== undefined) return entry.brief.calendar_id === scope.calendarId;
  if (entry.linkId !== undefined) return entry.linkId === scope.linkId;
  return scope.calendarId === 'primary';
}

export class KakaoSnapshot {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly keys: SyncKeys,
  ) {}

  async read(userId: string): Promise<SnapshotView> {
    const [entries, windows] = await Promise.all([
      this.redis.hgetall(this.keys.snapshot(userId)),
      this.redis.hgetall(this.keys.snapshotWindows(userId)),
    ]);
    const records = Object.entries(entries).map(([k, t]) => decodeSnapshotRecord(k, t));
    const ownEvents = await this.ownEvents(userId, records);
    const resolved = records.map((r) => resolveSnapshotRecord(r, ownEvents));
    return { entries: resolved.filter((e): e is SnapshotEntry => e !== undefined), windows };
  }

  /** The lookup of the events the references among `records` point to (their links' mappings). */
  private async ownEvents(userId: string, records: SnapshotRecord[]): Promise<OwnEvents> {
    const linkIds = [...new Set(records.filter(isOwnRef).map((r) => r.linkId))];
    const links = await Promise.all(
      linkIds.map(async (linkId) => {
        const items = await this.redis.hgetall(this.keys.items(userId, linkId));
        return [linkId, Object.entries(items).map(([k, t]) => decodeItem(k, t))] as const;
      }),
    );
    return ownEventsOf(links);
  }

  /**
   * Replaces what is known about one window with a fresh list answer. With `scope`, the answer is
   * that of one calendar: only entries of that calendar are replaced (another link's calendar
   * keeps its entries), and briefs without a calendar_id (other apps' events) are stored with it.
   */
  async replaceWindow(
    userId: string,
    window: Window,
    briefs: EventBrief[],
    at: Date,
    linkOf?: (id: string) => string | undefined,
    scope?: { calendarId: string; linkId: string },
  ) {
    const key = this.keys.snapshot(userId);
    const current = await this.redis.hgetall(key);
    const from = Date.parse(window.from);
    const to = Date.parse(window.to);
    // Our own entries (masters with the event we wrote) are kept: the sync's own-write record
    // maintains them, and a recurring master must survive a listing that returns only its
    // instances, or the feed would show those instances as separate events.
    // A reference its mapping no longer holds is dropped here, wherever its event was.
    const records = Object.entries(current).map(([k, t]) => decodeSnapshotRecord(k, t));
    const ownEvents = await this.ownEvents(userId, records);
    const own = new Map<string, { entry: SnapshotEntry; ref: boolean }>();
    const stale: string[] = [];
    const listedHere = (e: SnapshotEntry) => {
      const t = Date.parse(e.brief.time.start_at);
      return from <= t && t < to && (!scope || inScope(e, scope));
    };
    for (const record of records) {
      const entry = resolveSnapshotRecord(record, ownEvents);
      if (!entry) stale.push(record.key);
      else if (entry.event) own.set(record.key, { entry, ref: isOwnRef(record) });
      else if (listedHere(entry)) stale.push(record.key);
    }
    const multi = this.redis.multi();
    if (stale.length > 0) multi.hdel(key, ...stale);
    for (const brief of briefs) {
      const linkId = brief.id ? linkOf?.(brief.id) : undefined;
      const listed =
        scope && brief.calendar_id === undefined ? { ...brief, calendar_id: scope.calendarId } : brief;
      const mine = own.get(snapshotKeyOf(brief));
      if (mine?.ref && mine.entry.linkId) {
        const { key: id, linkId: ownLink, event } = mine.entry;
        multi.hset(key, id, encodeOwnRef(id, ownLink, event && { brief: listed, event }));
        continue;
      }
      const entry: SnapshotEntry = mine
        ? { ...mine.entry, brief: listed, seenAt: at.toISOString() }
        : {
            key: snapshotKeyOf(brief),
            brief: listed,
            seenAt: at.toISOString(),
            ...(linkId ? { linkId } : {}),
          };
      multi.hset(key, entry.key, encodeSnapshotEntry(entry));
    }
    multi.hset(this.keys.snapshotWindows(userId), window.from.slice(0, 10), at.toISOString());
    await multi.exec();
  }

  /**
   * Records our own writes (created or updated events) by reference: the caller has committed each
   * event to `linkId`'s mapping under its Kakao id.
   */
  async upsertOwn(userId: string, linkId: string, kakaoIds: string[]): Promise<void> {
    if (kakaoIds.length === 0) return;
    await this.redis.hset(
      this.keys.snapshot(userId),
      Object.fromEntries(kakaoIds.map((id) => [id, encodeOwnRef(id, linkId)])),
    );
  }

  /** Records entries that carry what they say (events we did not write). */
  async upsert(userId: string, entries: SnapshotEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.redis.hset(
      this.keys.snapshot(userId),
      Object.fromEntries(entries.map((e) => [e.key, encodeSnapshotEntry(e)])),
    );
  }

  async remove(userId: string, keys: string[]): Promise<void> {
    if (keys.length > 0) await this.redis.hdel(this.keys.snapshot(userId), ...keys);
  }
}
