import { describe, expect, it } from 'vitest';
import { lunarOccurrences, lunarToSolar, solarToLunar } from '../../../src/translate/lunar.js';

describe('lunar conversions', () => {
  it('converts Seollal 2026 both ways', () => {
    expect(solarToLunar({ year: 2026, month: 2, day: 17 })).toEqual({
      year: 2026,
      month: 1,
      day: 1,
      leap: false,
    });
    expect(lunarToSolar({ year: 2026, month: 1, day: 1, leap: false })).toEqual({
      year: 2026,
      month: 2,
      day: 17,
    });
  });

  it('knows Chuseok 2025 (lunar 8/15 = 2025-10-06)', () => {
    expect(lunarToSolar({ year: 2025, month: 8, day: 15, leap: false })).toEqual({
      year: 2025,
      month: 10,
      day: 6,
    });
  });

  it('rejects a day 30 in a 29-day lunar month instead of overflowing', () => {
    // Lunar 2026-02 has 29 days: the library alone would answer the next month's first day.
    expect(lunarToSolar({ year: 2026, month: 2, day: 30, leap: false })).toBeNull();
    expect(lunarToSolar({ year: 2026, month: 1, day: 30, leap: false })).toEqual({
      year: 2026,
      month: 3,
      day: 18,
    });
  });

  it('reads a leap-month date', () => {
    // 2020 had a leap 4th month starting 2020-05-23.
    expect(solarToLunar({ year: 2020, month: 5, day: 23 })).toEqual({
      year: 2020,
      month: 4,
      day: 1,
      leap: true,
    });
  });
});

describe('lunarOccurrences', () => {
  const from = { year: 2026, month: 1, day: 1 };
  const to = { year: 2028, month: 12, day: 31 };

  it('repeats a yearly lunar date on its solar dates inside the window', () => {
    // Seollal: lunar 1/1.
    const dates = lunarOccurrences({ year: 2020, month: 1, day: 25 }, 'FREQ=YEARLY', from, to);
    expect(dates).toEqual([
      { year: 2026, month: 2, day: 17 },
      { year: 2027, month: 2, day: 7 },
      { year: 2028, month: 1, day: 27 },
    ]);
  });

  it('honours COUNT and UNTIL', () => {
    expect(lunarOccurrences({ year: 2025, month: 1, day: 29 }, 'FREQ=YEARLY;COUNT=2', from, to)).toEqual([
      { year: 2026, month: 2, day: 17 },
    ]);
    expect(
      lunarOccurrences({ year: 2025, month: 1, day: 29 }, 'FREQ=YEARLY;UNTIL=20270101T000000Z', from, to),
    ).toEqual([{ year: 2026, month: 2, day: 17 }]);
  });

  it('puts a leap-month anniversary in the regular month of that number', () => {
    const dates = lunarOccurrences({ year: 2020, month: 5, day: 23 }, 'FREQ=YEARLY', from, to);
    for (const d of dates) expect(solarToLunar(d)).toMatchObject({ month: 4, day: 1, leap: false });
    expect(dates).toHaveLength(3);
  });

  it('moves day 30 to day 29 in short months', () => {
    const first = lunarToSolar({ year: 2025, month: 1, day: 30, leap: false });
    expect(first).not.toBeNull();
    const dates = lunarOccurrences(first!, 'FREQ=YEARLY', from, to);
    expect(dates).toHaveLength(3);
    // Lunar 1st month: 30 days in 2026, 29 in 2027 and 2028.
    expect(dates.map((d) => solarToLunar(d))).toEqual([
      { year: 2026, month: 1, day: 30, leap: false },
      { year: 2027, month: 1, day: 29, leap: false },
      { year: 2028, month: 1, day: 29, leap: false },
    ]);
  });

  it('repeats monthly on the same lunar day', () => {
    const dates = lunarOccurrences({ year: 2026, month: 2, day: 17 }, 'FREQ=MONTHLY', from, {
      year: 2026,
      month: 5,
      day: 31,
    });
    expect(dates.map((d) => solarToLunar(d)?.day)).toEqual([1, 1, 1, 1]);
    expect(dates[0]).toEqual({ year: 2026, month: 2, day: 17 });
  });

  it('gives a non-recurring event only its own date, if inside the window', () => {
    expect(lunarOccurrences({ year: 2026, month: 3, day: 1 }, undefined, from, to)).toEqual([
      { year: 2026, month: 3, day: 1 },
    ]);
    expect(lunarOccurrences({ year: 2025, month: 3, day: 1 }, undefined, from, to)).toEqual([]);
  });
});
