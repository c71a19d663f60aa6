import type { DesiredItem } from '../../model/desired.js';
import { type CreateIntent, type ItemMapping, intentMaySettle } from '../store/mapping.js';
import type { KakaoIndex } from '../verification/kakao-index.js';
import type { Action, Conflict, PlanInput } from './plan-types.js';
import { planUnit, type UnitContext } from './plan-unit.js';
import type { Precondition } from './precondition.js';

// The decision for one event item: each of its units planned (plan-unit.ts), gathered into the
// item's actions, conflicts and precondition reads. Pure; planLink calls it for every item, and
// apply's re-plan after a precondition read calls it for one.

export interface ItemOutcome {
  actions: Action[];
  conflicts: Conflict[];
  warnings: string[];
  drift: boolean;
  /** A two-way source deletion not decidable this run: the item is left as it is. */
  defer: boolean;
  /** A unit's create waits for an interrupted create to be settled by a later run. */
  waiting: boolean;
  preconditions: Precondition[];
}

export function planEventItem(
  ctx: UnitContext,
  sourceKey: string,
  want: DesiredItem | null,
  m: ItemMapping | undefined,
): ItemOutcome {
  const wantUnits = new Map((want?.kind === 'event' ? want.units : []).map((u) => [u.unitKey, u]));
  const unitKeys = new Set([...wantUnits.keys(), ...Object.keys(m?.units ?? {})]);
  const outcomes = [...unitKeys]
    .sort()
    .map((unitKey) => planUnit(ctx, sourceKey, unitKey, wantUnits.get(unitKey) ?? null, m?.units[unitKey]));
  const out: ItemOutcome = {
    actions: [],
    conflicts: [],
    warnings: [],
    drift: false,
    defer: outcomes.some((o) => o.defer),
    waiting: outcomes.some((o) => o.waiting),
    preconditions: [],
  };
  for (const o of outcomes) {
    out.actions.push(...o.actions);
    if (o.conflict) out.conflicts.push(o.conflict);
    if (o.warning) out.warnings.push(o.warning);
    if (o.drift) out.drift = true;
    if (o.precondition) out.preconditions.push(o.precondition);
  }
  // A source write is one per item even if several units asked for it.
  const seen = new Set<string>();
  out.actions = out.actions.filter((a) => {
    if (a.op !== 'source-update' && a.op !== 'source-delete' && a.op !== 'source-restore') return true;
    if (seen.has(a.op)) return false;
    seen.add(a.op);
    return true;
  });
  return out;
}

/**
 * Event intents whose window was read are settled by this plan, once old enough that their create
 * can no longer be in flight; the others block a second create of their unit.
 */
export function eventIntentsOf(input: PlanInput, index: KakaoIndex) {
  const settleAfter = input.intentSettleAfterMs ?? 0;
  const blocked = new Set<string>();
  const eventIntents = input.state.intents.filter((i) => !i.task);
  const settles = (i: CreateIntent) => index.covers(i.start) && intentMaySettle(i, input.now, settleAfter);
  const readIntents = eventIntents.filter(settles);
  for (const i of eventIntents) if (!settles(i)) blocked.add(`${i.sourceKey}/${i.unitKey}`);
  return { readIntents, blocked };
}

export function unitContext(
  input: PlanInput,
  index: KakaoIndex,
  taken: Set<string>,
  blocked: ReadonlySet<string>,
  m: ItemMapping | undefined,
  ref: { href: string; etag: string } | undefined,
): UnitContext {
  return {
    link: input.link,
    index,
    horizon: input.horizon,
    taken,
    blocked,
    ...(ref ? { ref } : {}),
    ...(m?.conflict?.resolution ? { resolution: m.conflict.resolution } : {}),
  };
}
