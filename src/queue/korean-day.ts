// Kakao counts its daily quota per Korean calendar day: Asia/Seoul is UTC+9 all year (no DST).

const kstOffsetMs = 9 * 3600 * 1000;
const dayMs = 86_400_000;

/** The KST calendar date of an instant, "YYYY-MM-DD". */
export function koreanDay(at: Date): string {
  return new Date(at.getTime() + kstOffsetMs).toISOString().slice(0, 10);
}

/** The next KST midnight after `at` — when the daily quota resets. */
export function nextKoreanMidnight(at: Date): Date {
  const shifted = at.getTime() + kstOffsetMs;
  return new Date(Math.floor(shifted / dayMs) * dayMs + dayMs - kstOffsetMs);
}

/** Share of the KST day elapsed at `at`, in [0, 1). */
export function koreanDayElapsed(at: Date): number {
  const shifted = at.getTime() + kstOffsetMs;
  return (shifted - Math.floor(shifted / dayMs) * dayMs) / dayMs;
}
