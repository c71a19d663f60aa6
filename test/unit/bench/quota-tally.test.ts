import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRng } from '../../../bench/chaos/rng.js';
import { editsBetween, planFeed, renderFeed } from '../../../bench/quota/feeds.js';
import { firstListingCovering, firstSyncRequests, tally } from '../../../bench/quota/tally.js';
import type { RequestLogEntry } from '../../../src/emulator/state.js';

// The quota benchmark's figures come from these counts of the emulator's request log: a miscount
// would print a user figure nobody can plan on.

const day = 86_400_000;
const hour = 3_600_000;
const t0 = Date.parse('2026-12-09T15:00:00Z');
let seq = 0;
const iso = (ms: number) => new Date(ms).toISOString();
function entry(
  userId: string,
  endpoint: string,
  at: number,
  query: Record<string, string> = {},
): RequestLogEntry {
  const path = endpoint === 'oauth.token' ? '/oauth/token' : '/v2/api/calendar/x';
  return { seq: ++seq, at: iso(at), method: 'GET', path, query, userId, status: 200, endpoint };
}
const list = (userId: string, at: number, from: number, days = 31) =>
  entry(userId, 'events.list', at, { from: iso(from), to: iso(from + days * day) });

describe('quota tally', () => {
  it('sorts one day of one set of users into writes, near and other listings, details and the rest', () => {
    const log = [
      entry('u1', 'events.create', t0 + hour),
      entry('u1', 'events.update', t0 + 2 * hour),
      list('u1', t0 + 3 * hour, t0 + 3 * hour),
      list('u1', t0 + 4 * hour, t0 + 90 * day),
      entry('u1', 'events.get', t0 + 5 * hour),
      entry('u1', 'calendars.list', t0 + 6 * hour),
      entry('u1', 'oauth.token', t0 + 7 * hour),
      entry('u2', 'events.create', t0 + hour),
      entry('u1', 'events.create', t0 + day),
      entry('u1', 'events.create', t0 - 1),
    ];
    expect(tally(log, new Set(['u1']), t0, t0 + day)).toEqual({
      total: 6,
      writes: 2,
      nearLists: 1,
      otherLists: 1,
      details: 1,
      other: { 'calendars.list': 1 },
      otherListDays: 31,
    });
  });

  it("finds the first listing after a deletion whose window holds the event, only the user's", () => {
    const start = t0 + 100 * day;
    const log = [
      list('u1', t0 + hour, t0 + 90 * day),
      list('u2', t0 + 2 * hour, t0 + 90 * day),
      list('u1', t0 + 3 * hour, t0 + 10 * day),
      list('u1', t0 + 5 * hour, t0 + 95 * day),
    ];
    expect(firstListingCovering(log, 'u1', start, t0 + 2 * hour)).toBe(t0 + 5 * hour);
    expect(firstListingCovering(log, 'u1', start, t0 + 6 * hour)).toBeUndefined();
  });

  it("counts a first sync's creates and the listings before them, however slowly sent, not later reads", () => {
    // On a loaded machine at a high clock rate the 13 listings are minutes of clock time apart.
    const log = [
      ...Array.from({ length: 13 }, (_, w) => list('u1', t0 + w * 5 * 60_000, t0 + w * 31 * day)),
      list('u2', t0 + hour, t0 + 60 * day),
      ...Array.from({ length: 5 }, (_, i) => entry('u1', 'events.create', t0 + 2 * hour + i)),
      list('u1', t0 + 10 * hour, t0 + 60 * day),
    ];
    expect(firstSyncRequests(log, new Set(['u1']), t0, t0 + day)).toEqual({ creates: 5, listings: 13 });
  });
});

describe('quota feeds', () => {
  it('plans share × events edits per day inside the edit days, and the feed shows those made by now', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 5 }), (seed, days) => {
        const plan = planFeed(
          seededRng(seed),
          200,
          { from: t0 - 30 * day, to: t0 + 365 * day },
          { from: t0, days, share: 0.01 },
        );
        expect(plan.starts).toHaveLength(200);
        expect(plan.edits).toHaveLength(2 * days);
        expect(editsBetween(plan, t0, t0 + days * day)).toBe(2 * days);
        const before = renderFeed('u', plan, t0 - 1);
        expect(before).not.toContain('(edit');
        const after = renderFeed('u', plan, t0 + days * day);
        expect(after.match(/BEGIN:VEVENT/g)).toHaveLength(200);
        // Two edits of the same event show as its second revision.
        const revisions = [...after.matchAll(/\(edit (\d+)\)/g)].reduce((n, m) => n + Number(m[1]), 0);
        expect(revisions).toBe(2 * days);
      }),
      { numRuns: 30 },
    );
  });
});
