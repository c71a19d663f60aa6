import { describe, expect, it } from 'vitest';
import {
  KakaoAppKeyError,
  KakaoConnectionError,
  KakaoOAuthError,
  KakaoOutcomeUnknownError,
  KakaoQuotaError,
} from '../../../src/kakao/errors.js';
import { parseRetryAfter } from '../../../src/kakao/http.js';
import { api, event, now, okEvent, setup } from './fake-kakao.js';

// The client against a scripted in-process fetch (fake-kakao.ts): no sockets, so unit tests.

describe('KakaoClient wire format', () => {
  it('creates an event on the API host with a form body, the event as JSON and a Bearer token', async () => {
    const { user, seen } = setup(() => ({ status: 200, body: okEvent }));
    expect(await user.createEvent({ calendarId: 'user_1', event })).toBe('e1');
    const req = seen[0]!;
    expect(req.method).toBe('POST');
    expect(req.url.href).toBe(`${api}/v2/api/calendar/create/event`);
    expect(req.headers['authorization']).toBe('Bearer at-1');
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=utf-8');
    expect(req.form.get('calendar_id')).toBe('user_1');
    expect(JSON.parse(req.form.get('event')!)).toEqual(event);
  });

  it('sends GET/DELETE parameters in the query and admin calls with KakaoAK', async () => {
    const { client, user, seen } = setup((req) =>
      req.url.pathname.endsWith('/delete/event')
        ? { status: 200, body: { event_id: 'e9' } }
        : { status: 200, body: { events: [] } },
    );
    await user.deleteEvent({ eventId: 'e9_20240501T000000Z', recurUpdateType: 'THIS' });
    await client.admin.listHolidays({ from: '2024-05-01T00:00:00Z', to: '2024-05-10T00:00:00Z' });
    expect(seen[0]!.method).toBe('DELETE');
    expect(seen[0]!.url.searchParams.get('event_id')).toBe('e9_20240501T000000Z');
    expect(seen[0]!.url.searchParams.get('recur_update_type')).toBe('THIS');
    expect(seen[1]!.headers['authorization']).toBe('KakaoAK admin-key');
    expect(seen[1]!.url.searchParams.get('from')).toBe('2024-05-01T00:00:00Z');
  });
});

describe('KakaoClient retries', () => {
  it('retries two 503s, then succeeds, with bounded backoff', async () => {
    let n = 0;
    const { user, seen, sleeps, client } = setup(() =>
      ++n <= 2 ? { status: 503, body: { code: -9798 } } : { status: 200, body: { calendars: [] } },
    );
    await user.listCalendars();
    expect(seen).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]).toBeLessThan(10);
    expect(sleeps[1]).toBeLessThan(20);
    expect(client.stats.snapshot().byEndpoint['calendars.list']).toEqual({
      success: 1,
      retried: 2,
      failed: 0,
    });
  });

  it('gives up after maxAttempts with the last typed error', async () => {
    const { user, seen } = setup(() => ({ throw: 'ECONNRESET' }));
    await expect(user.listCalendars()).rejects.toBeInstanceOf(KakaoConnectionError);
    expect(seen).toHaveLength(4);
  });

  it('never repeats a create whose connection dropped: outcome unknown after one request', async () => {
    const { user, seen } = setup(() => ({ throw: 'ECONNRESET' }));
    await expect(user.createEvent({ event })).rejects.toBeInstanceOf(KakaoOutcomeUnknownError);
    expect(seen).toHaveLength(1);
  });

  it('repeats a create whose connection was refused (it never left)', async () => {
    let n = 0;
    const { user, seen } = setup(() =>
      ++n === 1 ? { throw: 'ECONNREFUSED' } : { status: 200, body: okEvent },
    );
    expect(await user.createEvent({ event })).toBe('e1');
    expect(seen).toHaveLength(2);
  });

  it('treats -603 and 500 on a create as outcome unknown but retries them on reads', async () => {
    for (const reply of [
      { status: 400, body: { code: -603, msg: 'timeout' } },
      { status: 500, body: {} },
    ]) {
      const { user, seen } = setup(() => reply);
      await expect(user.createTask({ content: 'x' })).rejects.toBeInstanceOf(KakaoOutcomeUnknownError);
      expect(seen).toHaveLength(1);
    }
    let n = 0;
    const { user, seen } = setup(() =>
      ++n === 1 ? { status: 400, body: { code: -603 } } : { status: 200, body: { calendars: [] } },
    );
    await user.listCalendars();
    expect(seen).toHaveLength(2);
  });

  it('retries a create refused by maintenance (-9798) since it was not processed', async () => {
    let n = 0;
    const { user, seen } = setup(() =>
      ++n === 1 ? { status: 503, body: { code: -9798 } } : { status: 200, body: okEvent },
    );
    expect(await user.createEvent({ event })).toBe('e1');
    expect(seen).toHaveLength(2);
  });

  it('does not retry -10 and reports when the quota resets', async () => {
    const { user, seen } = setup(() => ({
      status: 400,
      body: { code: -10, msg: 'API limit has been exceeded.' },
    }));
    const error = await user.listCalendars().catch((e) => e);
    expect(error).toBeInstanceOf(KakaoQuotaError);
    expect(error.resetsAt).toBe(Date.parse('2024-05-01T15:00:00Z'));
    expect(seen).toHaveLength(1);
  });

  it('maps an admin -401 to an app-level admin key error', async () => {
    const { client } = setup(() => ({ status: 401, body: { code: -401, msg: 'invalid key' } }));
    await expect(client.admin.listSubscribableCalendars()).rejects.toBeInstanceOf(KakaoAppKeyError);
  });
});

describe('KakaoClient OAuth errors', () => {
  it('treats the token issuance limit (KOE237) as retryable later and other OAuth errors as app-level', async () => {
    const limited = setup(() => ({
      status: 400,
      body: { error: 'invalid_request', error_description: 'token request limit', error_code: 'KOE237' },
    }));
    const a = await limited.client.oauth.refresh('rt').catch((e) => e);
    expect(a).toBeInstanceOf(KakaoOAuthError);
    expect(a.scope).toBe('retryable');
    expect(a.errorCode).toBe('KOE237');
    expect(limited.seen).toHaveLength(1);
    const wrong = setup(() => ({ status: 401, body: { error: 'invalid_client', error_code: 'KOE101' } }));
    const b = await wrong.client.oauth.refresh('rt').catch((e) => e);
    expect(b).toBeInstanceOf(KakaoOAuthError);
    expect(b.scope).toBe('app');
  });
});

describe('KakaoClient answer size cap', () => {
  const big = {
    events: Array.from({ length: 50 }, (_, i) => ({ id: `e${i}`, time: { start_at: 'x', end_at: 'y' } })),
    has_next: false,
  };

  it('refuses a list answer over the cap', async () => {
    const { user } = setup(() => ({ status: 200, body: big }), undefined, 1000);
    await expect(user.listEventsWindow({ from: 0, to: 1000 })).rejects.toThrow(/over 1000 bytes/);
  });

  it('reads the same answer under a larger cap', async () => {
    const { user } = setup(() => ({ status: 200, body: big }), undefined, 100_000);
    expect(await user.listEventsWindow({ from: 0, to: 1000 })).toHaveLength(50);
  });

  it('makes an oversized create answer an unknown outcome', async () => {
    const { user, seen } = setup(
      () => ({ status: 200, body: { event_id: 'e'.repeat(2000) } }),
      undefined,
      1000,
    );
    await expect(user.createEvent({ event })).rejects.toBeInstanceOf(KakaoOutcomeUnknownError);
    expect(seen).toHaveLength(1);
  });
});

describe('Retry-After', () => {
  it('waits at least what the server asks, capped by maxDelayMs', async () => {
    let n = 0;
    const { user, sleeps } = setup(() =>
      ++n === 1
        ? { status: 429, body: {}, headers: { 'retry-after': '1' } }
        : { status: 200, body: { calendars: [] } },
    );
    await user.listCalendars();
    expect(sleeps).toEqual([40]);
  });

  it('parses delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(new Date(now + 5000).toUTCString(), now)).toBe(5000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
