import { afterEach, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../../src/emulator/server.js';
import { api, start, V1, V2 } from './helpers.js';

let emu: RunningEmulator | undefined;

afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function token(e: RunningEmulator, form: Record<string, string>) {
  const res = await fetch(`${e.url}/oauth/token`, { method: 'POST', body: new URLSearchParams(form) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const window = { from: '2024-06-01T00:00:00Z', to: '2024-06-02T00:00:00Z' };

describe('access tokens', () => {
  it('answers 401 / -401 with WWW-Authenticate for missing, unknown and expired tokens', async () => {
    emu = await start();
    const res = await fetch(`${emu.url}${V2}/calendars`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer error=invalid_token');
    expect(await res.json()).toMatchObject({ code: -401 });
    expect((await api(emu, 'unknown').get(`${V2}/calendars`)).body.code).toBe(-401);

    const made = emu.admin.createUser();
    const http = api(emu, made.accessToken);
    expect((await http.get(`${V2}/calendars`)).status).toBe(200);
    await fetch(`${emu.url}/_emulator/tokens/expire`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: made.userId }),
    });
    expect(await http.get(`${V2}/calendars`)).toMatchObject({ status: 401, body: { code: -401 } });
  });

  it('expires a token after its lifetime on the emulator clock, and the refresh grant restores access', async () => {
    emu = await start({ accessTokenLifetimeSeconds: 60 });
    await fetch(`${emu.url}/_emulator/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ now: '2024-06-01T00:00:00Z' }),
    });
    const made = emu.admin.createUser();
    expect(made.expiresIn).toBe(60);
    emu.admin.setClock(new Date('2024-06-01T00:01:00Z'));
    expect((await api(emu, made.accessToken).get(`${V2}/events`, window)).status).toBe(401);
    const grant = await token(emu, {
      grant_type: 'refresh_token',
      client_id: 'emulator-rest-api-key',
      refresh_token: made.refreshToken,
    });
    expect(grant.status).toBe(200);
    expect(grant.body).toMatchObject({ token_type: 'bearer', expires_in: 60 });
    // 60 days left > 30-day rotation window: no new refresh token.
    expect(grant.body.refresh_token).toBeUndefined();
    expect((await api(emu, grant.body.access_token as string).get(`${V2}/events`, window)).status).toBe(200);
  });

  it('rotates the refresh token only inside its last 30 days, invalidating the old one', async () => {
    emu = await start();
    emu.admin.setClock(new Date('2024-01-01T00:00:00Z'));
    const made = emu.admin.createUser();
    emu.admin.setClock(new Date('2024-02-05T00:00:00Z')); // 35 days later: 25 days left
    const grant = await token(emu, {
      grant_type: 'refresh_token',
      client_id: 'emulator-rest-api-key',
      refresh_token: made.refreshToken,
    });
    expect(grant.body.refresh_token).toEqual(expect.any(String));
    expect(grant.body.refresh_token_expires_in).toBe(5_184_000);
    const again = await token(emu, {
      grant_type: 'refresh_token',
      client_id: 'emulator-rest-api-key',
      refresh_token: made.refreshToken,
    });
    expect(again).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('rejects a wrong client, a revoked refresh token and a missing scope', async () => {
    emu = await start({ clientSecret: 's3cret' });
    const made = emu.admin.createUser({ scopes: ['talk_calendar'] });
    const noSecret = await token(emu, {
      grant_type: 'refresh_token',
      client_id: 'emulator-rest-api-key',
      refresh_token: made.refreshToken,
    });
    expect(noSecret).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    const task = await api(emu, made.accessToken).get(`${V1}/tasks`, { from: '20240601', to: '20240602' });
    expect(task).toMatchObject({
      status: 403,
      body: { code: -402, required_scopes: ['talk_calendar_task'] },
    });
    emu.admin.revokeTokens(made.userId);
    const revoked = await token(emu, {
      grant_type: 'refresh_token',
      client_id: 'emulator-rest-api-key',
      client_secret: 's3cret',
      refresh_token: made.refreshToken,
    });
    expect(revoked).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect((await api(emu, made.accessToken).get(`${V2}/calendars`)).status).toBe(401);
  });

  it('limits access-token issuance to 20 per 10 minutes per user', async () => {
    emu = await start();
    emu.admin.setClock(new Date('2024-06-01T00:00:00Z'));
    const made = emu.admin.createUser();
    const form = {
      grant_type: 'refresh_token',
      client_id: 'emulator-rest-api-key',
      refresh_token: made.refreshToken,
    };
    for (let i = 0; i < 20; i++) expect((await token(emu, form)).status).toBe(200);
    expect(await token(emu, form)).toMatchObject({
      status: 400,
      body: { error: 'invalid_request', error_code: 'KOE237' },
    });
    emu.admin.setClock(new Date('2024-06-01T00:10:01Z'));
    expect((await token(emu, form)).status).toBe(200);
  });
});

describe('consent page (authorization code flow)', () => {
  const redirect = 'http://127.0.0.1:9/callback';

  async function authorize(e: RunningEmulator, decision: 'agree' | 'cancel') {
    const q = new URLSearchParams({
      client_id: 'emulator-rest-api-key',
      redirect_uri: redirect,
      response_type: 'code',
      scope: 'talk_calendar,talk_calendar_task',
      state: 'xyz',
    });
    const page = await fetch(`${e.url}/oauth/authorize?${q}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Agree');
    expect(html).toContain('Cancel');
    // Submit the form as a browser would: its hidden fields plus the pressed button.
    const form = new URLSearchParams();
    for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
      form.set(
        m[1]!,
        m[2]!.replace(/&#(\d+);/g, (_s, c: string) => String.fromCharCode(Number(c))),
      );
    }
    form.set('decision', decision);
    const action = /<form method="post" action="([^"]+)"/.exec(html)![1]!;
    const res = await fetch(`${e.url}${action}`, { method: 'POST', body: form, redirect: 'manual' });
    expect(res.status).toBe(302);
    return new URL(res.headers.get('location')!);
  }

  it('Agree redirects with a single-use code that the token endpoint exchanges', async () => {
    emu = await start();
    const location = await authorize(emu, 'agree');
    expect(location.origin + location.pathname).toBe(redirect);
    expect(location.searchParams.get('state')).toBe('xyz');
    const code = location.searchParams.get('code')!;
    const form = {
      grant_type: 'authorization_code',
      client_id: 'emulator-rest-api-key',
      redirect_uri: redirect,
      code,
    };
    const grant = await token(emu, form);
    expect(grant.status).toBe(200);
    expect(grant.body).toMatchObject({ token_type: 'bearer', refresh_token: expect.any(String) });
    const http = api(emu, grant.body.access_token as string);
    expect((await http.get(`${V2}/calendars`)).body).toMatchObject({ calendars: [{ id: 'primary' }] });
    expect((await http.get(`${V1}/tasks`, { from: '20240601', to: '20240602' })).status).toBe(200);
    expect(await token(emu, form)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('Cancel redirects with error=access_denied', async () => {
    emu = await start();
    const location = await authorize(emu, 'cancel');
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('error_description')).toBeTruthy();
    expect(location.searchParams.get('state')).toBe('xyz');
  });

  it('rejects an unknown client_id on the consent page', async () => {
    emu = await start();
    const q = new URLSearchParams({ client_id: 'other', redirect_uri: redirect, response_type: 'code' });
    const res = await fetch(`${emu.url}/oauth/authorize?${q}`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_client' });
  });
});

describe('access token info (Kakao Login, API host)', () => {
  it('names the owner of a live token without drawing on the Talk Calendar quota, and refuses others', async () => {
    emu = await start({ quota: { enabled: true, daily: 1 } });
    const made = emu.admin.createUser({ userId: '4000000123' });
    const info = await api(emu, made.accessToken).get('/v1/user/access_token_info');
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({ id: 4000000123 });
    expect(info.body.expires_in).toBeGreaterThan(0);
    expect((await api(emu, made.accessToken).get(`${V2}/calendars`)).status).toBe(200);
    expect((await api(emu, 'nope').get('/v1/user/access_token_info')).status).toBe(401);
  });
});
