import { describe, expect, it } from 'vitest';
import { KakaoOAuthError, KakaoTokenError } from '../../../src/kakao/errors.js';
import { clearLog, clientFor, createUser, requestLog, useEmulator } from './harness.js';

// The two OAuth grants on the auth host, against the emulator's consent page and token endpoint.

const env = useEmulator();
const redirectUri = 'http://127.0.0.1:9/connect/callback';

/** Agrees on the consent page the way a browser submits its form; returns the issued code. */
async function consent(): Promise<string> {
  const res = await fetch(`${env.emu.url}/oauth/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: 'emulator-rest-api-key',
      redirect_uri: redirectUri,
      response_type: 'code',
      state: 's1',
      decision: 'agree',
    }).toString(),
    redirect: 'manual',
  });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location')!);
  expect(location.searchParams.get('state')).toBe('s1');
  return location.searchParams.get('code')!;
}

describe('OAuth grants', () => {
  it('exchanges an authorization code for tokens that work on the API host', async () => {
    const { client } = clientFor(env.emu);
    const code = await consent();
    const tokens = await client.oauth.exchangeCode({ code, redirectUri });
    expect(tokens.access_token).not.toBe('');
    expect(tokens.refresh_token).toBeDefined();
    expect(tokens.expires_in).toBeGreaterThan(0);
    const store = {
      get: async () => ({
        accessToken: tokens.access_token,
        refreshToken: tokens.refresh_token!,
        accessTokenExpiresAt: Date.now() + tokens.expires_in * 1000,
      }),
      save: async () => {},
    };
    const list = await client.forUser('new-user', store).listCalendars();
    expect(list.calendars?.map((c) => c.id)).toContain('primary');
    expect(client.stats.quotaCalls).toBe(1);
    expect(client.stats.totalCalls).toBe(2);
  });

  it('refuses a code used twice with KakaoTokenError (single use, not retried)', async () => {
    const { client } = clientFor(env.emu);
    const code = await consent();
    await client.oauth.exchangeCode({ code, redirectUri });
    await clearLog(env.emu);
    await expect(client.oauth.exchangeCode({ code, redirectUri })).rejects.toBeInstanceOf(KakaoTokenError);
    expect((await requestLog(env.emu)).filter((r) => r.path === '/oauth/token')).toHaveLength(1);
  });

  it('refreshes with the refresh-token grant', async () => {
    const { client } = clientFor(env.emu);
    const u = await createUser(env.emu);
    const answer = await client.oauth.refresh(u.store.current.refreshToken);
    expect(answer.access_token).not.toBe(u.store.current.accessToken);
    expect(answer.token_type.toLowerCase()).toBe('bearer');
  });

  it('reports a wrong client id as an app-level OAuth error', async () => {
    const { client } = clientFor(env.emu, { restApiKey: 'wrong-key' });
    const u = await createUser(env.emu);
    const error = await client.oauth.refresh(u.store.current.refreshToken).catch((e) => e);
    expect(error).toBeInstanceOf(KakaoOAuthError);
    expect(error.error).toBe('invalid_client');
    expect(error.scope).toBe('app');
  });
});
