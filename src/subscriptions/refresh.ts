import type { EventBrief } from '../kakao/types.js';
import type { CallPurpose, QuotaGate } from '../model/quota.js';
import type { Window } from '../sync/events/plan-types.js';
import type { KakaoSnapshot } from '../sync/store/kakao-snapshot.js';

// A subscribed calendar's events listed into the user's snapshot, window by window, so the
// published feeds show them (read-only: the daemon never writes to a subscribed calendar). Each
// window is one Talk Calendar read drawn from the quota governor; a refused window is left as it
// was and counted.

export interface RefreshDeps {
  userId: string;
  listWindow: (calendarId: string, from: string, to: string) => Promise<EventBrief[]>;
  snapshot: KakaoSnapshot;
  quota: QuotaGate;
  now: () => Date;
}

/** The snapshot's link id of a subscribed calendar's entries. */
export const subscriptionScope = (calendarId: string) => ({
  calendarId,
  linkId: `subscription:${calendarId}`,
});

export async function refreshSubscribed(
  deps: RefreshDeps,
  calendarId: string,
  windows: readonly Window[],
  purpose: CallPurpose,
): Promise<{ read: number; deferred: number; events: number }> {
  let read = 0;
  let events = 0;
  for (const [i, w] of windows.entries()) {
    if (!(await deps.quota.acquire(deps.userId, purpose, 1)))
      return { read, deferred: windows.length - i, events };
    const briefs = await deps.listWindow(calendarId, w.from, w.to);
    await deps.snapshot.replaceWindow(
      deps.userId,
      w,
      briefs,
      deps.now(),
      undefined,
      subscriptionScope(calendarId),
    );
    read++;
    events += briefs.length;
  }
  return { read, deferred: 0, events };
}

/** Drops a calendar's entries from the snapshot (after unsubscribing). */
export async function forgetSubscribed(
  snapshot: KakaoSnapshot,
  userId: string,
  calendarId: string,
): Promise<number> {
  const { entries } = await snapshot.read(userId);
  const keys = entries.filter((e) => e.brief.calendar_id === calendarId).map((e) => e.key);
  await snapshot.remove(userId, keys);
  return keys.length;
}
