import type { EventBrief, Task } from '../kakao/types.js';
import { withinGrant } from '../model/granted-call.js';
import type { Link } from '../model/link.js';
import type { CallPurpose } from '../model/quota.js';
import { DeletionGuardError } from './errors.js';
import { PlanApplier } from './events/apply.js';
import { isTwoWay } from './events/conflict-choice.js';
import { resolveIdentity } from './events/identity.js';
import { planLink } from './events/plan.js';
import type { DetailFields, Plan, PlanInput, SourceView, Window } from './events/plan-types.js';
import { replanItem, replanTask } from './events/replan.js';
import { asFirstSyncCalls, firstSyncGate } from './first-sync-gate.js';
import type { GuestRecord } from './guest/guest-plan.js';
import { syncGuests } from './guest/sync-guests.js';
import { classifyKakaoFailure } from './kakao-port.js';
import { emptyLinkResult, type LinkSyncDeps, type LinkSyncResult, type SyncOptions } from './link-types.js';
import { readSource } from './read-source.js';
import type { KakaoSnapshot } from './store/kakao-snapshot.js';
import { type LinkState, unitMappings } from './store/mapping.js';
import { confirmMissingTasks } from './tasks/confirm-missing.js';
import { taskWindowDates } from './tasks/task-verify.js';
import { confirmMissingEvents } from './verification/confirm-missing-events.js';
import { confirmationReads } from './verification/confirm-reads.js';
import { detailReadsDue, detailsDiffer, nextDetailTargets } from './verification/detail-check.js';
import { isFirstSync, plannedReads, type ReadRole } from './verification/kakao-reads.js';
import { booksOf, recordReads, spansOf } from './verification/verify-books.js';
import { covered, horizonOf, horizonWindows } from './verification/windows.js';

// One sync of one link: read the source (incrementally), read the Kakao windows this run needs,
// plan, apply, commit. An unchanged to-kakao link with nothing due costs no Kakao call at all.

export type { LinkSyncDeps, LinkSyncResult, SyncOptions, SyncSettings } from './link-types.js';

const calendarIdOf = (link: Link) =>
  link.target.kind === 'sub-calendar' ? (link.target.calendarId ?? 'primary') : 'primary';

export async function syncLink(
  link: Link,
  deps: LinkSyncDeps,
  opts: SyncOptions = {},
): Promise<LinkSyncResult> {
  const { userId, store, settings } = deps;
  const now = deps.now();
  const result = emptyLinkResult(link.id);
  const count = (purpose: CallPurpose, n = 1) => {
    result.calls[purpose] = (result.calls[purpose] ?? 0) + n;
  };
  if (link.target.kind === 'sub-calendar' && !link.target.calendarId) {
    // Never fall back to the primary calendar: the daemon creates the sub-calendar first.
    return { ...result, error: `link ${link.id}: its sub-calendar does not exist yet; nothing synced` };
  }
  let state = await store.load(userId, link.id);
  // A first sync's creates are charged as 'first-sync', as its listing is (plannedReads).
  const firstSync = isFirstSync(state);
  // A full listing reads `windows` (the fewest that cover the horizon); verification reads what
  // verify-due.ts says is due; the books keep when each stretch of the horizon was last read.
  const windows = horizonWindows(now, settings.horizonPastDays, settings.horizonFutureDays);
  const horizon = horizonOf(now, settings.horizonPastDays, settings.horizonFutureDays);
  const tasks = link.target.kind === 'tasks';

  const guestStore = mirrorsGuests(link, deps) ? deps.guests : undefined;
  const guestRecords = guestStore ? await guestStore.load(userId, link.id) : new Map<string, GuestRecord>();
  // Which Kakao windows this run reads (a window is read once, whatever asked for it).
  const toRead = plannedReads({
    link,
    state,
    settings,
    now,
    force: opts.force === true,
    canListTasks: deps.kakao.listTasksWindow !== undefined,
    windows,
    horizon,
    ...(guestStore ? { guestStarts: [...guestRecords.values()].map((r) => r.start) } : {}),
  });
  // Detail reads of a one-way link are sampled at their own pace; a two-way link's ride along with
  // its verification reads.
  const verifying = [...toRead.values()].some((r) => r.purpose === 'verify');
  const detailBudget = detailReadsDue(link, state, settings, verifying, now);

  // Recurrences expanded into occurrences gain and lose units as the horizon moves: re-read daily.
  const today = now.toISOString().slice(0, 10);
  const reread = new Set<string>();
  if (state.identityMode === 'uid' && state.expandedOn !== today) {
    for (const m of state.items.values()) {
      if (m.href && Object.keys(m.units).some((k) => k !== 'main' && k !== 'task')) reread.add(m.href);
    }
  }
  const guestRefs = new Map<string, string>();
  for (const r of guestRecords.values()) if (r.href && r.etag) guestRefs.set(r.href, r.etag);
  const {
    list,
    view,
    warnings: sourceWarnings,
    guests: guestItems,
  } = await readSource(link, state, deps, opts.force === true, reread, guestRefs);
  result.warnings.push(...sourceWarnings);
  if (!view && toRead.size === 0 && detailBudget === 0) {
    // The same items under a new cursor (an ICS feed's new ETag for the same body): kept, so the
    // next poll is a conditional GET rather than a whole download.
    if (!opts.dryRun && list.cursor !== state.cursor)
      await store.commit(deps.lock, link.id, { meta: { cursor: list.cursor } });
    result.skipped = 'unchanged';
    return result;
  }
  const source: SourceView = view ?? { full: false, items: [], deletedKeys: [] };

  // Identity: feeds that mint UIDs are keyed by content.
  const identity = resolveIdentity(state, source.items, view !== null && list.full && !list.unchanged);
  if (identity.switched) {
    result.warnings.push(`link ${link.id}: the feed mints new UIDs; items are now matched by content`);
    state = { ...state, items: identity.mapped, identityMode: 'content' };
    if (!opts.dryRun) {
      await store.commit(deps.lock, link.id, {
        replaceAll: true,
        put: [...identity.mapped.values()],
        meta: { identityMode: 'content' },
      });
    }
  }
  if (identity.mode === 'content') {
    // Keyed by content, every item was fetched when the listing changed; an unchanged listing
    // (view null) means nothing changed, never that everything is gone.
    source.items = identity.items;
    source.full = view !== null;
    source.refs = {};
  }

  // Two-way: a source deletion is pushed only against a fresh read of the event's window, so a
  // Talk Calendar edit made since our last write beats it (one list call per window, as a write).
  if (link.direction === 'two-way' && !tasks) {
    for (const key of sourceDeletions(state, source)) {
      for (const u of Object.values(state.items.get(key)?.units ?? {})) {
        if (u.kakaoId) toRead.cover(u.start, 'write', 'events', horizon);
      }
    }
  }

  const events: EventBrief[] = [];
  const eventWindows: Window[] = [];
  const taskItems: Task[] = [];
  const taskWindows: Window[] = [];
  const roles = new Set<ReadRole>();
  let refusedReads = 0;
  for (const { w, purpose, kind, role } of toRead.values()) {
    if (!(await deps.quota.acquire(userId, purpose, 1))) {
      refusedReads++;
      continue;
    }
    count(purpose);
    roles.add(role);
    // A listing's next pages and retries are charged as they are sent, under the same grant.
    const granted = <T>(fn: () => Promise<T>) => withinGrant(deps.quota, userId, purpose, fn, count);
    if (kind === 'tasks') {
      const dates = taskWindowDates(w);
      taskItems.push(...(await granted(() => deps.kakao.listTasksWindow!(dates.from, dates.to))));
      taskWindows.push(w);
      continue;
    }
    const briefs = await granted(() => deps.kakao.listEventsWindow(calendarIdOf(link), w.from, w.to));
    events.push(...briefs);
    eventWindows.push(w);
    if (deps.snapshot && !opts.dryRun)
      await deps.snapshot.replaceWindow(userId, w, briefs, now, undefined, {
        calendarId: calendarIdOf(link),
        linkId: link.id,
      });
  }
  result.windowsRead = eventWindows.length + taskWindows.length;
  // This run's listings of the link's kind are booked: each paints over the stretch it read.
  const booked = tasks ? taskWindows : eventWindows;
  const whole = covered(booked, horizon, horizon);
  const details = await checkDetails(link, state, deps, detailBudget, opts.dryRun === true, count);
  // Mapped items missing from their listed window: moved far in Talk Calendar, or deleted? One read each.
  const confirm = confirmationReads({ ...deps, userId }, count);
  const listedTasks = { windows: taskWindows, items: taskItems };
  const taskView =
    tasks || taskWindows.length > 0
      ? await confirmMissingTasks(state, listedTasks, now.toISOString(), confirm)
      : undefined;
  const missing = await confirmMissingEvents(state, { windows: eventWindows, events }, confirm);

  let plan: Plan;
  const planInput: PlanInput = {
    link,
    state,
    source,
    kakao: {
      windows: eventWindows,
      events,
      detailEdited: details.edited,
      details: details.fields,
      reads: missing.reads,
      unconfirmed: missing.unconfirmed,
      ...(taskView ? { tasks: taskView } : {}),
    },
    horizon,
    now: now.toISOString(),
    massDelete: { share: settings.massDeleteShare, minItems: settings.massDeleteMinItems },
    ...(deps.foreignIds ? { foreignIds: deps.foreignIds } : {}),
    force: opts.force === true,
    ...(deps.intentSettleAfterMs ? { intentSettleAfterMs: deps.intentSettleAfterMs } : {}),
  };
  try {
    plan = planLink(planInput);
  } catch (err) {
    if (!(err instanceof DeletionGuardError)) throw err;
    result.skipped = 'mass-deletion';
    result.error = err.message;
    return result;
  }
  result.plan = plan;
  result.warnings.push(...plan.warnings);
  if (opts.dryRun) return result;

  const before = ownIds(state);
  const twoWay = isTwoWay(link);
  const applier = new PlanApplier(
    {
      userId,
      linkId: link.id,
      calendarId: calendarIdOf(link),
      kakao: deps.kakao,
      store,
      lock: deps.lock,
      storage: deps.storage,
      quota: firstSync ? firstSyncGate(deps.quota, link.id) : deps.quota,
      now: deps.now,
      ...(deps.writeBack ? { writeBack: deps.writeBack } : {}),
      ...(settings.writeConcurrency ? { writeConcurrency: settings.writeConcurrency } : {}),
      // Two-way: a write to an event (a task) no listing showed this run is preceded by a read of it.
      ...(twoWay
        ? {
            replan: (item, reads) => replanItem(planInput, item, reads),
            replanTask: (item, reads) => replanTask(planInput, item, reads),
          }
        : {}),
    },
    state,
  );
  result.apply = await applier.apply(plan);
  const applyCalls = firstSync ? asFirstSyncCalls(result.apply.calls) : result.apply.calls;
  for (const [p, n] of Object.entries(applyCalls)) count(p as CallPurpose, n);
  result.warnings.push(...result.apply.warnings);
  plan.conflicts.push(...result.apply.conflicts);
  // Not synced this run, and said so (a later run settles the interrupted create, then writes).
  for (const sourceKey of plan.waiting ?? [])
    result.apply.failed.push({ sourceKey, error: waitingError(refusedReads) });

  // Failed (or waiting), conflicting or deferred items were not recorded: keep the cursor so the
  // next run reads them again. An unchanged source's new cursor speaks of the same items: kept.
  const clean =
    result.apply.failed.length === 0 &&
    plan.conflicts.length === 0 &&
    (plan.deferred ?? []).length === 0 &&
    result.apply.deferred.length === 0;
  await store.commit(deps.lock, link.id, {
    meta: {
      ...((list.unchanged ? list.cursor !== state.cursor : clean && view) ? { cursor: list.cursor } : {}),
      needsFullListing:
        plan.driftSeen ||
        result.apply.driftSeen ||
        details.drift ||
        (state.needsFullListing && !covered(booked, horizon, horizon)),
      ...(details.cursor ? { detailCursor: details.cursor, detailReadAt: now.toISOString() } : {}),
      ...(reread.size > 0 && clean ? { expandedOn: today } : {}),
      ...(whole || roles.has('near') ? { nearReadAt: now.toISOString() } : {}),
      ...(whole || roles.has('far') ? { farReadAt: now.toISOString() } : {}),
    },
    ...(booked.length > 0
      ? { verified: booksOf(recordReads(spansOf(state.verifiedWindows), booked, now, horizon)) }
      : {}),
  });
  if (deps.snapshot) await recordOwnWrites(deps.snapshot, userId, link.id, before, state);
  if (guestStore && deps.kakao.updateGuestEvent) {
    const listedHrefs = new Set(list.items.map((r) => r.href));
    const deletedHrefs = list.unchanged
      ? []
      : list.full
        ? [...guestRefs.keys()].filter((h) => !listedHrefs.has(h))
        : list.deleted;
    const guests = await syncGuests(
      {
        userId,
        link,
        storage: deps.storage,
        store: guestStore,
        kakao: { getEvent: (id) => deps.kakao.getEvent(id), updateGuestEvent: deps.kakao.updateGuestEvent },
        quota: deps.quota,
        translateMany: deps.translateMany,
        now: deps.now,
        count,
        maxItems: deps.maxGuestItems ?? Number.POSITIVE_INFINITY,
      },
      { listed: events, windows: eventWindows, horizon, changed: guestItems, deletedHrefs },
    );
    result.guests = { written: guests.written, pushed: guests.pushed, removed: guests.removed };
    result.warnings.push(...guests.warnings);
  }
  return result;
}

/** Guest events are mirrored by two-way links of CalDAV events only (the others cannot show them). */
function mirrorsGuests(link: Link, deps: LinkSyncDeps): boolean {
  return (
    deps.guests !== undefined &&
    link.direction === 'two-way' &&
    link.source.type === 'caldav' &&
    link.target.kind !== 'tasks' &&
    deps.kakao.updateGuestEvent !== undefined
  );
}

/** Up to `budget` detail reads, round-robin over the mapped events (detailReadsDue sets the budget). */
async function checkDetails(
  link: Link,
  state: LinkState,
  deps: LinkSyncDeps,
  budget: number,
  dryRun: boolean,
  count: (purpose: CallPurpose) => void,
): Promise<{ edited: Set<string>; fields: Map<string, DetailFields>; drift: boolean; cursor?: string }> {
  const edited = new Set<string>();
  const fields = new Map<string, DetailFields>();
  const twoWay = link.direction === 'two-way';
  if (budget === 0 || dryRun) return { edited, fields, drift: false };
  let drift = false;
  let cursor: string | undefined;
  for (const t of nextDetailTargets(state, state.detailCursor, budget)) {
    if (!(await deps.quota.acquire(deps.userId, 'detail', 1))) break;
    count('detail');
    cursor = `${t.sourceKey}/${t.unitKey}`;
    try {
      const detail = await withinGrant(
        deps.quota,
        deps.userId,
        'detail',
        () => deps.kakao.getEvent(t.readId),
        count,
      );
      const written = state.items.get(t.sourceKey)?.units[t.unitKey]?.event;
      // Two-way links write back description and location only; reminders stay the source's.
      if (written && detailsDiffer(written, detail, twoWay ? 'text' : 'all')) {
        edited.add(t.kakaoId);
        fields.set(t.kakaoId, {
          description: detail.description ?? '',
          location: detail.location?.name ?? '',
        });
      }
    } catch (err) {
      if (classifyKakaoFailure(err) !== 'not-found') throw err;
      drift = true; // gone: the full listing this triggers finds and handles it
    }
  }
  return { edited, fields, drift, ...(cursor ? { cursor } : {}) };
}

/** Mapped source keys this source view says are gone. */
function sourceDeletions(state: LinkState, source: SourceView): string[] {
  const unreadable = new Set(source.unreadable ?? []);
  if (!source.full) return source.deletedKeys.filter((k) => state.items.has(k) && !unreadable.has(k));
  const present = new Set(source.items.map((i) => i.sourceKey));
  return [...state.items.keys()].filter((k) => !present.has(k) && !unreadable.has(k));
}

function ownIds(state: LinkState): Set<string> {
  const ids = new Set<string>();
  for (const u of unitMappings(state)) if (u.kakaoId && u.event) ids.add(u.kakaoId);
  return ids;
}

async function recordOwnWrites(
  snapshot: KakaoSnapshot,
  userId: string,
  linkId: string,
  before: Set<string>,
  state: LinkState,
) {
  const written = ownIds(state);
  for (const id of written) before.delete(id);
  await snapshot.upsertOwn(userId, linkId, [...written]);
  await snapshot.remove(userId, [...before]);
}

/** Why an item waits on its interrupted create: too young to settle, or its window was not read. */
function waitingError(refusedReads: number): string {
  return refusedReads > 0
    ? `an interrupted create of it is not settled yet: the quota refused ${refusedReads} of this run's window reads (the day's budget, or its hold for first syncs); a later run settles it`
    : 'an interrupted create of it is not settled yet (it may still land); a later run settles it';
}
