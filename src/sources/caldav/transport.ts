import { getBasicAuthHeaders, getBearerAuthHeaders } from 'tsdav';
import { fetch as undiciFetch } from 'undici';
import { TalkcalError } from '../../model/errors.js';
import { checkedFetch, type NetworkGuard } from './checked-fetch.js';
import {
  CaldavAuthError,
  CaldavCollectionNotFoundError,
  CaldavRequestRejectedError,
  CaldavResponseTooLargeError,
  CaldavServerError,
  CaldavUnreachableError,
} from './errors.js';

// The one place CalDAV HTTP requests leave the process: authentication, the SSRF guard and
// credential origin (checked-fetch.ts), timeout, size bound and the mapping of transport failures
// to typed errors. `fetch` is injectable (under the guard) so tests can count or corrupt what the
// server sends.

export type FetchLike = typeof globalThis.fetch;

/**
 * undici 8's fetch rather than Node 24's built-in one: the bundled undici 7 crashes the process
 * with an uncatchable assertion when a server closes the socket while a large body waits under
 * backpressure (nodejs/undici#5360, seen here with Radicale and a 2,000-item listing).
 */
export const defaultFetch = undiciFetch as unknown as FetchLike;

export type CaldavAuth =
  | { kind: 'none' }
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'bearer'; token: string };

export interface CaldavConnection extends NetworkGuard {
  /** Server base URL (discovery) or collection URL (storage); credentials go to its origin only. */
  url: string;
  auth: CaldavAuth;
  timeoutMs: number;
  fetch?: FetchLike;
  /** Largest answer read into memory (default 256 MiB). */
  maxResponseBytes?: number;
}

export interface DavResponse {
  status: number;
  headers: Headers;
  body: string;
}

/** Answers larger than this are refused rather than read into memory. */
const defaultMaxResponseBytes = 256 * 1024 * 1024;

/** Reads a body as text, giving up as soon as it grows past `maxBytes` (chunked answers included). */
async function readBounded(
  response: Response,
  maxBytes: number,
  method: string,
  url: string,
): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new CaldavResponseTooLargeError(url, method, maxBytes);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let received = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > maxBytes) {
        await reader.cancel();
        throw new CaldavResponseTooLargeError(url, method, maxBytes);
      }
      text += decoder.decode(value, { stream: true });
    }
  } catch (error) {
    if (error instanceof CaldavResponseTooLargeError) throw error;
    throw new CaldavUnreachableError(url, 'connection lost while reading the response', { cause: error });
  }
  return text + decoder.decode();
}

/**
 * Moves credentials written into the URL (https://user:pass@host/…) into `auth`: fetch refuses
 * such URLs, and they must never travel further as part of a URL string.
 */
export function normalizeConnection<T extends CaldavConnection>(connection: T): T {
  let url: URL;
  try {
    url = new URL(connection.url);
  } catch {
    return connection;
  }
  if (!url.username && !url.password) return connection;
  const auth: CaldavAuth =
    connection.auth.kind === 'none'
      ? {
          kind: 'basic',
          username: decodeURIComponent(url.username),
          password: decodeURIComponent(url.password),
        }
      : connection.auth;
  url.username = '';
  url.password = '';
  return { ...connection, url: url.href, auth };
}

export function authHeaders(auth: CaldavAuth): Record<string, string> {
  switch (auth.kind) {
    case 'basic':
      return getBasicAuthHeaders({ username: auth.username, password: auth.password });
    case 'bearer':
      return getBearerAuthHeaders({ accessToken: auth.token });
    case 'none':
      return {};
  }
}

/**
 * A fetch under the connection's network guard that gives up after `timeoutMs` (redirects
 * included) and turns network failures into CaldavUnreachableError.
 */
export function guardedFetch(connection: CaldavConnection): FetchLike {
  const inner = checkedFetch(connection.fetch ?? defaultFetch, new URL(connection.url).origin, connection);
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    try {
      return await inner(input, { ...init, signal: AbortSignal.timeout(connection.timeoutMs) });
    } catch (error) {
      if (error instanceof TalkcalError) throw error;
      const reason =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
          ? `no answer within ${connection.timeoutMs} ms`
          : `network error (${error instanceof Error ? error.message : String(error)})`;
      throw new CaldavUnreachableError(url, reason, { cause: error });
    }
  };
}

export class DavTransport {
  private readonly fetch: FetchLike;
  private readonly auth: Record<string, string>;

  private readonly maxBytes: number;

  constructor(connection: CaldavConnection) {
    this.fetch = guardedFetch(connection);
    this.auth = authHeaders(connection.auth);
    this.maxBytes = connection.maxResponseBytes ?? defaultMaxResponseBytes;
  }

  async send(
    method: string,
    url: string,
    options: { headers?: Record<string, string>; body?: string } = {},
  ): Promise<DavResponse> {
    const headers: Record<string, string> = { ...this.auth, ...options.headers };
    if (options.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['Content-Type'] = 'application/xml; charset=utf-8';
    }
    const response = await this.fetch(url, { method, headers, body: options.body ?? null });
    const body = await readBounded(response, this.maxBytes, method, url);
    return { status: response.status, headers: response.headers, body };
  }
}

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** Maps a non-success status with no operation-specific meaning to its typed error. */
export function statusError(status: number, method: string, url: string): Error {
  if (status === 401) return new CaldavAuthError(url, status);
  if (status === 404 || status === 410) return new CaldavCollectionNotFoundError(url);
  if (status === 429 || status >= 500) return new CaldavServerError(url, status, method);
  return new CaldavRequestRejectedError(url, status, method);
}
