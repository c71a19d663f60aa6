import type { EventCreate } from '../../kakao/types.js';
import type { DesiredEvent } from '../../model/desired.js';
import type { Link } from '../../model/link.js';
import { instanceOpKey, instancesKakaoMayHold, type UnitMapping } from '../store/mapping.js';
import type { KakaoIndex } from '../verification/kakao-index.js';
import { conflictChoice, isTwoWay } from './conflict-choice.js';
import { hashOf } from './hash.js';
import { appliedAfterWrite, instanceStartOf, pendingInstances } from './instance-ops.js';
import type { Action, Conflict, Window } from './plan-types.js';
import { type Precondition, preconditionOf } from './precondition.js';
import { desiredUnitHash, projectDesired, splitInstanceId } from './projection.js';
import { onlyRuleEndChanged, seriesHasInstance } from './series-change.js';
import { movedTo } from './unit-state.js';

// The decision for one unit (one Kakao event) of one item: the three-way comparison of what the
// source wants now, what we wrote last time, and what this run's Kakao reads show.

export interface UnitContext {
  link: Link;
  index: KakaoIndex;
  horizon: Window;
  /** Kakao ids that must not be adopted (mapped by this or another link, or already adopted now). */
  taken: Set<string>;
  /** Unit keys (sourceKey/unitKey) whose create is still unreconciled: never create them again. */
  blocked: ReadonlySet<string>;
  ref?: { href: string; etag: string };
  resolution?: 'source' | 'kakao';
}

export interface UnitOutcome {
  actions: Action[];
  conflict?: Conflict;
  warning?: string;
  drift?: boolean;
  /** Not decidable this run (two-way source deletion, Kakao side unread): leave the item as it is. */
  defer?: boolean;
  /** Its create waits for an interrupted create of the unit to be settled (a later run). */
  waiting?: boolean;
  /** Two-way: read this Kakao event before the actions write to it (no listing showed it this run). */
  precondition?: Precondition;
}

const twoWay = isTwoWay;

function outsideHorizon(event: EventCreate, horizon: Window): boolean {
  const start = Date.parse(event.time.start_at);
  const end = Date.parse(event.time.end_at);
  if (start >= Date.parse(horizon.to)) return true;
  return !event.rrule && end <= Date.parse(horizon.from);
}

/**
 * What Kakao cannot change in place: a series made one-time or the reverse, all-day-ness, a rule
 * changed beyond its end or a start moved while exceptions are applied (their instances would be
 * other ones), and an exception the source undid (Kakao can neither restore a deleted instance nor undo a THIS edit).
 * An applied exception the shortened series no longer has is gone with its instance, not undone.
 */
function needsReplace(m: UnitMapping, want: DesiredEvent): boolean {
  const old = m.event;
  const recurring = Boolean(want.event.rrule);
  if (recurring !== m.recurring) return true;
  if (!recurring) return false;
  const ruleChanged = (old?.rrule ?? '') !== (want.event.rrule ?? '');
  // An exception whose answer was lost may be in Kakao too: undoing it needs a fresh series as well.
  const held = instancesKakaoMayHold(m);
  const applied = held.length > 0;
  if (ruleChanged && applied && !(old && onlyRuleEndChanged(old, want.event))) return true;
  if ((old?.time.all_day ?? false) !== (want.event.time.all_day ?? false)) return true;
  // An ALL update that moves the start moves Kakao's exceptions with it, onto other instances.
  if (applied && old && Date.parse(old.time.start_at) !== Date.parse(want.event.time.start_at)) return true;
  const wanted = new Set(want.instances.map(instanceOpKey));
  return held.some(
    (k) => !wanted.has(k) && (!ruleChanged || seriesHasInstance(want.event, instanceStartOf(k))),
  );
}

/** The source changed only the series' exceptions: Kakao needs the instance calls, not the series. */
function onlyExceptionsChanged(m: UnitMapping, want: DesiredEvent): boolean {
  return (
    m.kakaoId !== null &&
    m.event !== undefined &&
    hashOf(m.event) === hashOf(want.event) &&
    !needsReplace(m, want)
  );
}

/**
 * True when Kakao already shows what the source now wants: the list-visible fields equal the
 * accepted Kakao projection and nothing else changed (a source write-back of a Kakao edit).
 */
function alreadyInKakao(m: UnitMapping, want: DesiredEvent): boolean {
  if (!m.kakaoId || !m.event || projectDesired(want.event) !== m.kakaoHash) return false;
  if (m.kakaoHash === projectDesired(m.event)) return false; // Kakao shows what we wrote: a real change
  const hidden = (e: EventCreate) => ({ ...e, title: '', time: null, color: null });
  return (
    desiredUnitHash({ ...want, event: hidden(want.event) as unknown as EventCreate }) ===
    desiredUnitHash({
      unitKey: want.unitKey,
      event: hidden(m.event) as unknown as EventCreate,
      instances: m.instances ?? [],
    })
  );
}

/** True when the source now wants exactly what the mapping records Kakao holds (an accepted detail edit). */
function recordedAsInKakao(m: UnitMapping, want: DesiredEvent): boolean {
  if (!m.kakaoId || !m.event) return false;
  return (
    desiredUnitHash(want) ===
    desiredUnitHash({ unitKey: want.unitKey, event: m.event, instances: m.instances ?? [] })
  );
}

function writeSource(sourceKey: string, unitKey: string, want: DesiredEvent, m: UnitMapping, reason: string) {
  const desiredHash = desiredUnitHash(want);
  if (m.kakaoId === null) {
    return {
      sourceKey,
      unitKey,
      op: 'create',
      event: want.event,
      instances: want.instances,
      desiredHash,
      reason,
    } as const;
  }
  if (needsReplace(m, want)) {
    return {
      sourceKey,
      unitKey,
      op: 'replace',
      kakaoId: m.kakaoId,
      oldRecurring: m.recurring,
      event: want.event,
      instances: want.instances,
      desiredHash,
      reason,
    } as const;
  }
  return {
    sourceKey,
    unitKey,
    op: 'update',
    kakaoId: m.kakaoId,
    event: want.event,
    recurring: Boolean(want.event.rrule),
    instances: pendingInstances(m, want),
    allInstances: want.instances,
    applied: appliedAfterWrite(m, want),
    desiredHash,
    reason,
  } as const;
}

/** Create the unit's desired event again (it is gone from Kakao and the source still wants it). */
function recreate(
  unit: { sourceKey: string; unitKey: string },
  want: DesiredEvent,
  reason: string,
): UnitOutcome {
  return {
    actions: [
      {
        ...unit,
        op: 'create',
        event: want.event,
        instances: want.instances,
        desiredHash: desiredUnitHash(want),
        reason,
      },
    ],
    drift: true,
  };
}

function planNew(ctx: UnitContext, sourceKey: string, unitKey: string, want: DesiredEvent): UnitOutcome {
  if (outsideHorizon(want.event, ctx.horizon)) return { actions: [] };
  if (ctx.blocked.has(`${sourceKey}/${unitKey}`)) {
    return {
      actions: [],
      warning: `${sourceKey}/${unitKey}: an interrupted create is not reconciled yet`,
      waiting: true,
    };
  }
  const desiredHash = desiredUnitHash(want);
  const twin = ctx.index.findTwin(projectDesired(want.event), want.event.time.start_at, ctx.taken);
  if (twin?.id) {
    const kakaoId = splitInstanceId(twin.id).masterId;
    ctx.taken.add(kakaoId);
    return {
      actions: [
        {
          op: 'adopt',
          sourceKey,
          unitKey,
          kakaoId,
          event: want.event,
          instances: want.instances,
          desiredHash,
        },
      ],
    };
  }
  return {
    actions: [
      {
        op: 'create',
        sourceKey,
        unitKey,
        event: want.event,
        instances: want.instances,
        desiredHash,
        reason: 'new',
      },
    ],
  };
}

/** `want` null: the unit is gone from the source. */
export function planUnit(
  ctx: UnitContext,
  sourceKey: string,
  unitKey: string,
  want: DesiredEvent | null,
  m: UnitMapping | undefined,
): UnitOutcome {
  if (!m) return want ? planNew(ctx, sourceKey, unitKey, want) : { actions: [] };
  const { link } = ctx;
  const ops = m.instances ?? [];
  const deleted = new Set(ops.filter((o) => o.action === 'delete').map((o) => o.instanceStart));
  const updated = new Set(ops.filter((o) => o.action === 'update').map((o) => o.instanceStart));
  const kakao = ctx.index.stateOf(m, deleted, updated);
  const unit = { sourceKey, unitKey };
  const moved = kakao.kind === 'edited' ? movedTo(m, kakao.brief) : {};

  if (!want) {
    if (kakao.kind === 'edited' && twoWay(link) && m.event) {
      // A change beats a deletion: the Kakao version goes back into the source.
      return {
        actions: [
          { ...unit, op: 'source-restore', from: kakao.brief, event: m.event },
          { ...unit, op: 'accept-kakao', kakaoHash: kakao.kakaoHash, ...moved },
        ],
        warning: `${sourceKey}: deleted in the source but edited in Talk Calendar; restored to the source`,
      };
    }
    if (kakao.kind === 'edited') {
      return {
        actions: [],
        warning: `${sourceKey}: deleted in the source but edited in Talk Calendar; the Kakao event is kept`,
      };
    }
    if (kakao.kind === 'deleted' || kakao.kind === 'kept-deleted' || m.kakaoId === null)
      return { actions: [] };
    if (Date.parse(m.end) <= Date.parse(ctx.horizon.from) && !m.recurring) return { actions: [] };
    if (!link.propagateDeletes.toKakao) return { actions: [] };
    // To-kakao links: the feed is the truth, so its deletion is pushed without reading Kakao first
    // (an edit seen in a window read this run only keeps the event, above). Two-way: an unread Kakao side might hold an edit that beats this deletion; syncLink reads
    // the window first, so this happens only when the quota refused that read.
    if (kakao.kind === 'unseen' && twoWay(link) && Date.parse(m.start) >= Date.parse(ctx.horizon.from))
      return { actions: [], defer: true };
    return {
      actions: [
        { ...unit, op: 'delete', kakaoId: m.kakaoId, recurring: m.recurring, reason: 'source-deleted' },
      ],
      ...guardOf(ctx, unitKey, m, kakao.kind, new Set([...deleted, ...updated])),
    };
  }

  const sourceChanged = desiredUnitHash(want) !== m.desiredHash;
  if (!sourceChanged) {
    const pending = m.kakaoId ? pendingInstances(m, want) : [];
    const instanceActions: Action[] = pending.map((instance) => ({
      ...unit,
      op: 'instance',
      kakaoId: m.kakaoId!,
      instance,
    }));
    switch (kakao.kind) {
      case 'same':
      case 'unseen':
      case 'kept-deleted':
        return { actions: instanceActions };
      case 'edited':
        if (twoWay(link)) {
          const detail = kakao.detail ? { detail: kakao.detail } : {};
          const actions: Action[] = [
            { ...unit, op: 'accept-kakao', kakaoHash: kakao.kakaoHash, ...moved, ...detail },
            ...instanceActions,
          ];
          if (ctx.ref)
            actions.unshift({ op: 'source-update', sourceKey, ...ctx.ref, from: kakao.brief, ...detail });
          return { actions };
        }
        if (link.kakaoEditsOfReadOnly === 'keep') {
          return {
            actions: [
              { ...unit, op: 'accept-kakao', kakaoHash: kakao.kakaoHash, ...moved },
              ...instanceActions,
            ],
          };
        }
        return { actions: [writeSource(sourceKey, unitKey, want, m, 'revert-kakao-edit')] };
      case 'deleted':
        if (twoWay(link) && link.propagateDeletes.toSource && ctx.ref) {
          return { actions: [{ op: 'source-delete', sourceKey, ...ctx.ref }], drift: true };
        }
        if (!twoWay(link) && link.kakaoEditsOfReadOnly === 'keep') {
          return { actions: [{ ...unit, op: 'accept-kakao', kakaoHash: null }], drift: true };
        }
        return recreate(unit, want, 'restore-kakao-deletion');
    }
  }

  // The source changed. Kakao already shows it, or it changed only exceptions: record it, and send
  // only the exceptions Kakao does not hold yet.
  if (
    (alreadyInKakao(m, want) || recordedAsInKakao(m, want) || onlyExceptionsChanged(m, want)) &&
    (kakao.kind === 'same' || kakao.kind === 'unseen')
  ) {
    const desiredHash = desiredUnitHash(want);
    const pending: Action[] = pendingInstances(m, want).map((instance) => ({
      ...unit,
      op: 'instance',
      kakaoId: m.kakaoId!,
      instance,
    }));
    const record: Action = {
      ...unit,
      op: 'record',
      event: want.event,
      instances: want.instances,
      applied: appliedAfterWrite(m, want),
      desiredHash,
    };
    return { actions: [record, ...pending] };
  }
  if (kakao.kind === 'deleted') {
    return recreate(unit, want, 'changed-beats-deletion');
  }
  if (kakao.kind === 'edited' && twoWay(link)) {
    const choice = conflictChoice(link.conflict, ctx.resolution);
    if (choice === undefined) {
      return {
        actions: [],
        conflict: { sourceKey, unitKey, detail: 'changed in both the source and Talk Calendar' },
      };
    }
    if (choice === 'kakao') {
      const detail = kakao.detail ? { detail: kakao.detail } : {};
      const actions: Action[] = [
        { ...unit, op: 'accept-kakao', kakaoHash: kakao.kakaoHash, ...moved, ...detail },
      ];
      if (ctx.ref)
        actions.unshift({ op: 'source-update', sourceKey, ...ctx.ref, from: kakao.brief, ...detail });
      return { actions };
    }
  }
  const write = writeSource(sourceKey, unitKey, want, m, 'source-changed');
  const changedInstances = new Set([...deleted, ...updated]);
  return {
    actions: [write],
    ...(write.op === 'create' ? {} : guardOf(ctx, unitKey, m, kakao.kind, changedInstances)),
  };
}

/**
 * A two-way link's write to a Kakao event no listing of this run showed reads it first (Kakao has
 * no ETag): a Talk Calendar edit since our last write must meet the conflict policy, not be lost.
 */
function guardOf(
  ctx: UnitContext,
  unitKey: string,
  m: UnitMapping,
  kind: string,
  changedInstances: ReadonlySet<string>,
): { precondition?: Precondition } {
  if (!twoWay(ctx.link) || kind !== 'unseen') return {};
  const precondition = preconditionOf(unitKey, m, changedInstances);
  return precondition ? { precondition } : {};
}
