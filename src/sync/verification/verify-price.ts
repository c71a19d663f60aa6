import { turnShare } from './verify-due.js';
import { windowDays } from './windows.js';

// What the verification settings cost: list calls per link per day at most (a link whose events
// fill the horizon; a stretch holding none is never read), plus sampled detail reads. `talkcal
// status` prints it, so that whoever tunes how fast Talk Calendar-side drift is found sees its price.

export interface VerifySettingsForPrice {
  horizonPastDays: number;
  horizonFutureDays: number;
  verifyNearDays: number;
  verifyNearEveryHours: number;
  verifyFarEveryHours: number;
  oneWayDetailReadsPerDay: number;
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
}

export function verificationPrice(s: VerifySettingsForPrice): VerifyPrice {
  const nearDays = Math.min(s.verifyNearDays, s.horizonFutureDays);
  const near = Math.ceil(nearDays / windowDays) * (24 / s.verifyNearEveryHours);
  // The far rotation: the past part and what lies beyond the near region, one window per turn step.
  const farWindows =
    Math.ceil(s.horizonPastDays / windowDays) + Math.ceil((s.horizonFutureDays - nearDays) / windowDays);
  const far = (farWindows * 24) / (s.verifyFarEveryHours * turnShare);
  const detail = s.oneWayDetailReadsPerDay;
  return {
    nearDays,
    nearEveryHours: s.verifyNearEveryHours,
    farEveryHours: s.verifyFarEveryHours,
    near,
    far,
    detail,
    total: near + far + detail,
  };
}
