import type { EventBrief, EventDetail, EventGuest } from '../../kakao/types.js';
import { withinGrant } from '../../model/granted-call.js';
import type { Link } from '../../model/link.js';
import type { CallPurpose, QuotaGate } from '../../model/quota.js';
import { ItemExistsError, PreconditionFailedError } from '../../sources/errors.js';
import type { FetchedItem, ItemRef, SourceItem, Storage } from '../../sources/storage.js';
import type { TranslationOutcome } from '../../translate/source-item.js';
import { hashOf } from '../events/hash.js';
import type { Window } from '../events/plan-types.js';
import { normTime, splitInstanceId } from '../events/projection.js';
import { classifyKakaoFailure } from '../kakao-port.js';
import { covered } from '../verification/windows.js';

const defaultZone = 'Asia/Seoul'; // the API's zone for events without one

import {
  GuestHostEditKeptWarning,
  type GuestKind,
  GuestRenderError,
  type GuestVersion,
  guestIdOf,
  isGuestKind,
  type RenderOptions,
  renderGuestItem,
  versionOf,
  withGuestChanges,
} from './guest-ics.js';
import { decideGuest, type GuestRecord } from './guest-plan.js';
import type { GuestStore } from './guest-store.js';

// The guest events of a two-way CalDAV link, once per run after the link's own items: followed
// public and subscribed events this run's Talk Calendar listing showed are mirrored into the
// collection; the guest fields the user changed there go back through update/event/guest. Detail
// reads and guest edits are drawn from the quota governor; one that is refused waits for a later run.

export interface GuestKakao {
  getEvent(eventId: string): Promise<EventDetail>;
  updateGuestEvent(eventId: string, event: EventGuest): Promise<void>;
}

export interface GuestSyncDeps {
  userId: string;
  link: Link;
  storage: Storage;
  store: GuestStore;
  kakao: GuestKakao;
  quota: QuotaGate;
  translateMany: (items: SourceItem[]) => Promise<TranslationOutcome[]>;
  now: () => Date;
  count: (purpose: CallPurpose) => void;
  /** At most this many guest events are mirrored (limits.maxItemsPerSource): the rest are reported. */
  maxItems: number;
}

export interface GuestSyncInput {
  /** This run's listings of the link's calendar and the windows they covered. */
  listed: readonly EventBrief[];
  windows: readonly Window[];
  horizon: Window;
  /** Guest items the source read found changed, and hrefs it found deleted. */
  changed: readonly FetchedItem[];
  deletedHrefs: readonly string[];
}

export interface GuestSyncResult {
  written: number;
  pushed: number;
  removed: number;
  warnings: string[];
}

interface Listed {
  kind: GuestKind;
  start: string;
  recurring: boolean;
  briefHash: string;
}

/** Guest events of a listing, by master id (a recurring event lists one brief per instance). */
export function guestsListed(briefs: readonly EventBrief[]): Map<string, Listed> {
  const out = new Map<string, Listed>();
  for (const b of briefs) {
    if (!b.id || !isGuestKind(b.type)) continue;
    const id = splitInstanceId(b.id).masterId;
    const recurring = b.is_recur_event === true;
    if (out.has(id) && out.get(id)!.start <= normTime(b.time.start_at)) continue;
    const time = recurring
      ? null
      : { ...b.time, start_at: normTime(b.time.start_at), end_at: normTime(b.time.end_at) };
    out.set(id, {
      kind: b.type,
      start: normTime(b.time.start_at),
      recurring,
      briefHash: hashOf({ title: b.title, color: b.color, time, recurring }),
    });
  }
  return out;
}

/** A mirrored event the listing should have shown but did not (unfollowed, unsubscribed). */
function isGone(r: GuestRecord, windows: readonly Window[], horizon: Window): boolean {
  if (r.recurring) return covered(windows, horizon, horizon);
  const at = Date.parse(r.start);
  return windows.some((w) => Date.parse(w.from) <= at && at < Date.parse(w.to));
}

type Granted<T> = { ok: true; value: T } | { ok: false };

interface RunContext {
  deps: GuestSyncDeps;
  render: RenderOptions;
  result: GuestSyncResult;
  deleted: ReadonlySet<string>;
  /** A call granted by the quota governor, or { ok: false } when the purpose is deferred. */
  granted<T>(purpose: CallPurpose, fn: () => Promise<T>): Promise<Granted<T>>;
  translate(item: SourceItem): Promise<GuestVersion | undefined>;
}

export async function syncGuests(deps: GuestSyncDeps, input: GuestSyncInput): Promise<GuestSyncResult> {
  const { userId, link } = deps;
  const result: GuestSyncResult = { written: 0, pushed: 0, removed: 0, warnings: [] };
  const records = await deps.store.load(userId, link.id);
  const listed = guestsListed(input.listed);
  const run: RunContext = {
    deps,
    result,
    deleted: new Set(input.deletedHrefs),
    render: {
      now: deps.now(),
      zone: defaultZone,
      horizon: { from: new Date(input.horizon.from), to: new Date(input.horizon.to) },
    },
    async granted(purpose, fn) {
      if (!(await deps.quota.acquire(userId, purpose, 1))) return { ok: false };
      deps.count(purpose);
      return { ok: true, value: await withinGrant(deps.quota, userId, purpose, fn, deps.count) };
    },
    async translate(item) {
      const [out] = await deps.translateMany([item]);
      return out?.ok ? versionOf(out.desired, item.ics) : undefined;
    },
  };
  const inCaldav = new Map<string, FetchedItem>();
  for (const f of input.changed) {
    const id = guestIdOf(f.item.uid);
    if (id !== undefined) inCaldav.set(id, f);
  }
  // Mirrored ones first, then new ones, up to the bound: a flood of follows cannot grow the collection.
  const fresh = [...listed.keys()].filter((id) => !records.has(id)).sort();
  const room = Math.max(0, deps.maxItems - records.size);
  if (fresh.length > room)
    result.warnings.push(
      `link ${link.id}: ${fresh.length - room} followed or subscribed events not written to CalDAV: ` +
        `more than limits.maxItemsPerSource (${deps.maxItems}) guest events`,
    );
  for (const id of [...[...records.keys()].sort(), ...fresh.slice(0, room)]) {
    const record = records.get(id);
    const seen = listed.get(id);
    const gone = !seen && record !== undefined && isGone(record, input.windows, input.horizon);
    await syncOne(run, id, { record, seen, gone, fetched: inCaldav.get(id) });
  }
  return result;
}

interface OneGuest {
  record: GuestRecord | undefined;
  seen: Listed | undefined;
  gone: boolean;
  fetched: FetchedItem | undefined;
}

async function syncOne(run: RunContext, id: string, g: OneGuest): Promise<void> {
  const { deps, result } = run;
  const { record, seen, fetched } = g;
  let detail = record?.detail;
  let kakao: GuestVersion | undefined;
  if (seen && !g.gone && (!record || record.briefHash !== seen.briefHash)) {
    const read = await readDetail(run, id);
    if (read === 'gone' || (read === undefined && !record)) return;
    if (read) {
      detail = read;
      kakao = await run.translate(renderGuestItem(read, seen.kind, run.render));
    }
  }
  if (!detail) return;
  const caldav =
    record?.href && run.deleted.has(record.href)
      ? ('deleted' as const)
      : fetched && fetched.etag !== record?.etag
        ? await run.translate(fetched.item)
        : undefined;
  const decision = decideGuest({
    ...(record ? { record } : {}),
    ...(kakao ? { kakao } : {}),
    ...(caldav ? { caldav } : {}),
    gone: g.gone,
    policy: deps.link.conflict,
  });
  if (decision.keptHostEdit) result.warnings.push(new GuestHostEditKeptWarning(deps.link.id, id).message);
  // A write goes over the version just read from CalDAV, if any, else over our own last write.
  const base = fetched ? { href: fetched.href, etag: fetched.etag } : (record ?? {});
  let next: GuestRecord = {
    kakaoId: id,
    kind: seen?.kind ?? record!.kind,
    start: seen?.start ?? record!.start,
    recurring: seen?.recurring ?? record!.recurring,
    detail,
    briefHash: seen && kakao ? seen.briefHash : (record?.briefHash ?? ''),
    written: record?.written ?? kakao!,
    ...(base.href && base.etag ? { href: base.href, etag: base.etag } : {}),
  };
  const steps = [...decision.steps];
  while (steps.length > 0) {
    const step = steps.shift()!;
    if (step.op === 'remove') {
      if (record?.href && !run.deleted.has(record.href)) await deps.storage.delete(record.href, record.etag!);
      await deps.store.remove(deps.userId, deps.link.id, id);
      result.removed++;
      return;
    }
    if (step.op === 'push') {
      const sent = await pushChange(run, id, step.change);
      if (sent === 'deferred') return;
      if (sent === 'rejected') {
        if (!steps.some((s) => s.op === 'write')) steps.splice(0, steps.length, { op: 'write' });
        continue;
      }
      next = { ...next, detail: withGuestChanges(next.detail, step.change) };
      result.pushed++;
    } else if (step.op === 'accept' && caldav && caldav !== 'deleted' && fetched) {
      next = { ...next, etag: fetched.etag, written: { host: next.written.host, guest: caldav.guest } };
    } else if (step.op === 'write') {
      const written = await writeItem(run, next, caldav === 'deleted');
      if (!written) return; // changed in CalDAV meanwhile (or unrenderable): the next run sees it
      next = { ...next, ...written };
      result.written++;
    }
  }
  await deps.store.put(deps.userId, deps.link.id, next);
}

/** Kakao's details of a guest event: undefined when the quota deferred the read, 'gone' on 404. */
async function readDetail(run: RunContext, id: string): Promise<EventDetail | 'gone' | undefined> {
  try {
    const read = await run.granted('detail', () => run.deps.kakao.getEvent(id));
    return read.ok ? read.value : undefined;
  } catch (err) {
    if (classifyKakaoFailure(err) === 'not-found') return 'gone';
    throw err;
  }
}

/** Sends a guest edit; an edit Kakao rejects (e.g. a reminder it cannot take) is reverted. */
async function pushChange(
  run: RunContext,
  id: string,
  change: EventGuest,
): Promise<'sent' | 'deferred' | 'rejected'> {
  try {
    const sent = await run.granted('write', () => run.deps.kakao.updateGuestEvent(id, change));
    return sent.ok ? 'sent' : 'deferred';
  } catch (err) {
    if (classifyKakaoFailure(err) !== 'item') throw err;
    const why = err instanceof Error ? err.message : String(err);
    run.result.warnings.push(
      `link ${run.deps.link.id}: guest event ${id}: Talk Calendar refused the edit (${why}); reverted in CalDAV`,
    );
    return 'rejected';
  }
}

/** Renders the record's details into the collection; undefined when the item changed meanwhile. */
async function writeItem(
  run: RunContext,
  record: GuestRecord,
  recreate: boolean,
): Promise<Pick<GuestRecord, 'href' | 'etag' | 'written'> | undefined> {
  const item = renderGuestItem(record.detail, record.kind, run.render);
  const written = await run.translate(item);
  if (!written) {
    run.result.warnings.push(new GuestRenderError(record.kakaoId).message);
    return undefined;
  }
  try {
    const ref =
      record.href && record.etag && !recreate
        ? await run.deps.storage.update(record.href, item, record.etag)
        : await uploadOrReplace(run.deps.storage, item);
    return { href: ref.href, etag: ref.etag, written };
  } catch (err) {
    if (!(err instanceof PreconditionFailedError)) throw err;
    run.result.warnings.push(
      `link ${run.deps.link.id}: guest event ${record.kakaoId} changed in CalDAV while being written; the next run takes it`,
    );
    return undefined;
  }
}

/** Creates the object; one already at its href (its record was lost) is ours and replaced. */
async function uploadOrReplace(storage: Storage, item: SourceItem): Promise<ItemRef> {
  try {
    return await storage.upload(item);
  } catch (err) {
    if (!(err instanceof ItemExistsError)) throw err;
    const [current] = await storage.getMany([err.href]);
    if (!current) throw err;
    return storage.update(current.href, item, current.etag);
  }
}
