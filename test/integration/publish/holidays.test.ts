import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holidaysBetween } from '../../../src/emulator/holidays.js';
import { type PublishRig, pythonOccurrences, sortOccurrences, startPublishRig } from './harness.js';

// The Korean holiday feed: refreshed from Kakao (admin key) through the admin API, then served
// from Redis without any Kakao call.

describe('holidays feed (publish.includeHolidays)', () => {
  let rig: PublishRig;
  let userId: string;
  let url: string;

  beforeAll(async () => {
    // Without the scheduled refresh, whose immediate first run would race the first test.
    rig = await startPublishRig({ includeHolidays: true, holidaySchedule: false });
    userId = await rig.bareUser();
    const made = await rig.api<{ token: string }>('POST', `/api/users/${userId}/feeds`, { kind: 'holidays' });
    expect(made.status).toBe(201);
    url = rig.feedUrl(made.json.token);
  }, 60_000);
  afterAll(async () => {
    await rig?.close();
  });

  it('is an empty calendar saying so before the first refresh', async () => {
    const body = await (await fetch(url)).text();
    expect(body).not.toContain('BEGIN:VEVENT');
    expect(body.replace(/\r\n /g, '')).toContain('Korean holidays not loaded yet');
  });

  it('after a refresh, lists the holidays Kakao answers, served with zero Kakao calls', async () => {
    const refreshed = await rig.api<{ count: number; from: string; to: string }>(
      'POST',
      '/api/feeds/holidays/refresh',
    );
    expect(refreshed.status).toBe(200);
    expect(refreshed.json.count).toBeGreaterThan(10);
    await new Promise((r) => setTimeout(r, 1100));
    rig.emulator.admin.clearRequests();
    const body = await (await fetch(url)).text();
    expect(rig.emulator.admin.requests()).toEqual([]);
    const from = new Date(refreshed.json.from);
    const to = new Date(refreshed.json.to);
    const published = await pythonOccurrences(body, from, to, rig.dir);
    const expected = sortOccurrences(
      holidaysBetween(from, to)
        .filter((h) => Date.parse(h.time.start_at) >= from.getTime())
        .map((h) => ({
          start: h.time.start_at.slice(0, 10),
          end: h.time.end_at.slice(0, 10),
          summary: h.title,
          allDay: true,
        })),
    );
    expect(published.length).toBe(refreshed.json.count);
    expect(published).toEqual(expected);
  });
});
