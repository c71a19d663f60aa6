// Built-in Korean holidays and celebration days 2024–2027 for "Retrieve holidays and celebrations".
// Public holidays include the lunar ones (설날, 부처님오신날, 추석), substitute holidays and election
// days; a few non-holiday celebration days are listed with holiday=false. Jeolgi are not included.

interface HolidayRow {
  date: string; // yyyy-MM-dd
  title: string;
  holiday: boolean;
}

const rows: [string, string, boolean][] = [
  // 2024
  ['2024-01-01', '신정', true],
  ['2024-02-09', '설날 연휴', true],
  ['2024-02-10', '설날', true],
  ['2024-02-11', '설날 연휴', true],
  ['2024-02-12', '대체공휴일(설날)', true],
  ['2024-03-01', '삼일절', true],
  ['2024-04-05', '식목일', false],
  ['2024-04-10', '제22대 국회의원선거', true],
  ['2024-05-05', '어린이날', true],
  ['2024-05-06', '대체공휴일(어린이날)', true],
  ['2024-05-08', '어버이날', false],
  ['2024-05-15', '부처님오신날', true],
  ['2024-05-15', '스승의날', false],
  ['2024-06-06', '현충일', true],
  ['2024-07-17', '제헌절', false],
  ['2024-08-15', '광복절', true],
  ['2024-09-16', '추석 연휴', true],
  ['2024-09-17', '추석', true],
  ['2024-09-18', '추석 연휴', true],
  ['2024-10-01', '국군의날', true],
  ['2024-10-03', '개천절', true],
  ['2024-10-09', '한글날', true],
  ['2024-12-25', '성탄절', true],
  // 2025
  ['2025-01-01', '신정', true],
  ['2025-01-27', '임시공휴일', true],
  ['2025-01-28', '설날 연휴', true],
  ['2025-01-29', '설날', true],
  ['2025-01-30', '설날 연휴', true],
  ['2025-03-01', '삼일절', true],
  ['2025-03-03', '대체공휴일(삼일절)', true],
  ['2025-04-05', '식목일', false],
  ['2025-05-05', '어린이날', true],
  ['2025-05-05', '부처님오신날', true],
  ['2025-05-06', '대체공휴일', true],
  ['2025-05-08', '어버이날', false],
  ['2025-05-15', '스승의날', false],
  ['2025-06-03', '제21대 대통령선거', true],
  ['2025-06-06', '현충일', true],
  ['2025-07-17', '제헌절', false],
  ['2025-08-15', '광복절', true],
  ['2025-10-01', '국군의날', false],
  ['2025-10-03', '개천절', true],
  ['2025-10-05', '추석 연휴', true],
  ['2025-10-06', '추석', true],
  ['2025-10-07', '추석 연휴', true],
  ['2025-10-08', '대체공휴일(추석)', true],
  ['2025-10-09', '한글날', true],
  ['2025-12-25', '성탄절', true],
  // 2026
  ['2026-01-01', '신정', true],
  ['2026-02-16', '설날 연휴', true],
  ['2026-02-17', '설날', true],
  ['2026-02-18', '설날 연휴', true],
  ['2026-03-01', '삼일절', true],
  ['2026-03-02', '대체공휴일(삼일절)', true],
  ['2026-04-05', '식목일', false],
  ['2026-05-05', '어린이날', true],
  ['2026-05-08', '어버이날', false],
  ['2026-05-15', '스승의날', false],
  ['2026-05-24', '부처님오신날', true],
  ['2026-05-25', '대체공휴일(부처님오신날)', true],
  ['2026-06-03', '제9회 전국동시지방선거', true],
  ['2026-06-06', '현충일', true],
  ['2026-07-17', '제헌절', false],
  ['2026-08-15', '광복절', true],
  ['2026-08-17', '대체공휴일(광복절)', true],
  ['2026-09-24', '추석 연휴', true],
  ['2026-09-25', '추석', true],
  ['2026-09-26', '추석 연휴', true],
  ['2026-10-01', '국군의날', false],
  ['2026-10-03', '개천절', true],
  ['2026-10-05', '대체공휴일(개천절)', true],
  ['2026-10-09', '한글날', true],
  ['2026-12-25', '성탄절', true],
  // 2027
  ['2027-01-01', '신정', true],
  ['2027-02-06', '설날 연휴', true],
  ['2027-02-07', '설날', true],
  ['2027-02-08', '설날 연휴', true],
  ['2027-02-09', '대체공휴일(설날)', true],
  ['2027-03-01', '삼일절', true],
  ['2027-04-05', '식목일', false],
  ['2027-05-05', '어린이날', true],
  ['2027-05-08', '어버이날', false],
  ['2027-05-13', '부처님오신날', true],
  ['2027-05-15', '스승의날', false],
  ['2027-06-06', '현충일', true],
  ['2027-07-17', '제헌절', false],
  ['2027-08-15', '광복절', true],
  ['2027-08-16', '대체공휴일(광복절)', true],
  ['2027-09-14', '추석 연휴', true],
  ['2027-09-15', '추석', true],
  ['2027-09-16', '추석 연휴', true],
  ['2027-10-01', '국군의날', false],
  ['2027-10-03', '개천절', true],
  ['2027-10-04', '대체공휴일(개천절)', true],
  ['2027-10-09', '한글날', true],
  ['2027-10-11', '대체공휴일(한글날)', true],
  ['2027-12-25', '성탄절', true],
  ['2027-12-27', '대체공휴일(성탄절)', true],
];

export const koreanHolidays: readonly HolidayRow[] = rows.map(([date, title, holiday]) => ({
  date,
  title,
  holiday,
}));

export interface HolidayEvent {
  id: string;
  title: string;
  time: { start_at: string; end_at: string; all_day: true };
  holiday: boolean;
}

/** Holidays whose day overlaps [from, to), as the API answers them (all-day, UTC midnight). */
export function holidaysBetween(from: Date, to: Date): HolidayEvent[] {
  const out: HolidayEvent[] = [];
  koreanHolidays.forEach((row, i) => {
    const start = new Date(`${row.date}T00:00:00Z`);
    const end = new Date(start.getTime() + 86_400_000);
    if (start.getTime() < to.getTime() && end.getTime() > from.getTime()) {
      out.push({
        id: `S${row.date.replaceAll('-', '')}${String(i).padStart(4, '0')}`,
        title: row.title,
        time: {
          start_at: `${row.date}T00:00:00Z`,
          end_at: `${end.toISOString().slice(0, 10)}T00:00:00Z`,
          all_day: true,
        },
        holiday: row.holiday,
      });
    }
  });
  return out;
}
