import type { EventDetail } from '../../kakao/types.js';
import type { KakaoView } from '../events/plan-types.js';
import {
  type Precondition,
  type PreconditionRead,
  preconditionOf,
  preconditionRead,
} from '../events/precondition.js';
import type { LinkState, UnitMapping } from '../store/mapping.js';
import { KakaoIndex } from './kakao-index.js';

// A mapped event missing from the listing of its window was deleted in Talk Calendar — or moved
// there, far in time, into a window not read this run. Taken for deleted, a moved event would be
// deleted from a two-way source (a loss) or created again (a duplicate). So, as for tasks
// (tasks/confirm-missing.ts), one read by id settles which before the plan: found, the read joins
// this run's view as an edit of its time; gone (404), it is deleted. A read the quota does not grant
// leaves the event unconfirmed: absence proves nothing this run.

export interface ConfirmEventDeps {
  /** One detail read by id: the event, or null when Kakao has none. */
  readEvent: (readId: string) => Promise<EventDetail | null>;
  /** Asks the quota governor for one read; false: not today. */
  grant: () => Promise<boolean>;
}

export interface ConfirmedEvents {
  /** What the reads showed, by Kakao id (as precondition reads: they tell the unit's state). */
  reads: Map<string, PreconditionRead>;
  /** Missing events whose read the quota refused. */
  unconfirmed: Set<string>;
}

/**
 * The mapped events this run's listings would take for deleted, with the id to read each by (a
 * recurrence through its first instance, unless an exception of ours changed it: then no read can
 * tell, and it is left to the listing as before). Pure.
 */
export function missingEvents(
  state: LinkState,
  view: KakaoView,
): { unit: UnitMapping; read: Precondition }[] {
  const index = new KakaoIndex(view);
  const none = new Set<string>();
  const out: { unit: UnitMapping; read: Precondition }[] = [];
  for (const m of state.items.values()) {
    for (const [unitKey, unit] of Object.entries(m.units)) {
      if (!unit.kakaoId || !unit.event || index.stateOf(unit, none, none).kind !== 'deleted') continue;
      const changed = new Set((unit.instances ?? []).map((op) => op.instanceStart));
      const read = preconditionOf(unitKey, unit, changed);
      if (read) out.push({ unit, read });
    }
  }
  return out;
}

export async function confirmMissingEvents(
  state: LinkState,
  view: KakaoView,
  deps: ConfirmEventDeps,
): Promise<ConfirmedEvents> {
  const reads = new Map<string, PreconditionRead>();
  const unconfirmed = new Set<string>();
  for (const { unit, read } of missingEvents(state, view)) {
    if (!(await deps.grant())) {
      unconfirmed.add(read.kakaoId);
      continue;
    }
    const detail = await deps.readEvent(read.readId);
    reads.set(read.kakaoId, detail === null ? null : preconditionRead(unit, detail));
  }
  return { reads, unconfirmed };
}
