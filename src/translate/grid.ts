// Kakao accepts event times only on a 5-minute grid. Start rounds down and end rounds up, so the
// Kakao event always covers the source event; a zero-length event becomes 5 minutes.
import { kakaoLimits } from '../kakao/types.js';

const stepMs = kakaoLimits.gridMinutes * 60_000;

export interface GriddedSpan {
  startMs: number;
  endMs: number;
  rounded: boolean;
  lengthened: boolean;
}

export function snapToGrid(startMs: number, endMs: number): GriddedSpan {
  const start = Math.floor(startMs / stepMs) * stepMs;
  let end = Math.ceil(Math.max(endMs, startMs) / stepMs) * stepMs;
  const lengthened = end <= start;
  if (lengthened) end = start + stepMs;
  return { startMs: start, endMs: end, rounded: start !== startMs || end !== endMs, lengthened };
}
