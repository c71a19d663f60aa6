import { describe, expect, it } from 'vitest';
import { registryTokenStore } from '../../../src/registry/token-store.js';
import type { StoredTokens, UserStore } from '../../../src/registry/user-store.js';
import { auth, now, setup } from '../kakao/fake-kakao.js';

// The registry's TokenStore reuses one read of a user's tokens for a sync's burst of calls, and
// reads them again when Kakao rejects the reused access token (another process may have refreshed).

function fakeUsers(initial: StoredTokens) {
  const state = { tokens: initial, reads: 0 };
  const users = {
    getTokens: async () => {
      state.reads++;
      return state.tokens;
    },
    saveTokens: async (_userId: string, tokens: StoredTokens) => {
      state.tokens = tokens;
    },
  } as unknown as UserStore;
  return { users, state };
}

const first: StoredTokens = {
  accessToken: 'at-1',
  refreshToken: 'rt-1',
  accessTokenExpiresAt: now + 3_600_000,
  scopes: ['talk_calendar'],
};

describe('registryTokenStore', () => {
  it('reads once for a burst of calls when reuse is on, every time when it is off', async () => {
    const reused = fakeUsers(first);
    const store = registryTokenStore(reused.users, 'u1', 60_000);
    for (let i = 0; i < 5; i++) expect((await store.get()).accessToken).toBe('at-1');
    expect(reused.state.reads).toBe(1);
    store.forget?.();
    await store.get();
    expect(reused.state.reads).toBe(2);

    const plain = fakeUsers(first);
    const each = registryTokenStore(plain.users, 'u1');
    for (let i = 0; i < 5; i++) await each.get();
    expect(plain.state.reads).toBe(5);
  });

  it('serves what it saved (keeping the scopes) without reading it back', async () => {
    const { users, state } = fakeUsers(first);
    const store = registryTokenStore(users, 'u1', 60_000);
    await store.save({ accessToken: 'at-2', refreshToken: 'rt-1', accessTokenExpiresAt: now + 7_200_000 });
    const reads = state.reads;
    expect(await store.get()).toEqual({ ...state.tokens, scopes: ['talk_calendar'] });
    expect(state.reads).toBe(reads);
  });

  it('a reused token Kakao rejects is read again: a refresh by another process is used, not repeated', async () => {
    const { users, state } = fakeUsers(first);
    const { client, seen } = setup((req) => {
      if (req.url.origin === auth) return { status: 200, body: { access_token: 'at-x', expires_in: 21599 } };
      return req.headers['authorization'] === `Bearer ${state.tokens.accessToken}`
        ? { status: 200, body: { calendars: [{ id: 'primary' }] } }
        : { status: 401, body: { code: -401, msg: 'this access token is already expired' } };
    });
    const user = client.forUser('u1', registryTokenStore(users, 'u1', 60_000));
    await user.listCalendars();
    // Another process refreshed the user's tokens: the reused at-1 is refused once, at-2 is read.
    state.tokens = { ...first, accessToken: 'at-2', refreshToken: 'rt-2' };
    await user.listCalendars();
    expect(seen.map((s) => `${s.url.pathname} ${s.headers['authorization'] ?? ''}`)).toEqual([
      '/v2/api/calendar/calendars Bearer at-1',
      '/v2/api/calendar/calendars Bearer at-1',
      '/v2/api/calendar/calendars Bearer at-2',
    ]);
  });
});
