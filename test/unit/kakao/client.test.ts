import { describe, expect, it } from 'vitest';
import {
  KakaoClient,
  type KakaoClientConfig,
  type TokenStore,
  type UserTokens,
} from '../../../src/kakao/client.js';
import {
  KakaoAppKeyError,
  KakaoConnectionError,
  KakaoForeignUrlError,
  KakaoOAuthError,
  KakaoOutcomeUnknownError,
  KakaoQuotaError,
  KakaoTokenError,
} from '../../../src/kakao/errors.js';
import type { CallRecord } from '../../../src/kakao/stats.js';

// The client against a scripted in-process fetch: no sockets, so these stay unit tests.

const api = 'http://api.test';
const auth = 'http://auth.test';
const now = Date.parse('2024-05-01T00:00:00Z');

interface Seen {
  method: string;
  url: URL;
  headers: Record<string, string>;
  form: URLSearchParams;
}

type Reply = { status: number; body?: unknown } | { throw: string };
type Handler = (req: Seen) => Reply;

function fakeFetch(handler: Handler) {
  const seen: Seen[] = [];
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const headers = Object.fromEntries(Object.entries((init?.headers ?? {}) as Record<string, string>));
    const req: Seen = {
      method: init?.method ?? 'GET',
      url: new URL(String(input)),
      headers,
      form: new URLSearchParams(typeof init?.body === 'string' ? init.body : ''),
    };
    seen.push(req);
    const reply = handler(req);
    if ('throw' in reply) {
      throw Object.assign(new TypeError('fetch failed'), {
        cause: Object.assign(new Error(reply.throw), { code: reply.throw }),
      });
    }
    return new Response(reply.body === undefined ? '' : JSON.stringify(reply.body), {
      status: reply.status,
      headers: { 'content-type': 'application/json' },
    });
  }) as typeof fetch;
  return { fetch: fetchImpl, seen };
}

const config: KakaoClientConfig = {
  apiBaseUrl: api,
  authBaseUrl: auth,
  restApiKey: 'rest-key',
  clientSecret: 'secret',
  adminKey: 'admin-key',
  timeoutMs: 1000,
  retry: { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 40 },
  tokenRefreshMarginSeconds: 300,
};

function memoryStore(tokens: UserTokens): TokenStore & { saved: UserTokens[]; current: UserTokens } {
  const store = {
    current: tokens,
    saved: [] as UserTokens[],
    get: async () => store.current,
    save: async (t: UserTokens) => {
      store.saved.push(t);
      store.current = t;
    },
  };
  return store;
}

function setup(handler: Handler, tokens?: Partial<UserTokens>, maxResponseBytes?: number) {
  const { fetch, seen } = fakeFetch(handler);
  const sleeps: number[] = [];
  const calls: CallRecord[] = [];
  const client = new KakaoClient(config, {
    fetch,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    onCall: (c) => calls.push(c),
    maxResponseBytes,
  });
  const store = memoryStore({
    accessToken: 'at-1',
    refreshToken: 'rt-1',
    accessTokenExpiresAt: now + 3_600_000,
    ...tokens,
  });
  return { client, user: client.forUser('u1', store), store, seen, sleeps, calls };
}

const okEvent = { event_id: 'e1' };
const event = { title: 'T', time: { start_at: '2024-05-02T00:00:00Z', end_at: '2024-05-02T01:00:00Z' } };

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

describe('KakaoClient tokens', () => {
  const tokenAnswer = { token_type: 'bearer', access_token: 'at-2', expires_in: 21599 };

  it('refreshes once on -401, saves the new tokens keeping the old refresh token, and retries', async () => {
    const { user, seen, store } = setup((req) => {
      if (req.url.origin === auth) return { status: 200, body: tokenAnswer };
      return req.headers['authorization'] === 'Bearer at-2'
        ? { status: 200, body: { calendars: [{ id: 'primary' }] } }
        : { status: 401, body: { code: -401, msg: 'this access token is already expired' } };
    });
    expect((await user.listCalendars()).calendars).toEqual([{ id: 'primary' }]);
    expect(seen.map((s) => s.url.pathname)).toEqual([
      '/v2/api/calendar/calendars',
      '/oauth/token',
      '/v2/api/calendar/calendars',
    ]);
    const grant = seen[1]!.form;
    expect(Object.fromEntries(grant)).toEqual({
      grant_type: 'refresh_token',
      client_id: 'rest-key',
      refresh_token: 'rt-1',
      client_secret: 'secret',
    });
    expect(store.saved).toEqual([
      { accessToken: 'at-2', refreshToken: 'rt-1', accessTokenExpiresAt: now + 21_599_000 },
    ]);
  });

  it('throws KakaoTokenError when the refresh is refused', async () => {
    const { user } = setup((req) =>
      req.url.origin === auth
        ? { status: 400, body: { error: 'invalid_grant', error_description: 'expired' } }
        : { status: 401, body: { code: -401 } },
    );
    const error = await user.listCalendars().catch((e) => e);
    expect(error).toBeInstanceOf(KakaoTokenError);
    expect(error.scope).toBe('user');
  });

  it('throws KakaoTokenError when the refreshed token is rejected too (no loop)', async () => {
    const { user, seen } = setup((req) =>
      req.url.origin === auth ? { status: 200, body: tokenAnswer } : { status: 401, body: { code: -401 } },
    );
    await expect(user.listCalendars()).rejects.toBeInstanceOf(KakaoTokenError);
    expect(seen).toHaveLength(3);
  });

  it('refreshes proactively within the margin, once for many concurrent calls', async () => {
    const { user, seen, store } = setup(
      (req) =>
        req.url.origin === auth
          ? {
              status: 200,
              body: { ...tokenAnswer, refresh_token: 'rt-2', refresh_token_expires_in: 5_000_000 },
            }
          : { status: 200, body: { calendars: [] } },
      { accessTokenExpiresAt: now + 299_000 },
    );
    await Promise.all(Array.from({ length: 8 }, () => user.listCalendars()));
    expect(seen.filter((s) => s.url.origin === auth)).toHaveLength(1);
    expect(seen.filter((s) => s.headers['authorization'] === 'Bearer at-2')).toHaveLength(8);
    expect(store.current).toEqual({
      accessToken: 'at-2',
      refreshToken: 'rt-2',
      accessTokenExpiresAt: now + 21_599_000,
      refreshTokenExpiresAt: now + 5_000_000_000,
    });
  });

  it('shares one refresh among concurrent calls that all got -401', async () => {
    const { user, seen, store } = setup((req) => {
      if (req.url.origin === auth) return { status: 200, body: tokenAnswer };
      return req.headers['authorization'] === 'Bearer at-2'
        ? { status: 200, body: { calendars: [] } }
        : { status: 401, body: { code: -401 } };
    });
    await Promise.all(Array.from({ length: 6 }, () => user.listCalendars()));
    expect(seen.filter((s) => s.url.origin === auth)).toHaveLength(1);
    expect(store.saved).toHaveLength(1);
    expect(seen.filter((s) => s.headers['authorization'] === 'Bearer at-2')).toHaveLength(6);
  });

  it('does not call the auth host when the refresh token is known to be expired', async () => {
    const { user, seen } = setup(() => ({ status: 200, body: {} }), {
      accessTokenExpiresAt: now - 1,
      refreshTokenExpiresAt: now - 1,
    });
    await expect(user.listCalendars()).rejects.toBeInstanceOf(KakaoTokenError);
    expect(seen).toHaveLength(0);
  });

  it('counts quota calls for the API host only', async () => {
    const { user, client, calls } = setup(
      (req) =>
        req.url.origin === auth
          ? { status: 200, body: tokenAnswer }
          : { status: 200, body: { calendars: [] } },
      { accessTokenExpiresAt: now },
    );
    await user.listCalendars();
    expect(client.stats.quotaCalls).toBe(1);
    expect(client.stats.totalCalls).toBe(2);
    expect(calls.map((c) => [c.endpoint, c.outcome, c.countsAgainstQuota, c.attempt])).toEqual([
      ['oauth.refresh', 'success', false, 1],
      ['calendars.list', 'success', true, 1],
    ]);
  });
});

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
