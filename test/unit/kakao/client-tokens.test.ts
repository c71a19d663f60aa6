import { describe, expect, it } from 'vitest';
import { KakaoTokenError } from '../../../src/kakao/errors.js';
import { auth, now, setup } from './fake-kakao.js';

// The client against a scripted in-process fetch (fake-kakao.ts): no sockets, so unit tests.

describe('KakaoClient tokens', () => {
  const tokenAnswer = { token_type: 'bearer', access_token: 'at-2', expires_in: 21599 };

  it('refreshes once on -401, saves the new tokens keeping the old refresh token, and retries', async () => {
    const { user, seen, store, client } = setup((req) => {
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
    expect(client.stats.snapshot().byEndpoint['calendars.list']).toEqual({
      success: 1,
      retried: 1,
      failed: 0,
    });
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
    const { user, seen, client } = setup((req) =>
      req.url.origin === auth ? { status: 200, body: tokenAnswer } : { status: 401, body: { code: -401 } },
    );
    await expect(user.listCalendars()).rejects.toBeInstanceOf(KakaoTokenError);
    expect(seen).toHaveLength(3);
    expect(client.stats.snapshot().byEndpoint['calendars.list']).toEqual({
      success: 0,
      retried: 1,
      failed: 1,
    });
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
