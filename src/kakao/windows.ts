import { KakaoArgumentError } from './errors.js';
import { kakaoLimits } from './types.js';

// Kakao's list APIs accept at most 31 days between `from` and `to`. Longer ranges are read as
// consecutive half-open windows [from, to) of exactly 31 days (the last one shorter).

const dayMs = 86_400_000;
export const maxWindowMs = kakaoLimits.listWindowDays * dayMs;

export interface TimeWindow {
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
}

/** Kakao's RFC 3339 form: UTC, whole seconds, no fraction ("2022-05-17T00:00:00Z"). */
export function formatKakaoInstant(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Parses an instant given as Date, epoch ms or RFC 3339 string; NaN when unusable. */
export function parseInstant(value: Date | number | string): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return Number.isFinite(value) ? value : Number.NaN;
  return Date.parse(value);
}

export function splitTimeWindows(from: number, to: number, windowMs: number = maxWindowMs): TimeWindow[] {
  const windows: TimeWindow[] = [];
  for (let start = from; start < to; start += windowMs) {
    windows.push({ from: start, to: Math.min(start + windowMs, to) });
  }
  return windows;
}

/** A calendar date as yyyyMMdd (the task APIs' format). */
export type CompactDate = string;

export function parseCompactDate(value: CompactDate): number {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (!m) return Number.NaN;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return formatCompactDate(ms) === value ? ms : Number.NaN;
}

export function formatCompactDate(ms: number): CompactDate {
  return new Date(ms).toISOString().slice(0, 10).replaceAll('-', '');
}

export interface DateWindow {
  /** yyyyMMdd, inclusive. */
  from: CompactDate;
  /** yyyyMMdd, inclusive. */
  to: CompactDate;
}

/**
 * Splits the inclusive date range [from, to] into windows of at most `days` calendar days each
 * (to − from ≤ days − 1), so each window is within "31 days of from" under any reading.
 */
export function splitDateWindows(
  from: CompactDate,
  to: CompactDate,
  days: number = kakaoLimits.listWindowDays,
): DateWindow[] {
  const start = parseCompactDate(from);
  const end = parseCompactDate(to);
  const windows: DateWindow[] = [];
  for (let day = start; day <= end; day += days * dayMs) {
    windows.push({
      from: formatCompactDate(day),
      to: formatCompactDate(Math.min(day + (days - 1) * dayMs, end)),
    });
  }
  return windows;
}

export type Instant = Date | number | string;

export function checkRange(
  input: { from: Instant; to: Instant },
  endpoint: string,
): { from: number; to: number } {
  const from = parseInstant(input.from);
  const to = parseInstant(input.to);
  if (Number.isNaN(from) || Number.isNaN(to) || from >= to) {
    throw new KakaoArgumentError(
      { status: 0, endpoint },
      `${endpoint}: from must be a valid instant before to`,
    );
  }
  return { from, to };
}
