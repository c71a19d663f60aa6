import { isDeepStrictEqual } from 'node:util';
import type { EventBrief, EventCreate } from '../../kakao/types.js';
import { CompactJson } from './compact-json.js';
import type { OwnEntryRef, SnapshotEntry } from './kakao-snapshot.js';
import type { OwnEvents } from './own-events.js';
import { decodeTagged, eventNames, type Json, StoredRecordError } from './stored-records.js';

// How a snapshot entry is stored under its Kakao id (or busy key). Two forms after the format tag:
// `1` an entry that carries what it says (a listed event, another app's busy block, or our own
// event as earlier versions wrote it); `2` our own event by reference: the link whose mapping holds
// the event under this Kakao id, and the list entry only where a listing showed more than the event.

const snapshotCodec = new CompactJson([
  ...eventNames,
  'key',
  'brief',
  'linkId',
  'event',
  'seenAt',
  'id',
  'type',
  'calendar_id',
  'is_host',
  'is_recur_event',
]);

const entryTag = '1';
const refTag = '2';

/** The list entry Talk Calendar shows for an event we wrote, as the sync records it. */
export function ownBrief(id: string, event: EventCreate): EventBrief {
  return {
    id,
    title: event.title,
    type: 'USER',
    is_host: true,
    time: event.time,
    is_recur_event: event.rrule !== undefined,
    ...(event.color ? { color: event.color } : {}),
  };
}

export function encodeSnapshotEntry(entry: SnapshotEntry): string {
  // Our own event's list entry is left out when it says nothing the event does not.
  const { brief, key: _key, ...rest } = entry;
  const derivable = entry.event !== undefined && isDeepStrictEqual(brief, ownBrief(entry.key, entry.event));
  const stored = derivable ? rest : { ...rest, brief };
  return entryTag + snapshotCodec.encode(stored as unknown as Json, [entry.key]);
}

/** A reference to our own event; `event` (the mapping's) decides whether the list entry is kept. */
export function encodeOwnRef(ref: OwnEntryRef, event?: EventCreate): string {
  const { key, linkId, brief } = ref;
  const keep = brief !== undefined && !(event && isDeepStrictEqual(brief, ownBrief(key, event)));
  return refTag + snapshotCodec.encode((keep ? { linkId, brief } : { linkId }) as unknown as Json, [key]);
}

/** The stored record: a whole entry, or a reference to our own event still to be resolved. */
export function decodeSnapshotRecord(key: string, text: string): SnapshotEntry | OwnEntryRef {
  const decode = (body: string) => snapshotCodec.decode(body, [key]) as Record<string, unknown>;
  const stored = decodeTagged(text, 'snapshot entry', {
    [entryTag]: decode,
    [refTag]: (body) => ({ ...decode(body), ref: true }),
  }) as Omit<SnapshotEntry, 'brief' | 'key'> & { brief?: EventBrief; key?: string; ref?: true };
  // Plain JSON of earlier versions carries its key; the compact forms are stored under it.
  const { brief, key: _key, ref, ...rest } = stored;
  if (ref) {
    if (typeof rest.linkId !== 'string')
      throw new StoredRecordError(`snapshot reference ${key} in Redis names no link`);
    return { key, linkId: rest.linkId, ...(brief ? { brief } : {}), ref };
  }
  if (brief) return { key, ...rest, brief };
  if (!rest.event)
    throw new StoredRecordError(`snapshot entry ${key} in Redis has neither a list entry nor an event`);
  return { key, ...rest, brief: ownBrief(key, rest.event) };
}

export const isOwnRef = (r: SnapshotEntry | OwnEntryRef): r is OwnEntryRef => 'ref' in r;

/** The entry a record stands for; undefined for a reference its link's mapping no longer holds. */
export function resolveSnapshotRecord(
  record: SnapshotEntry | OwnEntryRef,
  ownEvents: OwnEvents,
): SnapshotEntry | undefined {
  if (!isOwnRef(record)) return record;
  const event = ownEvents(record.linkId, record.key);
  if (!event) return undefined;
  const { key, linkId, brief } = record;
  return { key, linkId, event, brief: brief ?? ownBrief(key, event) };
}

export function decodeSnapshotEntry(
  key: string,
  text: string,
  ownEvents: OwnEvents,
): SnapshotEntry | undefined {
  return resolveSnapshotRecord(decodeSnapshotRecord(key, text), ownEvents);
}
