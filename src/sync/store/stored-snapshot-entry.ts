import { isDeepStrictEqual } from 'node:util';
import type { EventBrief, EventCreate } from '../../kakao/types.js';
import { CompactJson } from './compact-json.js';
import type { SnapshotEntry } from './kakao-snapshot.js';
import type { OwnEvents } from './own-events.js';
import { decodeTagged, eventNames, type Json, StoredRecordError } from './stored-records.js';

// How a snapshot entry is stored under its Kakao id (or busy key). Two forms after the format tag:
// `1` an entry that carries what it says (a listed event, another app's busy block, or our own
// event as earlier versions wrote it); `2` our own event by reference: the link whose mapping holds
// the event under this Kakao id, and of a listed entry only the fields that differ from the one our
// event gives (a listing adds `calendar_id`; a Talk Calendar-side edit changes a title or time).

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
  'briefSet',
  'briefDrop',
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

/** Of a list entry, what differs from `base`: fields set to another value, and fields it lacks. */
interface BriefDelta {
  briefSet?: Partial<EventBrief>;
  briefDrop?: string[];
}

function briefDelta(brief: EventBrief, base: EventBrief): BriefDelta {
  const set = Object.entries(brief).filter(([k, v]) => !isDeepStrictEqual(v, base[k as keyof EventBrief]));
  const drop = Object.keys(base).filter((k) => !(k in brief));
  return {
    ...(set.length > 0 ? { briefSet: Object.fromEntries(set) } : {}),
    ...(drop.length > 0 ? { briefDrop: drop } : {}),
  };
}

function applyDelta(base: EventBrief, { briefSet, briefDrop }: BriefDelta): EventBrief {
  const brief: Record<string, unknown> = { ...base, ...briefSet };
  for (const k of briefDrop ?? []) delete brief[k];
  return brief as unknown as EventBrief;
}

/** A reference to our own event; `listed`: the list entry a listing showed, and our event it shows. */
export function encodeOwnRef(
  key: string,
  linkId: string,
  listed?: { brief: EventBrief; event: EventCreate },
): string {
  const delta = listed ? briefDelta(listed.brief, ownBrief(key, listed.event)) : {};
  return refTag + snapshotCodec.encode({ linkId, ...delta } as unknown as Json, [key]);
}

/** A stored reference, before its event is looked up. */
export interface StoredOwnRef extends BriefDelta {
  key: string;
  linkId: string;
  ref: true;
}

/** The stored record: a whole entry, or a reference to our own event still to be resolved. */
export function decodeSnapshotRecord(key: string, text: string): SnapshotEntry | StoredOwnRef {
  const decode = (body: string) => snapshotCodec.decode(body, [key]) as Record<string, unknown>;
  const stored = decodeTagged(text, 'snapshot entry', {
    [entryTag]: decode,
    [refTag]: (body) => ({ ...decode(body), ref: true }),
  }) as Omit<SnapshotEntry, 'brief' | 'key'> & { brief?: EventBrief; key?: string; ref?: true } & BriefDelta;
  // Plain JSON of earlier versions carries its key; the compact forms are stored under it.
  const { brief, key: _key, ref, ...rest } = stored;
  if (ref) {
    if (typeof rest.linkId !== 'string')
      throw new StoredRecordError(`snapshot reference ${key} in Redis names no link`);
    const { briefSet, briefDrop } = rest;
    return {
      key,
      linkId: rest.linkId,
      ref,
      ...(briefSet ? { briefSet } : {}),
      ...(briefDrop ? { briefDrop } : {}),
    };
  }
  if (brief) return { key, ...rest, brief };
  if (!rest.event)
    throw new StoredRecordError(`snapshot entry ${key} in Redis has neither a list entry nor an event`);
  return { key, ...rest, brief: ownBrief(key, rest.event) };
}

export const isOwnRef = (r: SnapshotEntry | StoredOwnRef): r is StoredOwnRef => 'ref' in r;

/** The entry a record stands for; undefined for a reference its link's mapping no longer holds. */
export function resolveSnapshotRecord(
  record: SnapshotEntry | StoredOwnRef,
  ownEvents: OwnEvents,
): SnapshotEntry | undefined {
  if (!isOwnRef(record)) return record;
  const event = ownEvents(record.linkId, record.key);
  if (!event) return undefined;
  const { key, linkId } = record;
  return { key, linkId, event, brief: applyDelta(ownBrief(key, event), record) };
}

export function decodeSnapshotEntry(
  key: string,
  text: string,
  ownEvents: OwnEvents,
): SnapshotEntry | undefined {
  return resolveSnapshotRecord(decodeSnapshotRecord(key, text), ownEvents);
}
