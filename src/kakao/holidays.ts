import { bad, isKakaoTime, isObject, type KakaoCaller } from './caller.js';
import type { EventSpecial } from './types.js';
import { checkRange, formatKakaoInstant, type Instant, splitTimeWindows } from './windows.js';

// Korean holidays and celebrations (admin key). Any range, read as 31-day windows, each day once.

export async function listHolidays(
  admin: KakaoCaller,
  input: { from: Instant; to: Instant },
): Promise<EventSpecial[]> {
  const { from, to } = checkRange(input, 'holidays.list');
  const out: EventSpecial[] = [];
  const seen = new Set<string>();
  for (const window of splitTimeWindows(from, to)) {
    const body = await admin.call<unknown>({
      endpoint: 'holidays.list',
      method: 'GET',
      path: '/v2/api/calendar/holidays',
      params: { from: formatKakaoInstant(window.from), to: formatKakaoInstant(window.to) },
    });
    if (!isObject(body) || !Array.isArray(body['events'])) throw bad('holidays.list', 'no events array');
    for (const event of body['events'] as unknown[]) {
      if (!isObject(event) || typeof event['id'] !== 'string' || !isKakaoTime(event['time'])) {
        throw bad('holidays.list', 'a holiday without id or time');
      }
      if (seen.has(event['id'])) continue;
      seen.add(event['id']);
      out.push(event as unknown as EventSpecial);
    }
  }
  return out;
}
