import { type BackoffPolicy, backoffDelay } from './backoff.js';
import {
  KakaoAppKeyError,
  KakaoConnectionError,
  type KakaoError,
  type KakaoErrorDetails,
  KakaoHttpError,
  KakaoNotFoundError,
  KakaoOAuthError,
  KakaoOutcomeUnknownError,
  KakaoTokenError,
  kakaoErrorFromBody,
} from './errors.js';
import { formContentType, type Params, toSearchParams } from './form.js';
import type { CallListener, CallOutcome, CallRecord, KakaoCallStats } from './stats.js';

// The one place that talks HTTP to Kakao: URL building, the documented wire format, timeouts,
// error mapping, retries with backoff, and per-attempt accounting.

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

export interface KakaoRequest {
  /** Stable endpoint name, e.g. 'events.create'. */
  endpoint: string;
  method: HttpMethod;
  /** 'api' = Talk Calendar host (counts against the quota), 'auth' = OAuth host. */
  host: 'api' | 'auth';
  /** Path on the host, e.g. '/v2/api/calendar/events'; ignored when `url` is given. */
  path: string;
  /** A complete, already-vetted URL (a mapped after_url). */
  url?: string;
  /** Query parameters for GET/DELETE, form fields for POST. */
  params?: Params;
  /** Authorization header value; absent for OAuth grants (credentials are in the form). */
  authorization?: string;
  /** Which credential the call uses: an invalid admin key is an app problem, not a user one. */
  credential: 'user' | 'admin' | 'none';
  /**
   * The call must not be repeated once it may have reached the server (creates; a single-use
   * authorization code). Such calls end in KakaoOutcomeUnknownError instead of a blind retry.
   */
  unsafeToRepeat?: boolean;
  /** The caller refreshes the token and repeats the call after a -401 (recorded as 'retried'). */
  repeatsAfterTokenRefresh?: boolean;
  /** This is that repeat: the same call, sent again with the refreshed token. */
  afterTokenRefresh?: boolean;
  /** POST `params` as a JSON document rather than a form (Talk Channel customer files). */
  jsonBody?: boolean;
  /** A Talk Channel call: sent to the API host but outside the Talk Calendar daily quota. */
  outsideCalendarQuota?: boolean;
}

/**
 * Called before each HTTP request to the API host (every attempt, every page, every repeat), and
 * awaited: the daemon charges it to the quota governor, which may make it wait for the rate. What
 * it returns is recorded as the request's purpose.
 */
export type BeforeRequest = (request: {
  endpoint: string;
  attempt: number;
  afterTokenRefresh: boolean;
}) => Promise<string | undefined>;

export interface TransportOptions {
  apiBaseUrl: string;
  authBaseUrl: string;
  timeoutMs: number;
  retry: BackoffPolicy & { maxAttempts: number };
  fetch?: typeof fetch;
  stats: KakaoCallStats;
  onCall?: CallListener;
  beforeRequest?: BeforeRequest;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  maxResponseBytes?: number;
}

/** Default largest answer read (a 1000-event page is about 1 MB); bigger ones are refused unread. */
export const defaultMaxResponseBytes = 32 * 1024 * 1024;

/** Errors from the socket layer that prove the request never left this machine. */
const notSentCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export class KakaoTransport {
  private readonly fetch: typeof fetch;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly maxResponseBytes: number;

  constructor(private readonly options: TransportOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.maxResponseBytes = options.maxResponseBytes ?? defaultMaxResponseBytes;
  }

  get apiBaseUrl(): string {
    return this.options.apiBaseUrl;
  }

  async send<T>(req: KakaoRequest): Promise<T> {
    const maxAttempts = Math.max(1, this.options.retry.maxAttempts);
    for (let attempt = 1; ; attempt++) {
      const purpose =
        req.host === 'api'
          ? await this.options.beforeRequest?.({
              endpoint: req.endpoint,
              attempt,
              afterTokenRefresh: req.afterTokenRefresh === true,
            })
          : undefined;
      const started = performance.now();
      const result = await this.attempt(req);
      const durationMs = performance.now() - started;
      const { status, code } = result;
      const counts = req.host === 'api' && req.outsideCalendarQuota !== true && result.sent;
      const record = (outcome: CallOutcome) =>
        this.record(req, { status, code, outcome, durationMs, attempt, counts, purpose });

      if (result.kind === 'ok') {
        record('success');
        return result.body as T;
      }
      const retryable = result.kind === 'dropped' || isRetryable(status, code);
      const answeredUnreadably = status >= 200 && status < 300;
      if (
        req.unsafeToRepeat &&
        result.sent &&
        ((retryable && !provesNotProcessed(status, code)) || answeredUnreadably)
      ) {
        record('failed');
        throw new KakaoOutcomeUnknownError(
          { status, code, msg: result.error?.msg, endpoint: req.endpoint },
          `${req.endpoint}: outcome unknown (${result.kind === 'dropped' ? result.reason : `HTTP ${status} code ${code}`}); verify before repeating`,
          { cause: result.error ?? result.cause },
        );
      }
      if (retryable && attempt < maxAttempts) {
        record('retried');
        const jitter = backoffDelay(attempt, this.options.retry, this.options.random);
        const asked = result.kind === 'error' ? (result.retryAfterMs ?? 0) : 0;
        await this.sleep(Math.max(jitter, Math.min(asked, this.options.retry.maxDelayMs)));
        continue;
      }
      const refreshFollows = req.repeatsAfterTokenRefresh === true && code === -401;
      record(refreshFollows ? 'retried' : 'failed');
      if (result.kind === 'dropped') {
        throw new KakaoConnectionError(
          { status: 0, endpoint: req.endpoint },
          `${req.endpoint}: ${result.reason} after ${attempt} attempt(s)`,
          { cause: result.cause },
        );
      }
      throw result.error;
    }
  }

  private url(req: KakaoRequest): string {
    const base = req.host === 'api' ? this.options.apiBaseUrl : this.options.authBaseUrl;
    const url = req.url ? new URL(req.url) : new URL(base.replace(/\/+$/, '') + req.path);
    if (req.method !== 'POST') {
      for (const [k, v] of toSearchParams(req.params)) url.searchParams.append(k, v);
    }
    return url.href;
  }

  private async attempt(req: KakaoRequest): Promise<AttemptResult> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (req.authorization) headers['authorization'] = req.authorization;
    let body: string | undefined;
    if (req.method === 'POST' && req.jsonBody) {
      headers['content-type'] = 'application/json;charset=utf-8';
      body = JSON.stringify(req.params ?? {});
    } else if (req.method === 'POST') {
      headers['content-type'] = formContentType;
      body = toSearchParams(req.params).toString();
    }
    let status: number;
    let text: string | undefined;
    let retryAfterMs: number | undefined;
    try {
      const res = await this.fetch(this.url(req), {
        method: req.method,
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      status = res.status;
      retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), this.now());
      text = await readCapped(res, this.maxResponseBytes);
    } catch (cause) {
      const sent = maySentRequest(cause);
      const reason = isTimeout(cause) ? `no answer within ${this.options.timeoutMs} ms` : 'connection failed';
      return { kind: 'dropped', status: 0, code: undefined, sent, reason, cause };
    }
    let parsed: unknown;
    try {
      parsed = text === undefined ? undefined : text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const details: KakaoErrorDetails = { status, endpoint: req.endpoint };
    if (status >= 200 && status < 300) {
      if (parsed === undefined || typeof parsed !== 'object' || parsed === null) {
        const error = new KakaoHttpError(
          details,
          text === undefined
            ? `${req.endpoint}: HTTP ${status} with a body over ${this.maxResponseBytes} bytes`
            : `${req.endpoint}: HTTP ${status} with a body that is not JSON`,
        );
        return { kind: 'error', status, code: undefined, sent: true, error };
      }
      return { kind: 'ok', status, code: undefined, sent: true, body: parsed };
    }
    const error = this.toError(req, details, isRecord(parsed) ? parsed : {});
    return { kind: 'error', status, code: error.code, sent: true, error, retryAfterMs };
  }

  private toError(req: KakaoRequest, details: KakaoErrorDetails, body: Record<string, unknown>): KakaoError {
    if (typeof body['code'] === 'number') {
      const full = {
        ...details,
        code: body['code'],
        msg: typeof body['msg'] === 'string' ? body['msg'] : undefined,
      };
      if (full.code === -401 && req.credential === 'admin') return new KakaoAppKeyError(full);
      return kakaoErrorFromBody(full, body, this.now());
    }
    if (typeof body['error'] === 'string') {
      const description =
        typeof body['error_description'] === 'string' ? body['error_description'] : undefined;
      const full = { ...details, msg: description };
      if (body['error'] === 'invalid_grant') {
        return new KakaoTokenError(
          full,
          `${req.endpoint}: OAuth grant refused (${description ?? 'invalid_grant'})`,
        );
      }
      const errorCode = typeof body['error_code'] === 'string' ? body['error_code'] : undefined;
      return new KakaoOAuthError(full, body['error'], description, errorCode);
    }
    if (details.status === 404) return new KakaoNotFoundError(details);
    return new KakaoHttpError(details);
  }

  private record(
    req: KakaoRequest,
    a: {
      status: number;
      code: number | undefined;
      outcome: CallOutcome;
      durationMs: number;
      attempt: number;
      counts: boolean;
      purpose: string | undefined;
    },
  ): void {
    const record: CallRecord = {
      endpoint: req.endpoint,
      method: req.method,
      status: a.status,
      code: a.code,
      outcome: a.outcome,
      durationMs: a.durationMs,
      attempt: a.attempt,
      countsAgainstQuota: a.counts,
      ...(a.purpose !== undefined ? { purpose: a.purpose } : {}),
    };
    this.options.stats.record(record);
    this.options.onCall?.(record);
  }
}

type AttemptResult =
  | {
      kind: 'ok';
      status: number;
      code: undefined;
      sent: true;
      body: unknown;
      error?: undefined;
      cause?: undefined;
    }
  | {
      kind: 'error';
      status: number;
      code: number | undefined;
      sent: true;
      error: KakaoError;
      cause?: undefined;
      /** From a Retry-After header. */
      retryAfterMs?: number;
    }
  | {
      kind: 'dropped';
      status: 0;
      code: undefined;
      sent: boolean;
      reason: string;
      cause: unknown;
      error?: undefined;
    };

/** 5xx, 429 and Kakao's transient codes are worth another try. */
export function isRetryable(status: number, code: number | undefined): boolean {
  if (code === -1 || code === -7 || code === -603 || code === -9798) return true;
  if (code !== undefined && code !== 0 && status < 500) return false;
  return status >= 500 || status === 429;
}

/**
 * Answers that say the request was refused before being processed (maintenance, rate limit,
 * "not ready"), so even a create may be sent again. Other failures of a create (-1, -603, 500, 502,
 * 504, a dropped connection) leave its outcome unknown.
 */
export function provesNotProcessed(status: number, code: number | undefined): boolean {
  if (code === -7 || code === -9798) return true;
  if (code === -1 || code === -603) return false;
  return status === 503 || status === 429;
}

/** Retry-After as delta-seconds or an HTTP date, in ms from now; undefined when absent or unusable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The body as text, or undefined when it exceeds `cap` bytes (the rest is not downloaded). */
async function readCapped(res: Response, cap: number): Promise<string | undefined> {
  const declared = Number(res.headers.get('content-length'));
  if (declared > cap) {
    await res.body?.cancel();
    return undefined;
  }
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > cap) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function maySentRequest(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && notSentCodes.has(code)) return false;
    e = (e as { cause?: unknown }).cause;
  }
  return true;
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
