import { describe, expect, it } from 'vitest';
import { checkedFetch, mayCarryCredentials } from '../../../src/sources/caldav/checked-fetch.js';
import {
  CaldavBlockedAddressError,
  CaldavCrossOriginError,
  CaldavRedirectError,
  CaldavUnreachableError,
} from '../../../src/sources/caldav/errors.js';

// The CalDAV network guard against a scripted inner fetch: what is sent where, hop by hop.

interface Sent {
  url: string;
  method: string;
  authorization: string | undefined;
  body: unknown;
  redirect: string | undefined;
  hasDispatcher: boolean;
}

/** Answers by URL; records every request that reached the network. */
function server(routes: Record<string, { status: number; location?: string }>) {
  const sent: Sent[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    sent.push({
      url: String(input),
      method: init?.method ?? 'GET',
      authorization: headers.get('authorization') ?? undefined,
      body: init?.body,
      redirect: init?.redirect,
      hasDispatcher: 'dispatcher' in (init ?? {}),
    });
    const route = routes[String(input)] ?? { status: 404 };
    return new Response(route.status === 204 ? null : 'x', {
      status: route.status,
      headers: route.location ? { location: route.location } : {},
    });
  }) as typeof globalThis.fetch;
  return { fetch, sent };
}

const hosts: Record<string, string> = {
  'dav.example.com': '203.0.113.10',
  'other.example.net': '203.0.113.20',
  'inside.example.com': '10.1.2.3',
};
const resolveAll = async (host: string) => {
  const address = hosts[host];
  if (!address) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
  return [{ address, family: 4 }];
};
const origin = 'https://dav.example.com';
const basic = { authorization: 'Basic dTpw' };

describe('checkedFetch: the SSRF guard', () => {
  it('refuses a loopback server before anything is sent, naming the host and the allowHosts key', async () => {
    const { fetch, sent } = server({});
    const guarded = checkedFetch(fetch, 'http://127.0.0.1:5232', { allowHosts: [], resolveAll });
    const error = await guarded('http://127.0.0.1:5232/cal/', { method: 'PROPFIND', headers: basic }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CaldavBlockedAddressError);
    expect((error as CaldavBlockedAddressError).host).toBe('127.0.0.1');
    expect((error as Error).message).toMatch(/^refusing to connect to 127\.0\.0\.1 .*sources\.allowHosts/);
    expect((error as Error).message).not.toContain('\n');
    expect(sent).toEqual([]);
  });

  it('lets an allowed address through, dialled with the pinned dispatcher, never following by itself', async () => {
    const { fetch, sent } = server({ 'http://127.0.0.1:5232/cal/': { status: 207 } });
    const guarded = checkedFetch(fetch, 'http://127.0.0.1:5232', { allowHosts: ['127.0.0.1'], resolveAll });
    expect((await guarded('http://127.0.0.1:5232/cal/', { headers: basic })).status).toBe(207);
    expect(sent).toMatchObject([
      { authorization: basic.authorization, redirect: 'manual', hasDispatcher: true },
    ]);
  });

  it('reports a name that does not resolve as unreachable (retryable), sending nothing', async () => {
    const { fetch, sent } = server({});
    const guarded = checkedFetch(fetch, 'https://gone.example.org', { allowHosts: [], resolveAll });
    const error = await guarded('https://gone.example.org/dav/').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaldavUnreachableError);
    expect((error as CaldavUnreachableError).scope).toBe('retryable');
    expect(sent).toEqual([]);
  });

  it('refuses a name that resolves to a private address', async () => {
    const { fetch, sent } = server({});
    const guarded = checkedFetch(fetch, 'https://inside.example.com', { allowHosts: [], resolveAll });
    await expect(guarded('https://inside.example.com/dav/')).rejects.toThrow(
      /10\.1\.2\.3 is a private address/,
    );
    expect(sent).toEqual([]);
  });
});

describe('checkedFetch: redirects', () => {
  it('does not follow a redirect to a refused address', async () => {
    const { fetch, sent } = server({
      [`${origin}/cal/`]: { status: 301, location: 'http://169.254.169.254/latest/' },
    });
    const guarded = checkedFetch(fetch, origin, { allowHosts: [], resolveAll });
    const error = await guarded(`${origin}/cal/`, { method: 'PROPFIND' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaldavBlockedAddressError);
    expect((error as CaldavBlockedAddressError).host).toBe('169.254.169.254');
    expect(sent.map((s) => s.url)).toEqual([`${origin}/cal/`]);
  });

  it('follows a same-origin redirect with the credentials, method and body', async () => {
    const { fetch, sent } = server({
      [`${origin}/cal/`]: { status: 308, location: '/calendars/u/' },
      [`${origin}/calendars/u/`]: { status: 207 },
    });
    const guarded = checkedFetch(fetch, origin, { allowHosts: [], resolveAll });
    const res = await guarded(`${origin}/cal/`, { method: 'REPORT', headers: basic, body: '<x/>' });
    expect(res.status).toBe(207);
    expect(sent).toMatchObject([
      { method: 'REPORT', authorization: basic.authorization },
      { url: `${origin}/calendars/u/`, method: 'REPORT', authorization: basic.authorization, body: '<x/>' },
    ]);
  });

  it('turns a 303 into a GET without a body', async () => {
    const { fetch, sent } = server({
      [`${origin}/a`]: { status: 303, location: '/b' },
      [`${origin}/b`]: { status: 200 },
    });
    await checkedFetch(fetch, origin, { allowHosts: [], resolveAll })(`${origin}/a`, {
      method: 'PROPFIND',
      body: '<x/>',
    });
    expect(sent[1]).toMatchObject({ method: 'GET', body: null });
  });

  it('refuses a redirect that would take the credentials to another origin', async () => {
    const { fetch, sent } = server({
      [`${origin}/cal/`]: { status: 302, location: 'https://other.example.net/cal/' },
    });
    const guarded = checkedFetch(fetch, origin, { allowHosts: [], resolveAll });
    const error = await guarded(`${origin}/cal/`, { headers: basic }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaldavCrossOriginError);
    expect((error as Error).message).toBe(
      'CalDAV redirect to https://other.example.net refused: the credentials are only sent to https://dav.example.com; link the collection at its URL on https://other.example.net instead',
    );
    expect(sent).toHaveLength(1);
  });

  it('follows a redirect to another origin when no credentials are sent', async () => {
    const { fetch, sent } = server({
      [`${origin}/cal/`]: { status: 302, location: 'https://other.example.net/cal/' },
      'https://other.example.net/cal/': { status: 200 },
    });
    const res = await checkedFetch(fetch, origin, { allowHosts: [], resolveAll })(`${origin}/cal/`);
    expect(res.status).toBe(200);
    expect(sent.map((s) => s.authorization)).toEqual([undefined, undefined]);
  });

  it('refuses more redirects than allowed and non-http targets', async () => {
    const loop = server({ [`${origin}/a`]: { status: 307, location: '/a' } });
    await expect(
      checkedFetch(loop.fetch, origin, { allowHosts: [], resolveAll, maxRedirects: 2 })(`${origin}/a`),
    ).rejects.toThrow(/more than 2 redirects \(sources\.caldav\.maxRedirects\)/);
    expect(loop.sent).toHaveLength(3);
    const file = server({ [`${origin}/a`]: { status: 301, location: 'file:///etc/passwd' } });
    await expect(
      checkedFetch(file.fetch, origin, { allowHosts: [], resolveAll })(`${origin}/a`),
    ).rejects.toBeInstanceOf(CaldavRedirectError);
  });

  it('hands a redirect back untouched when the caller asks for manual redirects (tsdav discovery)', async () => {
    const { fetch, sent } = server({
      [`${origin}/.well-known/caldav`]: { status: 301, location: 'https://other.example.net/' },
    });
    const res = await checkedFetch(fetch, origin, { allowHosts: [], resolveAll })(
      `${origin}/.well-known/caldav`,
      {
        headers: basic,
        redirect: 'manual',
      },
    );
    expect(res.status).toBe(301);
    expect(sent).toHaveLength(1);
  });

  it('refuses a request with credentials straight to another origin (a discovered href elsewhere)', async () => {
    const { fetch, sent } = server({});
    const guarded = checkedFetch(fetch, origin, { allowHosts: [], resolveAll });
    const error = await guarded('https://other.example.net/home/', { headers: basic }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CaldavCrossOriginError);
    expect((error as Error).message).toMatch(/^CalDAV request to https:\/\/other\.example\.net refused/);
    expect(sent).toEqual([]);
  });
});

describe('mayCarryCredentials', () => {
  it('allows the origin and its https upgrade, nothing else', () => {
    const yes = (url: string, from: string) => mayCarryCredentials(new URL(url), from);
    expect(yes('https://dav.example.com/x', 'https://dav.example.com')).toBe(true);
    expect(yes('https://dav.example.com/x', 'http://dav.example.com')).toBe(true);
    expect(yes('http://dav.example.com/x', 'https://dav.example.com')).toBe(false);
    expect(yes('https://dav.example.com:8443/x', 'https://dav.example.com')).toBe(false);
    expect(yes('https://evil.example.com/x', 'https://dav.example.com')).toBe(false);
  });
});
