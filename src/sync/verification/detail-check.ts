import type { EventCreate, EventDetail } from '../../kakao/types.js';
import type { Link } from '../../model/link.js';
import { compactTime } from '../events/projection.js';
import type { LinkState } from '../store/mapping.js';

// Fields only the detail call returns (description, location, reminders) are verified by detail
// reads (one call per event), round-robin over the mapped events, only where they pay: a two-way
// link writes such edits back, so it spends config.sync.detailBudgetPerRun with each verification
// pass; a one-way link that reverts Talk Calendar edits samples config.sync.oneWayDetailReadsPerDay
// (0 by default: such edits are then reverted only when the source changes the event). Pure parts
// here; the calls are made by syncLink.

const dayMs = 86_400_000;

export interface DetailSettings {
  detailBudgetPerRun: number;
  oneWayDetailReadsPerDay: number;
}

/** How many detail reads this run of the link spends. */
export function detailReadsDue(
  link: Link,
  state: Pick<LinkState, 'detailReadAt'>,
  settings: DetailSettings,
  verifying: boolean,
  now: Date,
): number {
  if (link.target.kind === 'tasks') return 0;
  if (link.direction === 'two-way') return verifying ? settings.detailBudgetPerRun : 0;
  if (link.kakaoEditsOfReadOnly !== 'revert' || settings.oneWayDetailReadsPerDay <= 0) return 0;
  const every = dayMs / settings.oneWayDetailReadsPerDay;
  const since = now.getTime() - (state.detailReadAt ? Date.parse(state.detailReadAt) : 0);
  return Math.min(Math.floor(since / every), Math.max(1, settings.detailBudgetPerRun));
}

export interface DetailTarget {
  sourceKey: string;
  unitKey: string;
  kakaoId: string;
  /** The id to read: a recurrence is read through its first instance. */
  readId: string;
}

/** The next `budget` mapped events after `cursor` (source key order, wrapping around). */
export function nextDetailTargets(
  state: LinkState,
  cursor: string | undefined,
  budget: number,
): DetailTarget[] {
  if (budget <= 0) return [];
  const all: DetailTarget[] = [];
  for (const key of [...state.items.keys()].sort()) {
    const m = state.items.get(key)!;
    for (const [unitKey, u] of Object.entries(m.units)) {
      if (!u.kakaoId || !u.event) continue;
      const readId = u.recurring ? `${u.kakaoId}_${compactTime(u.start)}` : u.kakaoId;
      all.push({ sourceKey: key, unitKey, kakaoId: u.kakaoId, readId });
    }
  }
  if (all.length === 0) return [];
  const start = cursor === undefined ? 0 : all.findIndex((t) => `${t.sourceKey}/${t.unitKey}` > cursor);
  const from = Math.max(start, 0);
  const out: DetailTarget[] = [];
  for (let i = 0; i < Math.min(budget, all.length); i++) out.push(all[(from + i) % all.length]!);
  return out;
}

/** True when Kakao's details differ from what we wrote in a field the list does not show. */
export function detailsDiffer(
  written: EventCreate,
  detail: EventDetail,
  fields: 'all' | 'text' = 'all',
): boolean {
  if ((written.description ?? '') !== (detail.description ?? '')) return true;
  if ((written.location?.name ?? '') !== (detail.location?.name ?? '')) return true;
  if (fields === 'text') return false;
  // Omitted reminders mean the calendar's default: nothing to compare against.
  if (written.reminders !== undefined) {
    const a = [...written.reminders].sort((x, y) => x - y).join(',');
    const b = [...(detail.reminders ?? [])].sort((x, y) => x - y).join(',');
    if (a !== b) return true;
  }
  return false;
}
