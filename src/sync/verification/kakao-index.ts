import type { EventBrief } from '../../kakao/types.js';
import type { DetailFields, KakaoView, Window } from '../events/plan-types.js';
import type { PreconditionRead } from '../events/precondition.js';
import { compactTime, normTime, projectBrief, splitInstanceId } from '../events/projection.js';
import type { UnitMapping } from '../store/mapping.js';

// What this run's Kakao reads say about each mapped unit: unchanged, edited, deleted, or unseen
// (no window read this run covers it, so absence proves nothing).

export type KakaoUnitState =
  | { kind: 'same' }
  | { kind: 'edited'; brief: EventBrief; kakaoHash: string; detail?: DetailFields }
  | { kind: 'deleted' }
  | { kind: 'unseen' }
  /** A deletion in Kakao we earlier chose to keep (kakaoId null). */
  | { kind: 'kept-deleted' };

export class KakaoIndex {
  /** Our events (they carry an id) by master id. */
  readonly byMaster = new Map<string, EventBrief[]>();
  /** Our events by normalised start (twin and intent lookups). */
  private readonly byStart = new Map<string, EventBrief[]>();
  private readonly windows: Window[];
  private readonly detailEdited: ReadonlySet<string>;
  private readonly details: ReadonlyMap<string, DetailFields>;
  private readonly reads: ReadonlyMap<string, PreconditionRead>;
  private readonly unconfirmed: ReadonlySet<string>;

  constructor(view: KakaoView) {
    this.windows = view.windows;
    this.detailEdited = view.detailEdited ?? new Set();
    this.details = view.details ?? new Map();
    this.reads = view.reads ?? new Map();
    this.unconfirmed = view.unconfirmed ?? new Set();
    for (const brief of view.events) {
      if (!brief.id) continue; // another app's event: only its time is visible
      const { masterId } = splitInstanceId(brief.id);
      const list = this.byMaster.get(masterId);
      if (list) list.push(brief);
      else this.byMaster.set(masterId, [brief]);
      const at = normTime(brief.time.start_at);
      const same = this.byStart.get(at);
      if (same) same.push(brief);
      else this.byStart.set(at, [brief]);
    }
  }

  /** True when a window read this run contains the instant. */
  covers(instant: string): boolean {
    const t = Date.parse(instant);
    return this.windows.some((w) => Date.parse(w.from) <= t && t < Date.parse(w.to));
  }

  stateOf(unit: UnitMapping, deleted: ReadonlySet<string>, updated: ReadonlySet<string>): KakaoUnitState {
    const read = unit.kakaoId ? this.reads.get(unit.kakaoId) : undefined;
    const state = read !== undefined ? readState(unit, read) : this.listState(unit, deleted, updated);
    const detail = read?.detail ?? (unit.kakaoId ? this.details.get(unit.kakaoId) : undefined);
    const detailEdited =
      read?.detail !== undefined || (unit.kakaoId !== null && this.detailEdited.has(unit.kakaoId));
    if (state.kind === 'edited' && detail && detailEdited) return { ...state, detail };
    if ((state.kind === 'same' || state.kind === 'unseen') && unit.kakaoId && detailEdited) {
      const time = unit.event?.time ?? { start_at: unit.start, end_at: unit.end };
      const brief: EventBrief = {
        id: unit.kakaoId,
        title: unit.event?.title ?? '',
        time,
        is_recur_event: unit.recurring,
      };
      return { kind: 'edited', brief, kakaoHash: unit.kakaoHash, ...(detail ? { detail } : {}) };
    }
    return state;
  }

  private listState(
    unit: UnitMapping,
    deletedInstances: ReadonlySet<string>,
    updatedInstances: ReadonlySet<string>,
  ) {
    if (unit.kakaoId === null) return { kind: 'kept-deleted' } as KakaoUnitState;
    const briefs = this.byMaster.get(unit.kakaoId);
    if (!briefs || briefs.length === 0) {
      const firstGone = unit.recurring && deletedInstances.has(compactTime(unit.start));
      const gone = this.covers(unit.start) && !firstGone && !this.unconfirmed.has(unit.kakaoId);
      return (gone ? { kind: 'deleted' } : { kind: 'unseen' }) as KakaoUnitState;
    }
    // Compare an instance that no exception of ours changed (its projection is the master's).
    const plain = briefs.find((b) => {
      const start = splitInstanceId(b.id ?? '').instanceStart ?? compactTime(b.time.start_at);
      return !updatedInstances.has(start);
    });
    if (!plain) return { kind: 'same' } as KakaoUnitState;
    const kakaoHash = projectBrief(plain);
    return (
      kakaoHash === unit.kakaoHash ? { kind: 'same' } : { kind: 'edited', brief: plain, kakaoHash }
    ) as KakaoUnitState;
  }

  /** An unmapped event of ours that looks exactly like `projection` starting at `start`. */
  findTwin(projection: string, start: string, taken: ReadonlySet<string>): EventBrief | undefined {
    return this.startingAt(start).find(
      (b) => !taken.has(splitInstanceId(b.id!).masterId) && projectBrief(b) === projection,
    );
  }

  /** Our events (or instances) starting at `start`. */
  startingAt(start: string): EventBrief[] {
    return this.byStart.get(normTime(start)) ?? [];
  }
}

/** The unit's state as a precondition read showed it (null: gone). */
function readState(unit: UnitMapping, read: PreconditionRead): KakaoUnitState {
  if (read === null) return { kind: 'deleted' };
  const kakaoHash = projectBrief(read.brief);
  return kakaoHash === unit.kakaoHash ? { kind: 'same' } : { kind: 'edited', brief: read.brief, kakaoHash };
}
