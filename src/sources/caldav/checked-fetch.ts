// The network rules of one CalDAV connection, as a fetch wrapper under every request (ours and
// tsdav's discovery): each hop's host passes the SSRF guard and is dialled at the checked address
// (a pinned lookup, as the ICS fetcher does), redirects are followed by hand so each hop is checked,
// and credentials never leave the configured origin.
import type { LookupAddress } from 'node:dns';
import { Agent } from 'undici';
import { checkHost, normaliseHost, pinnedLookup, type ResolveAll } from '../ssrf.js';
import {
  CaldavBlockedAddressError,
  CaldavCrossOriginError,
  CaldavRedirectError,
  CaldavUnreachableError,
} from './errors.js';

type FetchLike = typeof globalThis.fetch;
type Body = NonNullable<RequestInit['body']> | null;

export interface NetworkGuard {
  /** Hosts or addresses exempt from the SSRF guard (sources.allowHosts). */
  allowHosts: readonly string[];
  /** Redirects followed per request (sources.caldav.maxRedirects; default 5). */
  maxRedirects?: number;
  /** DNS resolution (tests inject one). */
  resolveAll?: ResolveAll;
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

/**
 * Whether a request to `url` may carry the credentials given for `origin`: the same origin, or the
 * same host upgraded from http to https. Never another host, never down from https to http.
 */
export function mayCarryCredentials(url: URL, origin: string): boolean {
  if (url.origin === origin) return true;
  const home = new URL(origin);
  return home.protocol === 'http:' && url.protocol === 'https:' && url.hostname === home.hostname;
}

/** The method and body a redirect asks for (RFC 9110 §15.4: 303, and 301/302 after POST, become GET). */
function redirectedRequest(status: number, method: string, body: Body, headers: Headers) {
  const toGet =
    (status === 303 && method !== 'GET' && method !== 'HEAD') || (status < 303 && method === 'POST');
  if (!toGet) return { method, body };
  headers.delete('content-type');
  return { method: 'GET', body: null as Body };
}

function requestParts(input: Parameters<FetchLike>[0], init: RequestInit) {
  const request = input instanceof Request ? input : undefined;
  return {
    url: new URL(request ? request.url : String(input)),
    method: (init.method ?? request?.method ?? 'GET').toUpperCase(),
    headers: new Headers(init.headers ?? request?.headers),
    body: (init.body ?? null) as Body,
  };
}

/** Wraps `inner` (undici's fetch, or a test double) with the guard for a connection to `origin`. */
export function checkedFetch(inner: FetchLike, origin: string, guard: NetworkGuard): FetchLike {
  const checked = new Map<string, LookupAddress[]>();
  const dispatcher = new Agent({ connect: { lookup: pinnedLookup(checked) } });
  const maxRedirects = guard.maxRedirects ?? 5;

  const admit = async (url: URL, signal: AbortSignal | undefined) => {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const check = await checkHost(host, {
      allowHosts: guard.allowHosts,
      ...(signal ? { signal } : {}),
      ...(guard.resolveAll ? { resolveAll: guard.resolveAll } : {}),
    });
    if (!check.ok && check.unresolved) throw new CaldavUnreachableError(url.href, check.reason);
    if (!check.ok) throw new CaldavBlockedAddressError(url.href, host, check.reason);
    checked.set(normaliseHost(host), check.addresses);
  };

  return async (input, init = {}) => {
    let { url, method, headers, body } = requestParts(input, init);
    const credentials = headers.has('authorization');
    for (let hop = 0; ; hop++) {
      if (credentials && !mayCarryCredentials(url, origin))
        throw new CaldavCrossOriginError(url.href, origin, hop > 0);
      await admit(url, init.signal ?? undefined);
      const hopHeaders = Object.fromEntries(headers);
      const hopInit = {
        ...init,
        method,
        headers: hopHeaders,
        body,
        redirect: 'manual',
        dispatcher,
      } as RequestInit;
      const response = await inner(url.href, hopInit);
      const location = response.headers.get('location');
      // tsdav asks for 'manual' on /.well-known/caldav and sends the next request itself (checked again).
      if (init.redirect === 'manual' || !redirectStatuses.has(response.status) || !location) return response;
      await response.body?.cancel();
      if (hop >= maxRedirects) {
        throw new CaldavRedirectError(
          url.href,
          `more than ${maxRedirects} redirects (sources.caldav.maxRedirects)`,
        );
      }
      const next = new URL(location, url);
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        throw new CaldavRedirectError(
          url.href,
          `only http and https are followed, not ${next.protocol.slice(0, -1)}`,
        );
      }
      next.username = '';
      next.password = '';
      ({ method, body } = redirectedRequest(response.status, method, body, headers));
      url = next;
    }
  };
}
