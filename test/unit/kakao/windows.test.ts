import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KakaoArgumentError } from '../../../src/kakao/errors.js';
import {
  checkRange,
  formatKakaoInstant,
  maxWindowMs,
  parseCompactDate,
  splitDateWindows,
  splitTimeWindows,
} from '../../../src/kakao/windows.js';

const day = 86_400_000;

describe('list windows', () => {
  it('cuts a range into exact 31-day windows, the last one shorter', () => {
    const from = Date.parse('2024-01-01T00:00:00Z');
    const to = Date.parse('2024-03-15T00:00:00Z');
    const windows = splitTimeWindows(from, to).map((w) => [
      formatKakaoInstant(w.from),
      formatKakaoInstant(w.to),
    ]);
    expect(windows).toEqual([
      ['2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z'],
      ['2024-02-01T00:00:00Z', '2024-03-03T00:00:00Z'],
      ['2024-03-03T00:00:00Z', '2024-03-15T00:00:00Z'],
    ]);
  });

  it('keeps a range of exactly 31 days in one window and splits 31 days + 1 s', () => {
    const from = Date.parse('2024-01-01T00:00:00Z');
    expect(splitTimeWindows(from, from + 31 * day)).toHaveLength(1);
    const two = splitTimeWindows(from, from + 31 * day + 1000);
    expect(two).toHaveLength(2);
    expect(two[1]).toEqual({ from: from + 31 * day, to: from + 31 * day + 1000 });
  });

  it('returns no window for an empty range', () => {
    expect(splitTimeWindows(5, 5)).toEqual([]);
  });

  it('covers any range contiguously with windows of at most 31 days', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4e12 }),
        fc.integer({ min: 1, max: 4000 * day }),
        (from, length) => {
          const windows = splitTimeWindows(from, from + length);
          expect(windows[0]?.from).toBe(from);
          expect(windows.at(-1)?.to).toBe(from + length);
          for (const [i, w] of windows.entries()) {
            expect(w.to - w.from).toBeGreaterThan(0);
            expect(w.to - w.from).toBeLessThanOrEqual(maxWindowMs);
            if (i < windows.length - 1) expect(w.to - w.from).toBe(maxWindowMs);
            if (i > 0) expect(w.from).toBe(windows[i - 1]?.to);
          }
        },
      ),
    );
  });

  it('formats instants the way Kakao documents them (no fraction)', () => {
    expect(formatKakaoInstant(Date.parse('2022-05-17T00:00:00.123Z'))).toBe('2022-05-17T00:00:00Z');
  });

  it('rejects ranges that are empty, reversed or unparseable', () => {
    expect(() => checkRange({ from: '2024-01-02T00:00:00Z', to: '2024-01-01T00:00:00Z' }, 'x')).toThrow(
      KakaoArgumentError,
    );
    expect(() => checkRange({ from: 'soon', to: '2024-01-01T00:00:00Z' }, 'x')).toThrow(KakaoArgumentError);
    expect(checkRange({ from: new Date(0), to: 1000 }, 'x')).toEqual({ from: 0, to: 1000 });
  });
});

describe('task date windows', () => {
  it('splits inclusive yyyyMMdd ranges into windows of 31 calendar days', () => {
    expect(splitDateWindows('20240101', '20240315')).toEqual([
      { from: '20240101', to: '20240131' },
      { from: '20240201', to: '20240302' },
      { from: '20240303', to: '20240315' },
    ]);
    expect(splitDateWindows('20240229', '20240229')).toEqual([{ from: '20240229', to: '20240229' }]);
  });

  it('rejects impossible dates', () => {
    expect(parseCompactDate('20230229')).toBeNaN();
    expect(parseCompactDate('2024-01-01')).toBeNaN();
    expect(parseCompactDate('20240229')).toBe(Date.UTC(2024, 1, 29));
  });

  it('covers every day exactly once', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20000 }), fc.integer({ min: 0, max: 800 }), (start, length) => {
        const from = Date.UTC(2000, 0, 1) + start * day;
        const fmt = (ms: number) => new Date(ms).toISOString().slice(0, 10).replaceAll('-', '');
        const windows = splitDateWindows(fmt(from), fmt(from + length * day));
        let expected = from;
        for (const w of windows) {
          expect(parseCompactDate(w.from)).toBe(expected);
          const span = (parseCompactDate(w.to) - parseCompactDate(w.from)) / day;
          expect(span).toBeGreaterThanOrEqual(0);
          expect(span).toBeLessThanOrEqual(30);
          expected = parseCompactDate(w.to) + day;
        }
        expect(expected).toBe(from + (length + 1) * day);
      }),
    );
  });
});
