import type { Link } from '../model/link.js';
import type { CallPurpose } from '../model/quota.js';
import { type LinkState, unitMappings } from './mapping.js';
import type { Window } from './plan-types.js';
import { taskInstant } from './task-verify.js';
import { dueWindows, iso, type VerifyCadence, windowKey, windowOf } from './windows.js';

// Which Kakao windows one run of a link reads, and whether each is an event or a task listing:
// the whole horizon when a full listing is owed, the windows of resolved conflicts and of open
// create intents, else the verification windows that are due. Pure.

/** Event listings (of the link's calendar) or task listings (by due date). */
export type ReadKind = 'events' | 'tasks';

export interface PlannedRead {
  w: Window;
  purpose: CallPurpose;
  kind: ReadKind;
}

/** The reads of one run, each window and kind once (the first purpose that asked for it wins). */
export class ReadList {
  private readonly reads = new Map<string, PlannedRead>();

  add(w: Window, purpose: CallPurpose, kind: ReadKind): void {
    const key = `${kind}:${w.from}/${w.to}`;
    if (!this.reads.has(key)) this.reads.set(key, { w, purpose, kind });
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
  /** The verification grid's windows. */
  cells: Window[];
}

/** Windows holding a unit of the link's own kind: an event link's to-dos are no reason to list events. */
export function occupiedWindows(state: LinkState, cells: Window[], now: Date, tasks: boolean): Set<string> {
  const out = new Set<string>();
  for (const u of unitMappings(state)) {
    if (!u.kakaoId || Boolean(u.task) !== tasks) continue;
    const at = u.task ? taskInstant(u, now.toISOString()) : u.start;
    const w = at ? windowOf(cells, at) : undefined;
    if (w) out.add(windowKey(w));
  }
  return out;
}

/** The reads a run needs before it knows what the source changed. */
export function plannedReads(ctx: ReadContext): ReadList {
  const { link, state, now, cells } = ctx;
  const tasks = link.target.kind === 'tasks';
  const kind: ReadKind = tasks ? 'tasks' : 'events';
  const reads = new ReadList();
  const firstSync = state.items.size === 0 && state.cursor === undefined;
  // Forced, a task link reads its whole horizon too (when the port can list tasks).
  const fullListing = tasks ? ctx.force && ctx.canListTasks : state.needsFullListing || ctx.force;
  if (fullListing) for (const w of ctx.windows) reads.add(w, firstSync ? 'first-sync' : 'verify', kind);
  // A resolved conflict is applied against a fresh read of its event.
  for (const m of state.items.values()) {
    if (!m.conflict?.resolution) continue;
    for (const u of Object.values(m.units)) {
      const w = u.kakaoId ? windowOf(cells, u.start) : undefined;
      if (w) reads.add(w, 'verify', kind);
    }
  }
  // An open intent is settled by a listing of its window: a task create's by a task listing, on
  // whatever link it was made (an ICS feed's to-dos become tasks too).
  for (const intent of state.intents) {
    if (intent.task && !ctx.canListTasks) continue;
    const w = windowOf(cells, intent.start) ?? {
      from: iso(Date.parse(intent.start) - 86_400_000),
      to: iso(Date.parse(intent.start) + 86_400_000),
    };
    reads.add(w, 'write', intent.task || tasks ? 'tasks' : 'events');
  }
  if (reads.size > 0 || (tasks && !ctx.canListTasks)) return reads;
  // Task links are verified like events (their listing is by due date) when the port can list.
  const twoWay = link.direction === 'two-way';
  const { settings } = ctx;
  const cadence: VerifyCadence = {
    ...settings.verify,
    nearEveryHours: twoWay
      ? settings.twoWayReadEveryMinutes / 60
      : (link.verify.nearEveryHours ?? settings.verify.nearEveryHours),
    farEveryHours: link.verify.farEveryHours ?? settings.verify.farEveryHours,
    perRun: twoWay ? cells.length : settings.verify.perRun,
  };
  const occupied = occupiedWindows(state, cells, now, tasks);
  for (const w of dueWindows(cells, occupied, state.verifiedWindows, now, cadence))
    reads.add(w, 'verify', kind);
  return reads;
}
