import type { Rng } from '../chaos/rng.js';

// The feeds of a quota run: each user's events spread evenly over the sync horizon (the profile
// where verification costs the most: every stretch holds an event of ours), and edits at set
// instants of the simulated days, so a poll sees the feed as it stands on the clock.

const dayMs = 86_400_000;
const hourMs = 3_600_000;

const stamp = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

export interface FeedPlan {
  /** Start of event i (epoch ms). */
  starts: number[];
  /** Edits in clock order: at `at`, event `index` gets a new title. */
  edits: { at: number; index: number }[];
}

/**
 * `events` starts from `from` to `to` (a user-specific phase so users differ), and
 * `events × share` edits per day of [editFrom, editFrom + days), at uniform random instants.
 */
export function planFeed(
  rng: Rng,
  events: number,
  span: { from: number; to: number },
  edits: { from: number; days: number; share: number },
): FeedPlan {
  const step = (span.to - span.from) / events;
  const phase = rng.next() * step;
  const starts = Array.from(
    { length: events },
    (_, i) => Math.floor((span.from + phase + i * step) / hourMs) * hourMs,
  );
  const perDay = events * edits.share;
  const planned: FeedPlan['edits'] = [];
  for (let d = 0; d < edits.days; d++) {
    // A fractional count rounds up or down at random, so the mean is exact.
    const n = Math.floor(perDay) + (rng.next() < perDay - Math.floor(perDay) ? 1 : 0);
    for (let k = 0; k < n; k++)
      planned.push({ at: edits.from + d * dayMs + rng.next() * dayMs, index: rng.int(0, events - 1) });
  }
  planned.sort((a, b) => a.at - b.at);
  return { starts, edits: planned };
}

/** The feed's body at clock time `now` (each edit made by then bumps its event's revision). */
export function renderFeed(user: string, plan: FeedPlan, now: number): string {
  const revision = new Map<number, number>();
  for (const e of plan.edits) {
    if (e.at > now) break;
    revision.set(e.index, (revision.get(e.index) ?? 0) + 1);
  }
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//talkcal bench//quota//EN'];
  plan.starts.forEach((start, i) => {
    const rev = revision.get(i) ?? 0;
    lines.push(
      'BEGIN:VEVENT',
      `UID:quota-${user}-${i}@bench.talkcal`,
      'DTSTAMP:20260101T000000Z',
      `DTSTART:${stamp(start)}`,
      `DTEND:${stamp(start + hourMs)}`,
      `SUMMARY:Event ${i}${rev > 0 ? ` (edit ${rev})` : ''}`,
      'END:VEVENT',
    );
  });
  lines.push('END:VCALENDAR', '');
  return lines.join('\r\n');
}

/** How many edits of the plan fall in [from, to). */
export const editsBetween = (plan: FeedPlan, from: number, to: number) =>
  plan.edits.filter((e) => e.at >= from && e.at < to).length;
