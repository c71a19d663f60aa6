import { safeUrl } from '../../log.js';
import { TalkcalError } from '../../model/errors.js';

// One class per way a CalDAV server can fail us. Every message names the URL with credentials
// stripped, so errors can be logged and shown in a link's status as they are.

/** The server refused our credentials (401, or 403 on discovery). */
export class CaldavAuthError extends TalkcalError {
  readonly scope = 'user';
  readonly url: string;

  constructor(
    url: string,
    readonly status: number,
  ) {
    super(
      `CalDAV server refused the credentials (HTTP ${status}) at ${safeUrl(url)}: check the username and password or token`,
    );
    this.url = safeUrl(url);
  }
}

/** The server could not be reached or did not answer within the timeout. */
export class CaldavUnreachableError extends TalkcalError {
  readonly scope = 'retryable';
  readonly url: string;

  constructor(url: string, reason: string, options?: { cause?: unknown }) {
    super(`CalDAV server unreachable at ${safeUrl(url)}: ${reason}`, options);
    this.url = safeUrl(url);
  }
}

/** The server answered 5xx or 429: try again later. */
export class CaldavServerError extends TalkcalError {
  readonly scope = 'retryable';
  readonly url: string;

  constructor(
    url: string,
    readonly status: number,
    method: string,
  ) {
    super(`CalDAV server failed ${method} ${safeUrl(url)} with HTTP ${status}`);
    this.url = safeUrl(url);
  }
}

/** The server rejected a request with a status we have no specific meaning for (4xx). */
export class CaldavRequestRejectedError extends TalkcalError {
  readonly scope = 'user';
  readonly url: string;

  constructor(
    url: string,
    readonly status: number,
    method: string,
  ) {
    super(`CalDAV server rejected ${method} ${safeUrl(url)} with HTTP ${status}`);
    this.url = safeUrl(url);
  }
}

/** The collection itself is gone (404/410 on the collection URL). */
export class CaldavCollectionNotFoundError extends TalkcalError {
  readonly scope = 'user';
  readonly url: string;

  constructor(url: string) {
    super(
      `CalDAV collection not found at ${safeUrl(url)}: it was deleted or moved; pick the collection again`,
    );
    this.url = safeUrl(url);
  }
}

/** The answer is not what the protocol promises: bad XML, no multistatus, hrefs without ETags. */
export class CaldavMalformedResponseError extends TalkcalError {
  readonly scope = 'retryable';
  readonly url: string;

  constructor(url: string, problem: string) {
    super(`CalDAV server sent a malformed response for ${safeUrl(url)}: ${problem}`);
    this.url = safeUrl(url);
  }
}

/** An answer larger than the configured bound: refused rather than read into memory. */
export class CaldavResponseTooLargeError extends TalkcalError {
  readonly scope = 'user';
  readonly url: string;

  constructor(url: string, method: string, maxBytes: number) {
    super(`CalDAV answer to ${method} ${safeUrl(url)} is larger than ${maxBytes} bytes: refused`);
    this.url = safeUrl(url);
  }
}

/** One object's body is not an iCalendar object of the expected kind: skip that item. */
export class CaldavNotCalendarDataError extends TalkcalError {
  readonly scope = 'item';
  readonly url: string;

  constructor(
    url: string,
    readonly href: string,
    problem: string,
  ) {
    super(`CalDAV object ${href} in ${safeUrl(url)} is not usable calendar data: ${problem}`);
    this.url = safeUrl(url);
  }
}

/** Discovery found no principal, calendar home or calendar collection. */
export class CaldavDiscoveryError extends TalkcalError {
  readonly scope = 'user';
  readonly url: string;

  constructor(url: string, problem: string, options?: { cause?: unknown }) {
    super(`CalDAV discovery failed at ${safeUrl(url)}: ${problem}`, options);
    this.url = safeUrl(url);
  }
}

/** The stored sync-token is no longer accepted (RFC 6578 valid-sync-token): read everything again. */
export class CaldavSyncTokenInvalidError extends TalkcalError {
  readonly scope = 'retryable';
  readonly url: string;

  constructor(url: string) {
    super(`CalDAV server no longer accepts the stored sync-token for ${safeUrl(url)}`);
    this.url = safeUrl(url);
  }
}

/** An item of the other kind was handed to a storage for events (or to-dos): a caller bug. */
export class CaldavWrongKindError extends TalkcalError {
  readonly scope = 'app';

  constructor(origin: string, uid: string, kind: string) {
    super(`${origin} cannot store ${kind} ${uid}: wrong component kind for this storage`);
  }
}

/** The SSRF guard refused the server's address (loopback, private, metadata…) on some hop. */
export class CaldavBlockedAddressError extends TalkcalError {
  readonly scope = 'user';
  readonly url: string;

  constructor(
    url: string,
    readonly host: string,
    readonly reason: string,
  ) {
    super(
      `refusing to connect to ${host} for CalDAV ${safeUrl(url)}: ${reason} (allow it in sources.allowHosts if intended)`,
    );
    this.url = safeUrl(url);
  }
}

/** A request or redirect would carry the link's credentials to another origin than the configured one. */
export class CaldavCrossOriginError extends TalkcalError {
  readonly scope = 'user';
  readonly url: string;

  constructor(
    url: string,
    readonly origin: string,
    redirected: boolean,
  ) {
    const target = new URL(url).origin;
    super(
      `CalDAV ${redirected ? 'redirect' : 'request'} to ${target} refused: the credentials are only sent to ${origin}; link the collection at its URL on ${target} instead`,
    );
    this.url = safeUrl(url);
  }
}

/** Redirects that are not followed: too many, or to a scheme other than http(s). */
export class CaldavRedirectError extends TalkcalError {
  readonly scope = 'user';
  readonly url: string;

  constructor(url: string, problem: string) {
    super(`CalDAV redirect from ${safeUrl(url)} refused: ${problem}`);
    this.url = safeUrl(url);
  }
}
