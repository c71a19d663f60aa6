import { turnShare } from './verify-due.js';
import { windowDays } from './windows.js';

// What the verification settings cost: list calls per link per day at most (a link whose events
// fill the horizon; a stretch holding none is never read), plus sampled detail reads. `talkcal
// status` prints it, so that whoever tunes how fast Talk Calendar-side drift is found sees its price.
// Two-way links read their near region every twoWayReadEveryMinutes with detail reads riding along,
// and read an event (a task) before writing to it when no listing of that run showed it
// (precondition.ts, tasks/task-precondition.ts): at most one detail call per event or task written,
// on top of the write.

export interface VerifySettingsForPrice {
  horizonPastDays: number;
  horizonFutureDays: number;
  verifyNearDays: number;
  verifyNearEveryHours: number;
  verifyFarEveryHours: number;
  oneWayDetailReadsPerDay: number;
  twoWayReadEveryMinutes: number;
  detailBudgetPerRun: number;
}

/** Kakao calls per two-way link per day, at most (besides what its edits cost). */
export interface TwoWayPrice {
  readEveryMinutes: number;
  near: number;
  far: number;
  detail: number;
  total: number;
  /** Precondition reads: per Kakao event or task written (update, replace, delete) between two-way reads. */
  perEditWritten: number;
}

export interface VerifyPrice {
  nearDays: number;
  nearEveryHours: number;
  farEveryHours: number;
  /** Kakao calls per one-way link per day, at most. */
  near: number;
  far: number;
  detail: number;
  total: number;
  twoWay: TwoWayPrice;
}

export function verificationPrice(s: VerifySettingsForPrice): VerifyPrice {
  const nearDays = Math.min(s.verifyNearDays, s.horizonFutureDays);
  const near = Math.ceil(nearDays / windowDays) * (24 / s.verifyNearEveryHours);
  // The far rotation: the past part and what lies beyond the near region, one window per turn step.
  const farWindows =
    Math.ceil(s.horizonPastDays / windowDays) + Math.ceil((s.horizonFutureDays - nearDays) / windowDays);
  const far = (farWindows * 24) / (s.verifyFarEveryHours * turnShare);
  const detail = s.oneWayDetailReadsPerDay;
  // Two-way: the near region at its own cadence, a detail budget with each of those passes.
  const passes = (24 * 60) / s.twoWayReadEveryMinutes;
  const twoWayNear = Math.ceil(nearDays / windowDays) * passes;
  const twoWayDetail = s.detailBudgetPerRun * passes;
  return {
    nearDays,
    nearEveryHours: s.verifyNearEveryHours,
    farEveryHours: s.verifyFarEveryHours,
    near,
    far,
    detail,
    total: near + far + detail,
    twoWay: {
      readEveryMinutes: s.twoWayReadEveryMinutes,
      near: twoWayNear,
      far,
      detail: twoWayDetail,
      total: twoWayNear + far + twoWayDetail,
      perEditWritten: 1,
    },
  };
}
