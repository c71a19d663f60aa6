import type { Link } from '../../model/link.js';
import type { CallPurpose } from '../../model/quota.js';
import type { Window } from '../events/plan-types.js';
import { type LinkState, unitMappings } from '../store/mapping.js';
import { taskInstant } from '../tasks/task-verify.js';
import { spansOf } from './verify-books.js';
import { dueVerification, type MappedInstant, type VerifyCadence } from './verify-due.js';
import { contains, iso, windowFrom } from './windows.js';

// Which Kakao windows one run of a link reads, and whether each is an event or a task listing:
// the whole horizon when a full listing is owed, the windows of resolved conflicts and of open
// create intents, else the verification reads that are due (src/sync/verify-due.ts). Pure.

/** Event listings (of the link's calendar) or task listings (by due date). */
export type ReadKind = 'events' | 'tasks';

/** Why a window is read: the whole horizon, the near region, the far rotation, or one item. */
export type ReadRole = 'full' | 'near' | 'far' | 'item';

export interface PlannedRead {
  w: Window;
  purpose: CallPurpose;
  kind: ReadKind;
  role: ReadRole;
}

/** The reads of one run, each window and kind once (the first purpose that asked for it wins). */
export class ReadList {
  private readonly reads = new Map<string, PlannedRead>();

  add(w: Window, purpose: CallPurpose, kind: ReadKind, role: ReadRole = 'item'): void {
    const key = `${kind}:${w.from}/${w.to}`;
    if (!this.reads.has(key)) this.reads.set(key, { w, purpose, kind, role });
  }

  /** A read of the window holding `instant`, unless one already planned of that kind holds it. */
  cover(instant: string, purpose: CallPurpose, kind: ReadKind, horizon: Window): void {
    for (const r of this.reads.values()) if (r.kind === kind && contains(r.w, instant)) return;
    const t = Date.parse(instant);
    const w = contains(horizon, instant)
      ? windowFrom(instant, horizon)
      : { from: iso(t - 86_400_000), to: iso(t + 86_400_000) };
    this.add(w, purpose, kind);
  }

  get size(): number {
    return this.reads.size;
  }

  values(): IterableIterator<PlannedRead> {
    return this.reads.values();
  }
}

export interface VerifySettings {
  verify: VerifyCadence;
  twoWayReadEveryMinutes: number;
}

export interface ReadContext {
  link: Link;
  state: LinkState;
  settings: VerifySettings;
  now: Date;
  force: boolean;
  /** The port can list tasks (without it, task windows are never read). */
  canListTasks: boolean;
  /** The fewest windows covering the horizon (a full listing). */
  windows: Window[];
  horizon: Window;
  /**
   * Starts of the guest events a two-way CalDAV link mirrors (sync/guest/): verified like its own
   * items, and the near region read whole so a new follow shows up within the two-way cadence.
   */
  guestStarts?: readonly string[];
}

/** Where the link's units of its own kind sit: an event link's to-dos are no reason to list events. */
export function mappedInstants(state: LinkState, now: Date, tasks: boolean): MappedInstant[] {
  const out: MappedInstant[] = [];
  for (const u of unitMappings(state)) {
    if (!u.kakaoId || Boolean(u.task) !== tasks) continue;
    const at = u.task ? taskInstant(u, now.toISOString()) : u.start;
    if (at) out.push({ at, writtenAt: u.writtenAt });
  }
  return out;
}

/** Nothing of the link synced yet: its listing and its creates are charged as 'first-sync'. */
export const isFirstSync = (state: LinkState): boolean =>
  state.items.size === 0 && state.cursor === undefined;

/** The reads a run needs before it knows what the source changed. */
export function plannedReads(ctx: ReadContext): ReadList {
  const { link, state, now, horizon } = ctx;
  const tasks = link.target.kind === 'tasks';
  const kind: ReadKind = tasks ? 'tasks' : 'events';
  const reads = new ReadList();
  const firstSync = isFirstSync(state);
  // Forced, a task link reads its whole horizon too (when the port can list tasks).
  const fullListing = tasks ? ctx.force && ctx.canListTasks : state.needsFullListing || ctx.force;
  if (fullListing)
    for (const w of ctx.windows) reads.add(w, firstSync ? 'first-sync' : 'verify', kind, 'full');
  // A resolved conflict is applied against a fresh read of its event.
  for (const m of state.items.values()) {
    if (!m.conflict?.resolution) continue;
    for (const u of Object.values(m.units)) if (u.kakaoId) reads.cover(u.start, 'verify', kind, horizon);
  }
  // An open intent is settled by a listing of its window: a task create's by a task listing, on
  // whatever link it was made (an ICS feed's to-dos become tasks too).
  for (const intent of state.intents) {
    if (intent.task && !ctx.canListTasks) continue;
    reads.cover(intent.start, 'write', intent.task || tasks ? 'tasks' : 'events', horizon);
  }
  if (reads.size > 0 || (tasks && !ctx.canListTasks)) return reads;
  // Task links are verified like events (their listing is by due date) when the port can list.
  const twoWay = link.direction === 'two-way';
  const { settings } = ctx;
  const cadence: VerifyCadence = {
    ...settings.verify,
    nearEveryHours: twoWay
      ? (link.verify.twoWayReadEveryMinutes ?? settings.twoWayReadEveryMinutes) / 60
      : (link.verify.nearEveryHours ?? settings.verify.nearEveryHours),
    farEveryHours: link.verify.farEveryHours ?? settings.verify.farEveryHours,
    perRun: twoWay ? Number.POSITIVE_INFINITY : settings.verify.perRun,
  };
  const guests = ctx.guestStarts?.map((at) => ({ at }));
  const due = dueVerification({
    items: [...mappedInstants(state, now, tasks), ...(guests ?? [])],
    ...(guests ? { wholeNear: true } : {}),
    spans: spansOf(state.verifiedWindows),
    now,
    horizon,
    cadence,
    byDay: tasks,
    nearReadAt: state.nearReadAt,
    farReadAt: state.farReadAt,
  });
  for (const w of due.near) reads.add(w, 'verify', kind, 'near');
  for (const w of due.far) reads.add(w, 'verify', kind, 'far');
  return reads;
}
