import { type ErrorScope, TalkcalError } from '../model/errors.js';

// One class per way a Kakao call can fail. Callers act on the class (and its `scope`), never on
// `msg`: Kakao's messages vary between APIs and are not a contract.

export interface KakaoErrorDetails {
  /** HTTP status, 0 when no response was received. */
  status: number;
  /** Kakao error code (negative integer) when the body carried one. */
  code?: number;
  msg?: string;
  /** Stable endpoint name such as 'events.create'. */
  endpoint: string;
}

export abstract class KakaoError extends TalkcalError {
  readonly status: number;
  readonly code: number | undefined;
  readonly msg: string | undefined;
  readonly endpoint: string;

  constructor(details: KakaoErrorDetails, message?: string, options?: { cause?: unknown }) {
    super(
      message ??
        `${details.endpoint}: HTTP ${details.status}` +
          (details.code !== undefined ? ` code ${details.code}` : '') +
          (details.msg ? ` (${details.msg})` : ''),
      options,
    );
    this.status = details.status;
    this.code = details.code;
    this.msg = details.msg;
    this.endpoint = details.endpoint;
  }
}

/** -1: internal error while processing. */
export class KakaoInternalError extends KakaoError {
  readonly scope = 'retryable';
}
/** -2: missing, ill-typed or out-of-range parameter. */
export class KakaoInvalidRequestError extends KakaoError {
  readonly scope = 'item';
}
/** -3: a feature, consent item or API permission is not set up for the app. */
export class KakaoNotSetUpError extends KakaoError {
  readonly scope = 'app';
}
/** -4: the user's account is restricted. */
export class KakaoAccountRestrictedError extends KakaoError {
  readonly scope = 'user';
}
/** -5: the app has no permission for this API. */
export class KakaoPermissionError extends KakaoError {
  readonly scope = 'app';
}
/** -6: the service does not allow this action (e.g. editing another app's event). */
export class KakaoNotAllowedError extends KakaoError {
  readonly scope = 'item';
}
/** -7 and -9798: maintenance or an internal problem; try later. */
export class KakaoMaintenanceError extends KakaoError {
  readonly scope = 'retryable';
}
/** -8: invalid header — a bug in this client. */
export class KakaoHeaderError extends KakaoError {
  readonly scope = 'app';
}
/** -9: the API has been retired. */
export class KakaoRetiredApiError extends KakaoError {
  readonly scope = 'app';
}
/** -10 (quota) and -11 (paid-API spending limit): stop calling until the quota resets. */
export class KakaoQuotaError extends KakaoError {
  readonly scope = 'app';
  /** Epoch ms of the next midnight in Korea, when Kakao's daily quotas reset. */
  readonly resetsAt: number;

  constructor(details: KakaoErrorDetails, now: number) {
    super(details);
    this.resetsAt = nextMidnightKst(now);
  }
}
/** -12: the app or developer account is sanctioned. */
export class KakaoSanctionedError extends KakaoError {
  readonly scope = 'app';
}
/** The user's tokens are unusable: -401 after a failed refresh, or the refresh grant was refused. */
export class KakaoTokenError extends KakaoError {
  readonly scope = 'user';
}
/** -402: the user has not consented to a scope the API needs. */
export class KakaoScopeError extends KakaoError {
  readonly scope = 'user';
  constructor(
    details: KakaoErrorDetails,
    readonly requiredScopes: string[],
    readonly allowedScopes: string[],
  ) {
    super(details);
  }
}
/** -501: the user is not (or no longer) a Kakao Talk user. */
export class KakaoNotTalkUserError extends KakaoError {
  readonly scope = 'user';
}
/** -603: internal timeout inside Kakao. */
export class KakaoTimeoutError extends KakaoError {
  readonly scope = 'retryable';
}
/** -903: the app key belongs to an unregistered developer. */
export class KakaoUnregisteredDeveloperError extends KakaoError {
  readonly scope = 'app';
}
/** -401 on an admin-key call: the configured admin key is wrong or deactivated. */
export class KakaoAppKeyError extends KakaoError {
  readonly scope = 'app';
}
/** The event, task or calendar does not exist (or no longer exists) for this user. */
export class KakaoNotFoundError extends KakaoError {
  readonly scope = 'item';
}
/**
 * A create whose request may have reached Kakao failed without a definite answer (dropped
 * connection, timeout after sending, -603, a 5xx). The item may exist: verify before creating again.
 * Never retried by the client.
 */
export class KakaoOutcomeUnknownError extends KakaoError {
  readonly scope = 'retryable';
}
/** No usable answer: connection refused/dropped or client timeout (after the retries). */
export class KakaoConnectionError extends KakaoError {
  readonly scope = 'retryable';
}
/** An unexpected HTTP status or an unparseable body. 5xx and 429 are retryable. */
export class KakaoHttpError extends KakaoError {
  readonly scope: ErrorScope;
  constructor(details: KakaoErrorDetails, message?: string) {
    super(details, message);
    this.scope = details.status >= 500 || details.status === 429 ? 'retryable' : 'app';
  }
}
/**
 * The OAuth host answered an error in the OAuth form (other than a refused grant). Kakao's token
 * issuance limit (KOE237) passes with time; other OAuth errors are app configuration problems.
 */
export class KakaoOAuthError extends KakaoError {
  readonly scope: ErrorScope;
  constructor(
    details: KakaoErrorDetails,
    readonly error: string,
    readonly errorDescription?: string,
    readonly errorCode?: string,
  ) {
    super(
      details,
      `${details.endpoint}: OAuth error ${error}${errorCode ? ` ${errorCode}` : ''}${errorDescription ? ` (${errorDescription})` : ''}`,
    );
    this.scope = errorCode === 'KOE237' ? 'retryable' : 'app';
  }
}
/** A pagination URL pointed outside the configured API origin; it is never followed. */
export class KakaoForeignUrlError extends KakaoError {
  readonly scope = 'app';
}
/**
 * An admin-key or REST-API-key call while that key is not configured: refused before anything is
 * sent (Kakao would answer -401 and count the call).
 */
export class KakaoAppKeyMissingError extends KakaoError {
  readonly scope = 'app';
  constructor(
    endpoint: string,
    readonly key: 'adminKey' | 'restApiKey',
  ) {
    super({ status: 0, endpoint }, `${endpoint}: kakao.${key} is not configured; set it to call this API`);
  }
}
/** The caller passed an argument the API cannot accept (e.g. a list window over 31 days). */
export class KakaoArgumentError extends KakaoError {
  readonly scope = 'app';
}

const dayMs = 86_400_000;
const kstOffsetMs = 9 * 3_600_000;

/** Korea has no daylight saving time: midnight KST is always 15:00 UTC. */
export function nextMidnightKst(now: number): number {
  return Math.floor((now + kstOffsetMs) / dayMs) * dayMs + dayMs - kstOffsetMs;
}

const notFoundMsg = /not\s*found|not\s*exist|does\s*not\s*exist|no\s*such|unknown\s*(event|task|calendar)/i;

/** Maps a Kakao error answer (`{code, msg}` body) to its typed error. */
export function kakaoErrorFromBody(
  details: KakaoErrorDetails,
  body: Record<string, unknown>,
  now: number,
): KakaoError {
  const { code, status, msg } = details;
  if (status === 404 || ((code === -2 || code === -6) && msg !== undefined && notFoundMsg.test(msg))) {
    return new KakaoNotFoundError(details);
  }
  switch (code) {
    case -1:
      return new KakaoInternalError(details);
    case -2:
      return new KakaoInvalidRequestError(details);
    case -3:
      return new KakaoNotSetUpError(details);
    case -4:
      return new KakaoAccountRestrictedError(details);
    case -5:
      return new KakaoPermissionError(details);
    case -6:
      return new KakaoNotAllowedError(details);
    case -7:
    case -9798:
      return new KakaoMaintenanceError(details);
    case -8:
      return new KakaoHeaderError(details);
    case -9:
      return new KakaoRetiredApiError(details);
    case -10:
    case -11:
      return new KakaoQuotaError(details, now);
    case -12:
      return new KakaoSanctionedError(details);
    case -401:
      return new KakaoTokenError(details);
    case -402:
      return new KakaoScopeError(
        details,
        stringList(body['required_scopes']),
        stringList(body['allowed_scopes']),
      );
    case -501:
      return new KakaoNotTalkUserError(details);
    case -603:
      return new KakaoTimeoutError(details);
    case -903:
      return new KakaoUnregisteredDeveloperError(details);
    default:
      return new KakaoHttpError(details);
  }
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
