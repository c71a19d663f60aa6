// Downloads one ICS feed the careful way: every hop checked by the SSRF guard and dialled at the
// checked address, redirects followed by hand, one deadline for the whole exchange, the body
// streamed under a size cap, and a conditional GET so an unchanged feed costs a bare 304.
import type { LookupAddress } from 'node:dns';
import { Agent, request } from 'undici';
import { TalkcalError } from '../../model/errors.js';
import { checkHost, normaliseHost, pinnedLookup, type ResolveAll } from '../ssrf.js';
import { BodyTooLargeError, readCappedBody, UnsupportedEncodingError } from './body.js';
import type { CharsetWarning } from './charset.js';
import { decodeCalendar } from './decode-calendar.js';
import {
  FeedBlockedAddressError,
  FeedHttpError,
  FeedNetworkError,
  FeedRedirectError,
  FeedTimeoutError,
  FeedTooLargeError,
  FeedUrlError,
} from './errors.js';

/** What the server said about the version it sent (replayed as If-None-Match / If-Modified-Since). */
export interface FeedValidators {
  etag?: string;
  lastModified?: string;
}

export interface FetchFeedOptions {
  /** Deadline for connect + headers + body over all hops (default 30 s). */
  timeoutMs?: number;
  /** Cap on the decoded body (default 10 MB). */
  maxBytes?: number;
  /** Redirects followed at most (default 5). */
  maxRedirects?: number;
  /** Hosts or addresses exempt from the SSRF guard. */
  allowHosts?: readonly string[];
  userAgent?: string;
  /** Extra request headers (e.g. Authorization); sent to the feed's origin only. */
  headers?: Record<string, string>;
  validators?: FeedValidators;
  /** DNS resolution (tests inject one). */
  resolveAll?: ResolveAll;
}

export type FeedResponse =
  | { notModified: true; validators: FeedValidators; finalUrl: string }
  | {
      notModified: false;
      text: string;
      /** sha256 (hex) of the decoded body bytes. */
      bodySha256: string;
      validators: FeedValidators;
      contentType: string | undefined;
      encoding: string;
      /** What the decoder had to guess or repair (logged, and reported in the link's status). */
      warnings: FeedWarning[];
      finalUrl: string;
    };

export type FeedWarning = CharsetWarning;

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Parses a feed URL: webcal(s) becomes https; anything but http(s) is refused. */
export function parseFeedUrl(feed: string, raw: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(raw.trim(), base);
  } catch {
    throw new FeedUrlError(feed, 'the URL cannot be parsed');
  }
  if (url.protocol === 'webcal:' || url.protocol === 'webcals:')
    url = new URL(`https:${url.href.slice(url.protocol.length)}`);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    const what = `only http, https and webcal URLs are read, not ${url.protocol.replace(/:$/, '')}`;
    throw base ? new FeedRedirectError(feed, `redirect refused: ${what}`) : new FeedUrlError(feed, what);
  }
  return url;
}

/** Moves userinfo out of the URL into a Basic Authorization value. */
function takeCredentials(url: URL): string | undefined {
  if (!url.username && !url.password) return undefined;
  const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  url.username = '';
  url.password = '';
  return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
}

function networkReason(err: unknown): string {
  const e = err as { code?: string; message?: string };
  return `network failure${e.code ? ` ${e.code}` : ''}: ${e.message ?? String(err)}`;
}

export async function fetchFeed(feed: string, opts: FetchFeedOptions = {}): Promise<FeedResponse> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const maxBytes = opts.maxBytes ?? 10 * 1024 * 1024;
  const maxRedirects = opts.maxRedirects ?? 5;
  let url = parseFeedUrl(feed, feed);
  const basicAuth = takeCredentials(url);
  const origin = url.origin;
  // Lower-cased so a configured "Authorization" cannot be sent twice next to our own.
  const extraHeaders = Object.fromEntries(
    Object.entries(opts.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
  );

  const checked = new Map<string, LookupAddress[]>();
  const agent = new Agent({
    connect: { lookup: pinnedLookup(checked), timeout: timeoutMs },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  try {
    for (let hop = 0; ; hop++) {
      const host = url.hostname.replace(/^\[|\]$/g, '');
      const check = await checkHost(host, {
        allowHosts: opts.allowHosts ?? [],
        signal: deadline.signal,
        ...(opts.resolveAll ? { resolveAll: opts.resolveAll } : {}),
      });
      if (!check.ok) throw new FeedBlockedAddressError(feed, host, check.reason);
      checked.set(normaliseHost(host), check.addresses);

      const sameOrigin = url.origin === origin;
      const headers: Record<string, string> = {
        accept: 'text/calendar, text/plain;q=0.9, */*;q=0.5',
        'accept-encoding': 'gzip, deflate, br',
        ...(opts.userAgent ? { 'user-agent': opts.userAgent } : {}),
        // Credentials go to the origin they were given for, never to a redirect target elsewhere.
        ...(sameOrigin ? extraHeaders : {}),
        ...(sameOrigin && basicAuth ? { authorization: basicAuth } : {}),
        ...(opts.validators?.etag ? { 'if-none-match': opts.validators.etag } : {}),
        ...(opts.validators?.lastModified ? { 'if-modified-since': opts.validators.lastModified } : {}),
      };
      const res = await request(url, { dispatcher: agent, method: 'GET', headers, signal: deadline.signal });

      if (redirectStatuses.has(res.statusCode)) {
        await res.body.dump();
        const location = header(res.headers, 'location');
        if (!location)
          throw new FeedRedirectError(feed, `HTTP ${res.statusCode} redirect without a Location`);
        if (hop >= maxRedirects) throw new FeedRedirectError(feed, `more than ${maxRedirects} redirects`);
        url = parseFeedUrl(feed, location, url);
        url.username = '';
        url.password = '';
        continue;
      }
      const validators: FeedValidators = {};
      const etag = header(res.headers, 'etag');
      const lastModified = header(res.headers, 'last-modified');
      if (etag) validators.etag = etag;
      if (lastModified) validators.lastModified = lastModified;

      if (res.statusCode === 304) {
        await res.body.dump();
        return { notModified: true, validators: { ...opts.validators, ...validators }, finalUrl: url.href };
      }
      if (res.statusCode < 200 || res.statusCode > 299) {
        await res.body.dump();
        throw new FeedHttpError(feed, res.statusCode);
      }
      const declaredLength = Number(header(res.headers, 'content-length'));
      if (Number.isFinite(declaredLength) && declaredLength > maxBytes) {
        res.body.destroy();
        throw new FeedTooLargeError(feed, maxBytes);
      }
      const body = await readCappedBody(res.body, header(res.headers, 'content-encoding'), maxBytes);
      const contentType = header(res.headers, 'content-type');
      const decoded = decodeCalendar(feed, body.bytes, contentType);
      return {
        notModified: false,
        text: decoded.text,
        bodySha256: body.sha256,
        validators,
        contentType,
        encoding: decoded.encoding,
        warnings: decoded.warnings,
        finalUrl: url.href,
      };
    }
  } catch (err) {
    if (err instanceof BodyTooLargeError) throw new FeedTooLargeError(feed, maxBytes);
    if (err instanceof TalkcalError) throw err;
    if (deadline.signal.aborted || (err as { code?: string }).code === 'UND_ERR_CONNECT_TIMEOUT') {
      throw new FeedTimeoutError(feed, timeoutMs);
    }
    if (err instanceof UnsupportedEncodingError) throw new FeedNetworkError(feed, err.message);
    throw new FeedNetworkError(feed, networkReason(err), { cause: err });
  } finally {
    clearTimeout(timer);
    agent.destroy().catch(() => {});
  }
}
