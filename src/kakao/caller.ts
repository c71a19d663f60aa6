import { resolveAfterUrl } from './after-url.js';
import { KakaoHttpError, KakaoOutcomeUnknownError } from './errors.js';
import type { Params } from './form.js';
import type { HttpMethod } from './http.js';

// What the resource modules need: one authenticated call on the API host. The user client
// (Bearer token, refresh on -401) and the admin client (KakaoAK) implement it.

export interface ApiCall {
  endpoint: string;
  method: HttpMethod;
  path: string;
  /** A vetted absolute URL (mapped after_url) used instead of `path`. */
  url?: string;
  params?: Params;
  /** Creates: never repeated once they may have reached Kakao. */
  unsafeToRepeat?: boolean;
  /** POST the params as one JSON document (Talk Channel customer files) instead of a form. */
  jsonBody?: boolean;
  /** Not a Talk Calendar call (Talk Channel API): does not draw on the Talk Calendar daily quota. */
  outsideCalendarQuota?: boolean;
}

export interface KakaoCaller {
  readonly apiBaseUrl: string;
  call<T>(req: ApiCall): Promise<T>;
}

interface Page {
  has_next?: unknown;
  after_url?: unknown;
}

/** Safety stop against a server that keeps answering has_next forever. */
const maxPages = 10_000;

/**
 * Reads every page of a list: follows `after_url` on the configured origin only; when a page says
 * has_next without after_url, `nextByOffset` (if given) builds the next request.
 */
export async function readAllPages<P extends Page>(
  caller: KakaoCaller,
  first: ApiCall,
  check: (body: unknown, endpoint: string) => P,
  nextByOffset?: (page: P, previous: ApiCall) => ApiCall | undefined,
): Promise<P[]> {
  const pages: P[] = [];
  const seen = new Set<string>();
  let req: ApiCall | undefined = first;
  while (req) {
    const page = check(await caller.call<unknown>(req), req.endpoint);
    pages.push(page);
    if (page.has_next !== true) break;
    if (typeof page.after_url === 'string' && page.after_url !== '') {
      const url = resolveAfterUrl(page.after_url, caller.apiBaseUrl, req.endpoint);
      req = { endpoint: req.endpoint, method: 'GET', path: req.path, url };
    } else {
      req = nextByOffset?.(page, req);
      if (!req) throw bad(first.endpoint, 'has_next without after_url');
    }
    const key = req.url ?? JSON.stringify(req.params);
    if (seen.has(key) || pages.length >= maxPages) throw bad(first.endpoint, 'pagination does not advance');
    seen.add(key);
  }
  return pages;
}

export function bad(endpoint: string, what: string): KakaoHttpError {
  return new KakaoHttpError({ status: 200, endpoint }, `${endpoint}: unexpected answer: ${what}`);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The id field of a write's answer. For a create, an answer without it leaves the outcome unknown. */
export function idFrom(body: unknown, field: string, endpoint: string, create = false): string {
  const value = isObject(body) ? body[field] : undefined;
  if (typeof value === 'string' && value !== '') return value;
  if (create) {
    throw new KakaoOutcomeUnknownError(
      { status: 200, endpoint },
      `${endpoint}: answer lacks ${field}; outcome unknown`,
    );
  }
  throw bad(endpoint, `no ${field}`);
}

/** Writes on recurring events answer 200 without a body: the id is then absent. */
export function optionalIdFrom(body: unknown, field: string, endpoint: string): string | undefined {
  const value = isObject(body) ? body[field] : undefined;
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  throw bad(endpoint, `${field} is not a string`);
}

/** Checks that `time` looks like a Kakao time object (start_at/end_at strings). */
export function isKakaoTime(value: unknown): boolean {
  return isObject(value) && typeof value['start_at'] === 'string' && typeof value['end_at'] === 'string';
}
