import { describe, expect, it } from 'vitest';
import { KakaoForeignUrlError } from '../../../src/kakao/errors.js';
import { api, setup } from './fake-kakao.js';

// The client against a scripted in-process fetch (fake-kakao.ts): no sockets, so unit tests.

describe('KakaoClient listing', () => {
  it('reads any range as 31-day windows, follows after_url on the configured origin and dedupes', async () => {
    const { user, seen } = setup((req) => {
      const token = req.url.searchParams.get('next_page_token');
      if (token === 'p2') {
        return {
          status: 200,
          body: {
            events: [{ id: 'b', time: { start_at: '2024-01-20T00:00:00Z', end_at: '2024-01-21T00:00:00Z' } }],
            has_next: false,
          },
        };
      }
      const from = req.url.searchParams.get('from');
      if (from === '2024-01-01T00:00:00Z') {
        expect(req.url.searchParams.get('to')).toBe('2024-02-01T00:00:00Z');
        expect(req.url.searchParams.get('limit')).toBe('1000');
        return {
          status: 200,
          body: {
            events: [
              { id: 'a', time: { start_at: '2024-01-05T00:00:00Z', end_at: '2024-01-06T00:00:00Z' } },
              { id: 'span', time: { start_at: '2024-01-31T00:00:00Z', end_at: '2024-02-02T00:00:00Z' } },
              { time: { start_at: '2024-01-31T20:00:00Z', end_at: '2024-02-01T02:00:00Z' } },
            ],
            has_next: true,
            after_url: 'https://kapi.kakao.com/v2/api/calendar/events?next_page_token=p2',
          },
        };
      }
      expect(from).toBe('2024-02-01T00:00:00Z');
      expect(req.url.searchParams.get('to')).toBe('2024-02-10T00:00:00Z');
      return {
        status: 200,
        body: {
          events: [
            { id: 'span', time: { start_at: '2024-01-31T00:00:00Z', end_at: '2024-02-02T00:00:00Z' } },
            { time: { start_at: '2024-01-31T20:00:00Z', end_at: '2024-02-01T02:00:00Z' } },
            { time: { start_at: '2024-02-03T20:00:00Z', end_at: '2024-02-04T02:00:00Z' } },
            {
              id: 'r_20240205T000000Z',
              time: { start_at: '2024-02-05T00:00:00Z', end_at: '2024-02-05T01:00:00Z' },
            },
            {
              id: 'r_20240206T000000Z',
              time: { start_at: '2024-02-06T00:00:00Z', end_at: '2024-02-06T01:00:00Z' },
            },
          ],
          has_next: false,
        },
      };
    });
    const events = await user.listEvents({
      calendarId: 'user_1',
      from: '2024-01-01T00:00:00Z',
      to: '2024-02-10T00:00:00Z',
    });
    expect(events.map((e) => e.id ?? e.time.start_at)).toEqual([
      'a',
      'span',
      '2024-01-31T20:00:00Z',
      'b',
      '2024-02-03T20:00:00Z',
      'r_20240205T000000Z',
      'r_20240206T000000Z',
    ]);
    expect(seen.map((s) => s.url.origin)).toEqual([api, api, api]);
    expect(seen[1]!.headers['authorization']).toBe('Bearer at-1');
  });

  it('refuses an after_url on a foreign origin without sending the token there', async () => {
    const { user, seen } = setup(() => ({
      status: 200,
      body: { events: [], has_next: true, after_url: 'https://evil.example/v2/api/calendar/events?x=1' },
    }));
    await expect(
      user.listEventsWindow({ from: '2024-01-01T00:00:00Z', to: '2024-01-02T00:00:00Z' }),
    ).rejects.toBeInstanceOf(KakaoForeignUrlError);
    expect(seen.every((s) => s.url.origin === api)).toBe(true);
    expect(seen).toHaveLength(1);
  });

  it('refuses a window over 31 days in listEventsWindow', async () => {
    const { user, seen } = setup(() => ({ status: 200, body: { events: [], has_next: false } }));
    await expect(
      user.listEventsWindow({ from: '2024-01-01T00:00:00Z', to: '2024-02-01T00:00:01Z' }),
    ).rejects.toThrow(/31 days/);
    expect(seen).toHaveLength(0);
  });

  it('pages tasks by offset when no after_url is given and dedupes across windows', async () => {
    const { user, seen } = setup((req) => {
      const offset = Number(req.url.searchParams.get('offset'));
      const from = req.url.searchParams.get('from');
      const t = (id: string) => ({
        task_id: id,
        content: id,
        status: 'SCHEDULED',
        bookmark: false,
        authorized: true,
      });
      if (from === '20240101') {
        return offset === 0
          ? { status: 200, body: { tasks: [t('1'), t('2')], count: 3, has_next: true } }
          : { status: 200, body: { tasks: [t('3')], count: 3, has_next: false } };
      }
      return { status: 200, body: { tasks: [t('3'), t('4')], count: 2, has_next: false } };
    });
    const tasks = await user.listTasks({ from: '20240101', to: '20240205', status: 'ALL' });
    expect(tasks.map((t) => t.task_id)).toEqual(['1', '2', '3', '4']);
    expect(
      seen.map((s) => [
        s.url.searchParams.get('from'),
        s.url.searchParams.get('to'),
        s.url.searchParams.get('offset'),
      ]),
    ).toEqual([
      ['20240101', '20240131', '0'],
      ['20240101', '20240131', '2'],
      ['20240201', '20240205', '0'],
    ]);
  });
});
