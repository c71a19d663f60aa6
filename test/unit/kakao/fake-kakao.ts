import {
  KakaoClient,
  type KakaoClientConfig,
  type TokenStore,
  type UserTokens,
} from '../../../src/kakao/client.js';
import type { CallRecord } from '../../../src/kakao/stats.js';
// The client against a scripted in-process fetch: no sockets, so these stay unit tests.

export const api = 'http://api.test';
export const auth = 'http://auth.test';
export const now = Date.parse('2024-05-01T00:00:00Z');

export interface Seen {
  method: string;
  url: URL;
  headers: Record<string, string>;
  form: URLSearchParams;
}

export type Reply = { status: number; body?: unknown; headers?: Record<string, string> } | { throw: string };
export type Handler = (req: Seen) => Reply;

export function fakeFetch(handler: Handler) {
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
      headers: { 'content-type': 'application/json', ...reply.headers },
    });
  }) as typeof fetch;
  return { fetch: fetchImpl, seen };
}

export const config: KakaoClientConfig = {
  apiBaseUrl: api,
  authBaseUrl: auth,
  restApiKey: 'rest-key',
  clientSecret: 'secret',
  adminKey: 'admin-key',
  timeoutMs: 1000,
  retry: { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 40 },
  tokenRefreshMarginSeconds: 300,
};

export function memoryStore(tokens: UserTokens): TokenStore & { saved: UserTokens[]; current: UserTokens } {
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

export function setup(handler: Handler, tokens?: Partial<UserTokens>, maxResponseBytes?: number) {
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

export const okEvent = { event_id: 'e1' };
export const event = {
  title: 'T',
  time: { start_at: '2024-05-02T00:00:00Z', end_at: '2024-05-02T01:00:00Z' },
};
