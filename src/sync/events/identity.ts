import type { DesiredItem } from '../../model/desired.js';
import type { IdentityMode, ItemMapping, LinkState } from '../store/mapping.js';
import { contentHashOf } from './projection.js';

// Some public feeds mint a new UID for every event on every request. Keyed by UID, such a feed
// would delete and recreate everything each run; keyed by content it is stable. Detection: in a
// full listing, most items have unknown UIDs while their content equals mapped items that vanished.

const minEvidence = 2;

export interface IdentityResult {
  mode: IdentityMode;
  /** The desired items keyed for that mode. */
  items: DesiredItem[];
  /** The mapping keyed for that mode (re-keyed when the mode just switched). */
  mapped: Map<string, ItemMapping>;
  switched: boolean;
}

function keyByContent(items: DesiredItem[]): DesiredItem[] {
  const seen = new Map<string, number>();
  return items.map((item) => {
    const base = contentHashOf(item);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return { ...item, sourceKey: n === 1 ? base : `${base}#${n}` };
  });
}

function rekey(mapped: Map<string, ItemMapping>): Map<string, ItemMapping> {
  const out = new Map<string, ItemMapping>();
  for (const m of mapped.values()) {
    let key = m.contentHash;
    for (let n = 2; out.has(key); n++) key = `${m.contentHash}#${n}`;
    out.set(key, { ...m, sourceKey: key });
  }
  return out;
}

/** True when the listing looks like a UID-minting feed (see the module comment). */
export function looksUidMinting(mapped: Map<string, ItemMapping>, items: DesiredItem[]): boolean {
  if (mapped.size === 0 || items.length === 0) return false;
  const vanished = new Map<string, number>();
  const current = new Set(items.map((i) => i.sourceKey));
  for (const m of mapped.values()) {
    if (!current.has(m.sourceKey)) vanished.set(m.contentHash, (vanished.get(m.contentHash) ?? 0) + 1);
  }
  let unknown = 0;
  let sameContent = 0;
  for (const item of items) {
    if (mapped.has(item.sourceKey)) continue;
    unknown++;
    const h = contentHashOf(item);
    const left = vanished.get(h) ?? 0;
    if (left > 0) {
      sameContent++;
      vanished.set(h, left - 1);
    }
  }
  return sameContent >= minEvidence && unknown * 2 > items.length && sameContent * 2 > unknown;
}

/** Picks the identity for this run (only a full listing can switch it) and keys both sides by it. */
export function resolveIdentity(state: LinkState, items: DesiredItem[], full: boolean): IdentityResult {
  if (state.identityMode === 'content') {
    return { mode: 'content', items: keyByContent(items), mapped: state.items, switched: false };
  }
  if (full && looksUidMinting(state.items, items)) {
    return { mode: 'content', items: keyByContent(items), mapped: rekey(state.items), switched: true };
  }
  return { mode: 'uid', items, mapped: state.items, switched: false };
}
