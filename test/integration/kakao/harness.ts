import { afterAll, beforeAll } from 'vitest';
import { startEmulator } from '../../../src/emulator/server.js';
import {
  KakaoClient,
  type KakaoClientConfig,
  type TokenStore,
  type UserTokens,
} from '../../../src/kakao/client.js';
import type { CallRecord } from '../../../src/kakao/stats.js';

// Shared set-up for the client ⇄ emulator tests: a real emulator over loopback HTTP, users made
// through its admin API, and a client configured like the daemon's.

export type Emulator = Awaited<ReturnType<typeof startEmulator>>;

export interface LoggedRequest {
  method: string;
  path: string;
  query?: Record<string, unknown>;
  status: number;
  code?: number;
  endpoint: string;
}

export async function startTestEmulator(): Promise<Emulator> {
  return startEmulator({ port: 0, host: '127.0.0.1' });
}

/** One emulator for the calling test file: started before its tests, closed after them. */
export function useEmulator(): { readonly emu: Emulator } {
  let started: Emulator | undefined;
  beforeAll(async () => {
    started = await startTestEmulator();
  });
  afterAll(async () => {
    await started?.close();
  });
  return {
    get emu(): Emulator {
      if (!started) throw new Error('the emulator is not started yet (use it inside a test or hook)');
      return started;
    },
  };
}

export async function admin<T>(emu: Emulator, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${emu.url}/_emulator${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`emulator admin ${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export interface TestUser {
  userId: string;
  store: TokenStore & { saved: UserTokens[]; current: UserTokens };
}

export async function createUser(emu: Emulator, options: { scopes?: string[] } = {}): Promise<TestUser> {
  const made = await admin<{ userId: string; accessToken: string; refreshToken: string; expiresIn: number }>(
    emu,
    'POST',
    '/users',
    options,
  );
  const store = {
    current: {
      accessToken: made.accessToken,
      refreshToken: made.refreshToken,
      accessTokenExpiresAt: Date.now() + made.expiresIn * 1000,
    } as UserTokens,
    saved: [] as UserTokens[],
    get: async () => store.current,
    save: async (t: UserTokens) => {
      store.saved.push(t);
      store.current = t;
    },
  };
  return { userId: made.userId, store };
}

export function clientFor(emu: Emulator, overrides: Partial<KakaoClientConfig> = {}) {
  const calls: CallRecord[] = [];
  const config: KakaoClientConfig = {
    apiBaseUrl: emu.url,
    authBaseUrl: emu.url,
    restApiKey: 'emulator-rest-api-key',
    clientSecret: '',
    adminKey: 'emulator-admin-key',
    timeoutMs: 5000,
    retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20 },
    tokenRefreshMarginSeconds: 300,
    ...overrides,
  };
  const client = new KakaoClient(config, { onCall: (c) => calls.push(c) });
  return { client, calls };
}

/** A client, a new user, and that user's client. */
export async function newUserClient(
  emu: Emulator,
  options: { scopes?: string[] } = {},
  overrides: Partial<KakaoClientConfig> = {},
) {
  const { client, calls } = clientFor(emu, overrides);
  const u = await createUser(emu, options);
  return { client, calls, u, user: client.forUser(u.userId, u.store) };
}

export async function requestLog(emu: Emulator): Promise<LoggedRequest[]> {
  return admin<LoggedRequest[]>(emu, 'GET', '/requests');
}

export async function clearLog(emu: Emulator): Promise<void> {
  await admin(emu, 'DELETE', '/requests');
}

/** A future instant on the 5-minute grid, `days` from now. */
export function future(days: number, hour = 3): Date {
  const d = new Date(Date.now() + days * 86_400_000);
  d.setUTCHours(hour, 0, 0, 0);
  return d;
}

export function iso(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** yyyyMMdd of `days` from now (UTC). */
export function compactDay(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
}
