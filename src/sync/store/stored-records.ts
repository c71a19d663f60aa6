import { isDeepStrictEqual } from 'node:util';
import type { EventCreate } from '../../kakao/types.js';
import { hashOf } from '../events/hash.js';
import { normTime, projectDesired } from '../events/projection.js';
import { CompactJson } from './compact-json.js';
import { defineLazy, once } from './lazy-field.js';
import type { ItemMapping, UnitMapping } from './mapping.js';

// How a mapping item is stored under its source key (the snapshot entry: stored-snapshot-entry.ts).
// Stored values start with a format tag; a value starting with `{` is the plain JSON of earlier
// versions and is still read, so an upgrade rewrites records only as they change.
// `docs/redis-layout.md` lists the bytes per key these give.

export type Json = Parameters<CompactJson['encode']>[0];

// Append-only: a name's alias is its position.
export const eventNames = [
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

/** `1`: compact; `2`: compact with the hashes and times its events give left out. */
const itemTag = '2';
const itemTags = ['1', '2'];

export class StoredRecordError extends Error {}

/** The record a stored value holds, by its one-character format tag (`{`: plain JSON). */
export function decodeTagged<T>(
  text: string,
  what: string,
  decoders: Record<string, (body: string) => T>,
): T | unknown {
  const tag = text.slice(0, 1);
  const decode = decoders[tag];
  try {
    if (tag === '{') return JSON.parse(text);
    if (decode) return decode(text.slice(1));
  } catch (cause) {
    throw new StoredRecordError(`corrupt ${what} in Redis`, { cause });
  }
  throw new StoredRecordError(`${what} in Redis has an unknown format "${tag}"`);
}

/** Strings an item is likely to repeat, known from the hash field it is stored under. */
const itemContext = (sourceKey: string) => [sourceKey, `${encodeURIComponent(sourceKey)}.ics`];

type ExactTimes = NonNullable<ItemMapping['exactTimes']>;
/** What a unit's event gives again: left out of the stored unit when equal. */
const unitDerivable = ['desiredHash', 'kakaoHash', 'start', 'end', 'recurring'] as const;
type StoredUnit = Omit<UnitMapping, 'instancesApplied' | (typeof unitDerivable)[number]> &
  Partial<UnitMapping>;
/**
 * `exactTimes`: absent = each unit's own start/end; null = none; otherwise the units that differ.
 * `sourceHash` absent = the hash of the units' desired hashes, as the translation computes it.
 */
type StoredItem = Omit<ItemMapping, 'sourceKey' | 'sourceHash' | 'contentHash' | 'exactTimes' | 'units'> & {
  sourceHash?: string;
  contentHash?: string;
  exactTimes?: ExactTimes | null;
  units: Record<string, StoredUnit>;
};

/** The unit fields its event gives, computed as the sync computes them when it writes the unit. */
function derivedUnitFields(event: EventCreate, instances: UnitMapping['instances']) {
  return {
    desiredHash: hashOf({ event, instances }),
    kakaoHash: projectDesired(event),
    start: normTime(event.time.start_at),
    end: normTime(event.time.end_at),
    recurring: Boolean(event.rrule),
  };
}

/** `desiredItemHash` of the item whose units have these desired hashes (by unit key). */
const sourceHashOf = (hashes: [string, string | undefined][]) => hashOf(hashes.map(([k, h]) => ({ k, h })));

const derivedSourceHash = (units: ItemMapping['units']) =>
  sourceHashOf(Object.entries(units).map(([k, u]) => [k, u.desiredHash]));

function compactUnit(unit: UnitMapping): StoredUnit {
  const { instancesApplied, ...rest } = unit;
  const stored: StoredUnit = instancesApplied.length > 0 ? { ...unit } : rest;
  if (!unit.event) return stored;
  const derived = derivedUnitFields(unit.event, unit.instances);
  for (const field of unitDerivable)
    if (isDeepStrictEqual(stored[field], derived[field])) delete stored[field];
  return stored;
}

/**
 * The unit with what its event gives filled in: times at once (every poll reads them), hashes when
 * read. `desiredHash` is the unit's hash as decoded, whatever is later assigned to the unit.
 */
function expandUnit(stored: StoredUnit): { unit: UnitMapping; desiredHash: () => string | undefined } {
  const { event, instances } = stored;
  const desiredHash =
    stored.desiredHash !== undefined || !event
      ? () => stored.desiredHash
      : once(() => hashOf({ event, instances }));
  // Fields in the order decoding has always given them: an item written again encodes as before.
  const unit = { instancesApplied: [] } as unknown as UnitMapping;
  if (event && unitDerivable.some((f) => stored[f] === undefined)) {
    defineLazy(unit, 'desiredHash', desiredHash);
    defineLazy(unit, 'kakaoHash', () => projectDesired(event));
    unit.start = normTime(event.time.start_at);
    unit.end = normTime(event.time.end_at);
    unit.recurring = Boolean(event.rrule);
  }
  return { unit: Object.assign(unit, stored), desiredHash };
}

function ownTimes(units: ItemMapping['units']): ExactTimes {
  return Object.fromEntries(Object.entries(units).map(([k, u]) => [k, { start: u.start, end: u.end }]));
}

/** The item without what its source key and units say again; `expandItem` undoes it. */
function compactItem(item: ItemMapping): StoredItem {
  const { sourceKey: _key, sourceHash, contentHash, exactTimes, ...rest } = item;
  const stored: StoredItem = { ...rest, units: {} };
  if (sourceHash !== derivedSourceHash(item.units)) stored.sourceHash = sourceHash;
  if (contentHash !== `h:${sourceHash}`) stored.contentHash = contentHash;
  if (exactTimes === undefined) stored.exactTimes = null;
  else {
    const own = ownTimes(item.units);
    const differing = Object.entries(exactTimes).filter(([k, t]) => !isDeepStrictEqual(t, own[k]));
    if (differing.length > 0) stored.exactTimes = Object.fromEntries(differing);
  }
  for (const [unitKey, unit] of Object.entries(item.units)) stored.units[unitKey] = compactUnit(unit);
  return stored;
}

function expandItem(sourceKey: string, stored: StoredItem): ItemMapping {
  const units: ItemMapping['units'] = {};
  const unitHashes: [string, () => string | undefined][] = [];
  for (const [unitKey, storedUnit] of Object.entries(stored.units)) {
    const { unit, desiredHash } = expandUnit(storedUnit);
    units[unitKey] = unit;
    unitHashes.push([unitKey, desiredHash]);
  }
  const { exactTimes, sourceHash: storedHash, contentHash, ...rest } = stored;
  const sourceHash =
    storedHash !== undefined
      ? () => storedHash
      : once(() => sourceHashOf(unitHashes.map(([k, h]) => [k, h()])));
  const item = { sourceKey, ...rest } as ItemMapping;
  defineLazy(item, 'sourceHash', sourceHash);
  defineLazy(item, 'contentHash', () => contentHash ?? `h:${sourceHash()}`);
  item.units = units;
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
  const decode = (body: string) => itemCodec.decode(body, itemContext(sourceKey));
  const stored = decodeTagged(text, 'mapping item', Object.fromEntries(itemTags.map((t) => [t, decode]))) as
    | StoredItem
    | ItemMapping;
  return 'sourceKey' in stored ? stored : expandItem(sourceKey, stored);
}
