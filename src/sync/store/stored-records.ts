import { isDeepStrictEqual } from 'node:util';
import type { EventBrief, EventCreate } from '../../kakao/types.js';
import { CompactJson } from './compact-json.js';
import type { SnapshotEntry } from './kakao-snapshot.js';
import type { ItemMapping } from './mapping.js';

// How the two per-event records are stored: a mapping item under its source key, a snapshot entry
// under its Kakao id. Stored values start with a format tag; a value starting with `{` is the plain
// JSON of earlier versions and is still read, so an upgrade rewrites records only as they change.
// `docs/redis-layout.md` lists the bytes per key these give.

type Json = Parameters<CompactJson['encode']>[0];

// Append-only: a name's alias is its position.
const eventNames = [
  'title',
  'time',
  'rrule',
  'description',
  'location',
  'reminders',
  'color',
  'start_at',
  'end_at',
  'time_zone',
  'all_day',
  'lunar',
  'name',
  'address',
];

const itemCodec = new CompactJson([
  ...eventNames,
  'sourceKey',
  'sourceHash',
  'contentHash',
  'href',
  'etag',
  'units',
  'exactTimes',
  'quarantine',
  'conflict',
  'kakaoId',
  'desiredHash',
  'kakaoHash',
  'start',
  'end',
  'recurring',
  'instancesApplied',
  'event',
  'instances',
  'task',
  'completed',
  'writtenAt',
  'instanceStart',
  'action',
  'scope',
  'update',
  'content',
  'due_info',
  'reason',
  'at',
  'detail',
  'resolution',
  'instancesUncertain',
]);

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

const itemTag = '1';
const snapshotTag = '1';

export class StoredRecordError extends Error {}

function decodeTagged(text: string, what: string, tag: string, decode: (body: string) => Json): unknown {
  try {
    if (text.startsWith('{')) return JSON.parse(text);
    if (text.startsWith(tag)) return decode(text.slice(tag.length));
  } catch (cause) {
    throw new StoredRecordError(`corrupt ${what} in Redis`, { cause });
  }
  throw new StoredRecordError(`${what} in Redis has an unknown format "${text.slice(0, 1)}"`);
}

/** Strings an item is likely to repeat, known from the hash field it is stored under. */
const itemContext = (sourceKey: string) => [sourceKey, `${encodeURIComponent(sourceKey)}.ics`];

type ExactTimes = NonNullable<ItemMapping['exactTimes']>;
/** `exactTimes`: absent = each unit's own start/end; null = none; otherwise the units that differ. */
type StoredItem = Omit<ItemMapping, 'sourceKey' | 'contentHash' | 'exactTimes'> & {
  contentHash?: string;
  exactTimes?: ExactTimes | null;
};

function ownTimes(units: ItemMapping['units']): ExactTimes {
  return Object.fromEntries(Object.entries(units).map(([k, u]) => [k, { start: u.start, end: u.end }]));
}

/** The item without what its source key and units say again; `expandItem` undoes it. */
function compactItem(item: ItemMapping): StoredItem {
  const { sourceKey: _key, contentHash, exactTimes, ...rest } = item;
  const stored: StoredItem = { ...rest, units: {} };
  if (contentHash !== `h:${item.sourceHash}`) stored.contentHash = contentHash;
  if (exactTimes === undefined) stored.exactTimes = null;
  else {
    const own = ownTimes(item.units);
    const differing = Object.entries(exactTimes).filter(([k, t]) => !isDeepStrictEqual(t, own[k]));
    if (differing.length > 0) stored.exactTimes = Object.fromEntries(differing);
  }
  for (const [unitKey, unit] of Object.entries(item.units)) {
    const { instancesApplied, ...unitRest } = unit;
    stored.units[unitKey] = (instancesApplied.length > 0 ? unit : unitRest) as ItemMapping['units'][string];
  }
  return stored;
}

function expandItem(sourceKey: string, stored: StoredItem): ItemMapping {
  const units: ItemMapping['units'] = {};
  for (const [unitKey, unit] of Object.entries(stored.units)) {
    units[unitKey] = Object.assign({ instancesApplied: [] }, unit);
  }
  const { exactTimes, contentHash, ...rest } = stored;
  const item: ItemMapping = {
    sourceKey,
    ...rest,
    contentHash: contentHash ?? `h:${stored.sourceHash}`,
    units,
  };
  if (exactTimes !== null) item.exactTimes = { ...ownTimes(units), ...exactTimes };
  return item;
}

export function encodeItem(item: ItemMapping): string {
  const compact = compactItem(item);
  // A shape the rules do not foresee is stored whole rather than changed.
  const safe = isDeepStrictEqual(expandItem(item.sourceKey, compact), item) ? compact : item;
  return itemTag + itemCodec.encode(safe as unknown as Json, itemContext(item.sourceKey));
}

export function decodeItem(sourceKey: string, text: string): ItemMapping {
  const stored = decodeTagged(text, 'mapping item', itemTag, (b) =>
    itemCodec.decode(b, itemContext(sourceKey)),
  ) as StoredItem | ItemMapping;
  return 'sourceKey' in stored ? stored : expandItem(sourceKey, stored);
}

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
  return snapshotTag + snapshotCodec.encode(stored as unknown as Json, [entry.key]);
}

export function decodeSnapshotEntry(key: string, text: string): SnapshotEntry {
  const stored = decodeTagged(text, 'snapshot entry', snapshotTag, (b) =>
    snapshotCodec.decode(b, [key]),
  ) as Omit<SnapshotEntry, 'brief' | 'key'> & { brief?: EventBrief; key?: string };
  // Plain JSON of earlier versions carries its key; the compact form is stored under it.
  const { brief, key: _key, ...rest } = stored;
  if (brief) return { key, ...rest, brief };
  if (!rest.event)
    throw new StoredRecordError(`snapshot entry ${key} in Redis has neither a list entry nor an event`);
  return { key, ...rest, brief: ownBrief(key, rest.event) };
}
