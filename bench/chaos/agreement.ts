import type { FeedEvent } from './feed-model.js';

// Do both sides agree? The feed's events against the events the emulator holds for the user, and
// the daemon's mapping against both. Pure: the scenario fetches the three lists.

export interface KakaoEventView {
  id: string;
  title: string;
  startMs: number;
}

export interface Agreement {
  expected: number;
  /** Feed events found in Talk Calendar (once or more). */
  present: number;
  /** Talk Calendar events beyond the first of the same source event (same title and start). */
  duplicates: number;
  /** Feed events missing from Talk Calendar. */
  losses: number;
  /** Talk Calendar events that match no feed event (e.g. a stale version not deleted). */
  extras: number;
  /** Talk Calendar events no mapping refers to. */
  unmapped: number;
  /** Mapped Kakao ids that no longer exist in Talk Calendar. */
  dangling: number;
  /** A few of the problems, for the report. */
  examples: string[];
}

const keyOf = (title: string, startMs: number) => `${title} @ ${new Date(startMs).toISOString()}`;

export function compareSides(
  feed: readonly FeedEvent[],
  kakao: readonly KakaoEventView[],
  mappedIds: ReadonlySet<string>,
): Agreement {
  const byKey = new Map<string, KakaoEventView[]>();
  for (const e of kakao) {
    const k = keyOf(e.title, e.startMs);
    byKey.set(k, [...(byKey.get(k) ?? []), e]);
  }
  const examples: string[] = [];
  const note = (what: string) => {
    if (examples.length < 5) examples.push(what);
  };
  const wanted = new Set(feed.map((e) => keyOf(e.title, e.start)));
  let present = 0;
  let duplicates = 0;
  for (const k of wanted) {
    const found = byKey.get(k)?.length ?? 0;
    if (found > 0) present++;
    else note(`lost: ${k}`);
    if (found > 1) {
      duplicates += found - 1;
      note(`${found}×: ${k}`);
    }
  }
  let extras = 0;
  for (const [k, list] of byKey) {
    if (wanted.has(k)) continue;
    extras += list.length;
    note(`extra: ${k}`);
  }
  const ids = new Set(kakao.map((e) => e.id));
  const unmapped = kakao.filter((e) => !mappedIds.has(e.id)).length;
  const dangling = [...mappedIds].filter((id) => !ids.has(id)).length;
  return {
    expected: wanted.size,
    present,
    duplicates,
    losses: wanted.size - present,
    extras,
    unmapped,
    dangling,
    examples,
  };
}

/** The sum of several users' agreements (examples of the first problems only). */
export function sumAgreements(list: readonly Agreement[]): Agreement {
  const total: Agreement = {
    expected: 0,
    present: 0,
    duplicates: 0,
    losses: 0,
    extras: 0,
    unmapped: 0,
    dangling: 0,
    examples: [],
  };
  for (const a of list) {
    total.expected += a.expected;
    total.present += a.present;
    total.duplicates += a.duplicates;
    total.losses += a.losses;
    total.extras += a.extras;
    total.unmapped += a.unmapped;
    total.dangling += a.dangling;
    total.examples.push(...a.examples.slice(0, Math.max(0, 5 - total.examples.length)));
  }
  return total;
}

/** True when the sides agree exactly and the mapping matches Talk Calendar. */
export function agrees(a: Agreement): boolean {
  return a.duplicates === 0 && a.losses === 0 && a.extras === 0 && a.unmapped === 0 && a.dangling === 0;
}
