import type { Window } from '../events/plan-types.js';
import { lastRead, type VerifiedSpan } from './verify-books.js';
import { contains, coverInstants, nearWindows, windowFrom, windowOf } from './windows.js';

// Which verification reads a run owes, priced in list calls. The near region (the next
// `nearDays`, one call for 31 days, aligned to now) is read every `nearEveryHours` when it holds
// something of ours. The rest of the horizon (the past part and beyond the near region) is read in
// rotation: one window at a time, starting where the least recently read item of ours sits, paced
// so that a full turn takes `farEveryHours` — an even trickle of calls rather than a weekly burst.
// A stretch holding nothing of ours is never read. Pure.

const hourMs = 3_600_000;
/** A turn of the rotation ends this share of farEveryHours in, so late polls never make an item overdue. */
export const turnShare = 0.95;

export interface VerifyCadence {
  nearDays: number;
  nearEveryHours: number;
  farEveryHours: number;
  /** Overdue far windows read in one run at most. */
  perRun: number;
}

/** Where one mapped item sits (an event's start, a task's due date), and when we last wrote it. */
export interface MappedInstant {
  at: string;
  /** A write tells what Kakao held then, as a read would. */
  writtenAt?: string | undefined;
}

export interface DueContext {
  items: readonly MappedInstant[];
  spans: readonly VerifiedSpan[];
  now: Date;
  horizon: Window;
  cadence: VerifyCadence;
  /** Task listings go by whole due dates: the near window starts at the day, not the hour. */
  byDay: boolean;
  /** The near region is read whole, items in it or not (links that mirror guest events). */
  wholeNear?: boolean;
  /** When the near region was last read (or a full listing covered everything). */
  nearReadAt?: string | undefined;
  /** When the rotation last read a far window (or a full listing covered everything). */
  farReadAt?: string | undefined;
}

export interface DueReads {
  near: Window[];
  far: Window[];
}

export function dueVerification(ctx: DueContext): DueReads {
  const { horizon, cadence, now } = ctx;
  const t = now.getTime();
  const items = ctx.items.filter((i) => contains(horizon, i.at));
  const known = new Map<string, number>();
  for (const i of items) {
    const written = i.writtenAt ? Date.parse(i.writtenAt) : Number.NEGATIVE_INFINITY;
    known.set(i.at, Math.max(known.get(i.at) ?? Number.NEGATIVE_INFINITY, written));
  }
  const instants = [...known.keys()];
  // Since when Kakao's copy is unchecked: the later of the last read covering it and our last write.
  const age = (i: string) =>
    t -
    Math.max(lastRead(ctx.spans, i) ?? Number.NEGATIVE_INFINITY, known.get(i) ?? Number.NEGATIVE_INFINITY);
  const nearEvery = cadence.nearEveryHours * hourMs;
  const farEvery = cadence.farEveryHours * hourMs;

  // The near region is read as a whole on its cadence (an item sliding into it from the far end was
  // read by the rotation, within farEveryHours).
  const region = nearWindows(now, cadence.nearDays, horizon, ctx.byDay);
  const nearAge = t - (ctx.nearReadAt ? Date.parse(ctx.nearReadAt) : Number.NEGATIVE_INFINITY);
  const inNear = (w: Window) => ctx.wholeNear === true || instants.some((i) => contains(w, i));
  const near = nearAge >= nearEvery ? region.filter(inNear) : [];
  const far = instants.filter((i) => !windowOf(region, i));
  return { near, far: dueFar(far, ctx, age, farEvery) };
}

/** Overdue stretches first (most overdue first, `perRun` of them); else the paced rotation. */
function dueFar(far: string[], ctx: DueContext, age: (i: string) => number, farEvery: number): Window[] {
  if (far.length === 0) return [];
  const overdue = far.filter((i) => age(i) >= farEvery);
  if (overdue.length > 0) {
    const oldest = (w: Window) => Math.max(...overdue.filter((i) => contains(w, i)).map(age));
    return coverInstants(overdue, ctx.horizon)
      .map((w) => ({ w, oldest: oldest(w) }))
      .sort((a, b) => b.oldest - a.oldest || Date.parse(a.w.from) - Date.parse(b.w.from))
      .slice(0, ctx.cadence.perRun)
      .map((x) => x.w);
  }
  // A full turn reads as many windows as cover the far items: one of them every turn / that many.
  const pace = (turnShare * farEvery) / coverInstants(far, ctx.horizon).length;
  const last = ctx.farReadAt ? Date.parse(ctx.farReadAt) : Number.NEGATIVE_INFINITY;
  if (ctx.now.getTime() - last < pace) return [];
  const next = [...far].sort((a, b) => age(b) - age(a) || Date.parse(a) - Date.parse(b))[0]!;
  return [windowFrom(next, ctx.horizon)];
}
