import { TalkcalError } from '../model/errors.js';
import type { Link } from '../model/link.js';
import type { RedisConnection } from '../registry/redis.js';
import { ItemExistsError, PreconditionFailedError } from '../sources/errors.js';
import type { ItemRef, SourceItem, Storage } from '../sources/storage.js';
import { hashOf } from '../sync/events/hash.js';
import { mirrorUidSuffix } from '../sync/guest/guest-ics.js';
import type { SnapshotView } from '../sync/store/kakao-snapshot.js';
import { LinkRecordHash } from '../sync/store/link-record-hash.js';
import { renderVevents } from '../translate/render-vevents.js';
import type { VeventSpec } from '../translate/vevent-spec.js';
import { holidaySpecs } from './holidays.js';
import { feedEvents } from './snapshot-events.js';

// On request, Korean holidays and the user's subscribed calendars written into a two-way link's
// CalDAV collection as a read-only mirror (link option `mirror`). It is built from the daemon's
// Redis copies — the holidays the weekly schedule reads, the subscribed calendars listed every
// publish.subscribedRefreshHours, both through the quota governor — so the mirror itself costs no
// Kakao call. An object changed or deleted in CalDAV is written again; one no longer wanted is
// deleted. UIDs end in @mirror.talkcal-sync, so the link's sync never takes them for the user's.

export interface MirrorInputs {
  holidaysRaw: string;
  snapshot: SnapshotView;
  subscribedCalendars: readonly string[];
  zone: string;
  horizon: { from: Date; to: Date };
}

/** What the mirror should hold: UID → the VEVENT spec (pure). */
export function mirrorSpecs(
  want: NonNullable<Link['mirror']>,
  inputs: MirrorInputs,
): Map<string, VeventSpec> {
  const specs: VeventSpec[] = [];
  if (want.holidays) specs.push(...holidaySpecs(inputs.holidaysRaw, inputs.zone, inputs.horizon));
  for (const calendarId of want.subscribed ? inputs.subscribedCalendars : []) {
    specs.push(
      ...feedEvents({
        entries: inputs.snapshot.entries,
        windows: inputs.snapshot.windows,
        own: new Map(),
        linkCalendars: new Map(),
        calendarId,
        otherApps: 'hide',
        zone: inputs.zone,
        horizon: inputs.horizon,
      }),
    );
  }
  const out = new Map<string, VeventSpec>();
  for (const spec of specs) {
    const uid = `${spec.uid.replace(/@talkcal-sync$/, '')}${mirrorUidSuffix}`;
    out.set(uid, { ...spec, uid });
  }
  return out;
}

interface MirrorRecord {
  href: string;
  etag: string;
  hash: string;
}

/** Per link: UID → where the object is and the hash of the spec it was written from. */
export class MirrorStore {
  private readonly hash: LinkRecordHash<MirrorRecord>;

  constructor(redis: RedisConnection, key: (userId: string, linkId: string) => string) {
    this.hash = new LinkRecordHash(redis, key, 'mirrored object record');
  }

  load(userId: string, linkId: string): Promise<Map<string, MirrorRecord>> {
    return this.hash.load(userId, linkId);
  }

  put(userId: string, linkId: string, uid: string, record: MirrorRecord): Promise<void> {
    return this.hash.put(userId, linkId, uid, record);
  }

  remove(userId: string, linkId: string, uid: string): Promise<void> {
    return this.hash.remove(userId, linkId, [uid]);
  }
}

/** More objects than a collection may hold (limits.maxItemsPerSource). */
export class MirrorTooLargeError extends TalkcalError {
  readonly scope = 'item';
  constructor(linkId: string, wanted: number, max: number) {
    super(
      `link ${linkId}: the holidays and subscribed calendars to mirror are ${wanted} objects, more than ` +
        `limits.maxItemsPerSource (${max}); mirror fewer calendars or raise the limit`,
    );
  }
}

export interface MirrorDeps {
  userId: string;
  link: Link;
  storage: Storage;
  store: MirrorStore;
  now: Date;
  maxItems: number;
}

export interface MirrorResult {
  written: number;
  deleted: number;
}

/** Brings the collection's mirror objects in line with `specs`. */
export async function applyMirror(deps: MirrorDeps, specs: Map<string, VeventSpec>): Promise<MirrorResult> {
  const { userId, link, storage, store } = deps;
  if (specs.size > deps.maxItems) throw new MirrorTooLargeError(link.id, specs.size, deps.maxItems);
  const records = await store.load(userId, link.id);
  const listed = new Map((await storage.list()).items.map((r) => [r.href, r.etag]));
  const result: MirrorResult = { written: 0, deleted: 0 };
  for (const [uid, spec] of specs) {
    const hash = hashOf(JSON.parse(JSON.stringify(spec)));
    const record = records.get(uid);
    const etag = record ? listed.get(record.href) : undefined;
    if (record && etag === record.etag && record.hash === hash) continue;
    const item: SourceItem = { uid, kind: 'event', ics: renderVevents([spec], { now: deps.now }) };
    const ref = await writeObject(storage, item, record && etag ? { href: record.href, etag } : undefined);
    if (!ref) continue;
    await store.put(userId, link.id, uid, { href: ref.href, etag: ref.etag, hash });
    result.written++;
  }
  for (const [uid, record] of records) {
    if (specs.has(uid)) continue;
    const etag = listed.get(record.href);
    if (etag) await storage.delete(record.href, etag);
    await store.remove(userId, link.id, uid);
    result.deleted++;
  }
  return result;
}

/** Updates over the listed version, or creates (replacing an object of ours left at the href). */
async function writeObject(
  storage: Storage,
  item: SourceItem,
  at: { href: string; etag: string } | undefined,
): Promise<ItemRef | undefined> {
  try {
    if (at) return await storage.update(at.href, item, at.etag);
    return await storage.upload(item);
  } catch (err) {
    if (err instanceof PreconditionFailedError) return undefined; // changed meanwhile: next run
    if (!(err instanceof ItemExistsError)) throw err;
    const [current] = await storage.getMany([err.href]);
    return current ? storage.update(current.href, item, current.etag) : undefined;
  }
}
