import { withNotificationMessage } from '../channel/notification.js';
import type { DesiredItem } from '../model/desired.js';
import type { Link } from '../model/link.js';
import type { FetchedItem, SourceItem, Storage } from '../sources/storage.js';
import type { TranslationOutcome } from '../translate/source-item.js';
import { applyPrivacy, applyReminderPolicy, passesFilters } from './events/filters.js';
import type { SourceView } from './events/plan-types.js';
import { guestIdOf, isDaemonObject } from './guest/guest-ics.js';
import type { LinkState } from './store/mapping.js';
import { TranslateWarningSummary } from './translate-warnings.js';

const isGuestItem = (item: SourceItem) => item.kind === 'event' && guestIdOf(item.uid) !== undefined;

// Reading a link's source for one run: list with the stored cursor, fetch only items whose version
// changed, translate them, apply the link's filters and privacy. Unreadable items are reported and
// kept as they were.

export interface SourceReader {
  storage: Storage;
  /** Translates a batch of items (on a translation thread in the daemon), one outcome per item. */
  translateMany: (items: SourceItem[]) => Promise<TranslationOutcome[]>;
}

/**
 * Reads the source: changed items only (by href + etag), deletions, and the new cursor.
 * `reread` hrefs are read and translated again even if unchanged (recurrences expanded into
 * occurrences, whose set moves with the horizon).
 */
export async function readSource(
  link: Link,
  state: LinkState,
  deps: SourceReader,
  force: boolean,
  reread: ReadonlySet<string> = new Set(),
  guestRefs: ReadonlyMap<string, string> = new Map(),
) {
  const list = await deps.storage.list(force ? undefined : state.cursor);
  const warnings: string[] = [...(list.warnings ?? [])];
  // Guest events the link mirrors into the collection are never the user's items (guest/).
  const guests: FetchedItem[] = [];
  if (list.unchanged && reread.size === 0) return { list, view: null, warnings, guests };
  const known = new Map<string, { key: string; etag: string | undefined }>();
  for (const m of state.items.values()) if (m.href) known.set(m.href, { key: m.sourceKey, etag: m.etag });
  const contentMode = state.identityMode === 'content';
  const changed = list.items.filter(
    (r) =>
      guestRefs.get(r.href) !== r.etag &&
      (contentMode || force || reread.has(r.href) || known.get(r.href)?.etag !== r.etag),
  );
  const hrefs = new Set([...changed.map((r) => r.href), ...(list.unchanged ? reread : [])]);
  const fetched = hrefs.size > 0 ? await deps.storage.getMany([...hrefs]) : [];
  const deletedKeys: string[] = [];
  if (list.full && !list.unchanged) {
    const present = new Set(list.items.map((r) => r.href));
    for (const [href, k] of known) if (!present.has(href)) deletedKeys.push(k.key);
    // Mapped items without an href cannot be matched by version: only a full comparison helps.
  } else {
    for (const href of list.deleted) {
      const k = known.get(href);
      if (k) deletedKeys.push(k.key);
    }
  }
  const items: DesiredItem[] = [];
  const refs: Record<string, { href: string; etag: string }> = {};
  const unreadable: string[] = [];
  const translated = new TranslateWarningSummary();
  const take = (f: FetchedItem, outcome: TranslationOutcome) => {
    const out = prepare(link, f, outcome);
    if (out.kind === 'item') {
      translated.add(out.desired);
      items.push(out.desired);
      refs[out.desired.sourceKey] = { href: f.href, etag: f.etag };
    } else if (out.kind === 'filtered') {
      const k = known.get(f.href)?.key ?? out.key;
      if (state.items.has(k)) deletedKeys.push(k);
    } else {
      // An item that cannot be read now is kept as it was: unreadable never means deleted.
      unreadable.push(known.get(f.href)?.key ?? out.key);
      warnings.push(`${out.key}: ${out.reason}`);
    }
  };
  const takeAll = async (fetchedBatch: FetchedItem[]) => {
    const batch = fetchedBatch.filter((f) => !isDaemonObject(f.item.uid));
    guests.push(...fetchedBatch.filter((f) => isGuestItem(f.item)));
    const outcomes = await deps.translateMany(batch.map((f) => f.item));
    for (const [i, f] of batch.entries()) take(f, outcomes[i] ?? { ok: false, reason: 'not translated' });
  };
  await takeAll(fetched);
  const unmatched = [...state.items.values()].some((m) => !m.href);
  const full = !list.unchanged && (contentMode || (list.full && (force || unmatched)));
  const view: SourceView = { full, items, deletedKeys, refs, unreadable };
  if (full && !contentMode && !force && unmatched) {
    // Without hrefs in the mapping the whole collection must be in hand to spot deletions.
    const rest = list.items.filter((r) => !changed.includes(r) && !guestRefs.has(r.href));
    if (rest.length > 0) await takeAll(await deps.storage.getMany(rest.map((r) => r.href)));
  }
  warnings.push(...translated.lines());
  return { list, view, warnings, guests };
}

type Prepared =
  | { kind: 'item'; desired: DesiredItem }
  | { kind: 'filtered'; key: string }
  | { kind: 'unreadable'; key: string; reason: string };

/** Filters and privacy for one translated item. */
function prepare(link: Link, f: FetchedItem, outcome: TranslationOutcome): Prepared {
  if (!outcome.ok) return { kind: 'unreadable', key: f.item.uid, reason: outcome.reason };
  const desired = outcome.desired;
  const invalid = desired.warnings.find((w) => w.code === 'invalid-item');
  if (invalid && desired.kind === 'event' && desired.units.length === 0) {
    return { kind: 'unreadable', key: desired.sourceKey, reason: invalid.message };
  }
  if (!passesFilters(link, f.item, desired)) return { kind: 'filtered', key: desired.sourceKey };
  const shown = applyReminderPolicy(link, applyPrivacy(link, desired));
  // A channel link's buttons are part of what each public event should be.
  return {
    kind: 'item',
    desired: link.target.kind === 'channel' ? withNotificationMessage(link.target, shown) : shown,
  };
}
