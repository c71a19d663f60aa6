// One class per way reading a published ICS feed can fail. Every message names the feed with its
// credentials stripped; the sync engine keeps the previous snapshot whatever the failure.

import { safeUrl } from '../../log.js';
import { type ErrorScope, TalkcalError } from '../../model/errors.js';

/** Subclasses without their own constructor take (feed, reason, options?) as they are. */
abstract class FeedError extends TalkcalError {
  /** The feed URL, credentials stripped. */
  readonly feed: string;

  constructor(feed: string, what: string, options?: { cause?: unknown }) {
    const shown = safeUrl(feed);
    super(`ICS feed ${shown}: ${what}`, options);
    this.feed = shown;
  }
}

/** The server answered with an error status. 5xx and 429 are worth retrying; other 4xx need the user. */
export class FeedHttpError extends FeedError {
  readonly scope: ErrorScope;

  constructor(
    feed: string,
    readonly status: number,
  ) {
    super(feed, `the server answered HTTP ${status}${status === 404 ? ' (is the feed URL right?)' : ''}`);
    this.scope = status >= 500 || status === 429 || status === 408 ? 'retryable' : 'user';
  }
}

export class FeedTooLargeError extends FeedError {
  readonly scope = 'user';

  constructor(
    feed: string,
    readonly maxBytes: number,
  ) {
    super(feed, `the feed is larger than the ${maxBytes}-byte limit (sources.ics.maxBytes)`);
  }
}

export class FeedTimeoutError extends FeedError {
  readonly scope = 'retryable';

  constructor(
    feed: string,
    readonly timeoutMs: number,
  ) {
    super(feed, `no complete answer within ${timeoutMs} ms`);
  }
}

/** Too many redirects, or a redirect to a scheme other than http(s). */
export class FeedRedirectError extends FeedError {
  readonly scope = 'user';
}

/** The SSRF guard refused the address (private, loopback, link-local, metadata...) of a hop. */
export class FeedBlockedAddressError extends FeedError {
  readonly scope = 'user';

  constructor(
    feed: string,
    readonly host: string,
    readonly reason: string,
  ) {
    super(
      feed,
      `refusing to connect to ${host}: ${reason} (if intended, allow it in sources.allowHosts, ` +
        `e.g. TALKCAL_SOURCES__ALLOW_HOSTS='["${host}"]')`,
    );
  }
}

/** The URL itself is not one we read (not http/https/webcal, or unparseable). */
export class FeedUrlError extends FeedError {
  readonly scope = 'user';
}

/** The body is not an iCalendar file (e.g. an HTML error page sent with status 200). */
export class NotACalendarError extends FeedError {
  readonly scope = 'user';

  constructor(
    feed: string,
    readonly contentType: string | undefined,
  ) {
    super(
      feed,
      `the body is not an iCalendar file (no BEGIN:VCALENDAR, VEVENT or VTODO; content-type ${contentType ?? 'none'})`,
    );
  }
}

/** The calendar cannot be used as a whole (e.g. cut off mid-transfer): nothing is taken from it. */
export class FeedParseError extends FeedError {
  readonly scope = 'retryable';

  constructor(
    feed: string,
    readonly line: number,
    reason: string,
  ) {
    super(feed, `${reason} (line ${line})`);
  }
}

/** Connection refused or reset, DNS failure, TLS failure, broken compression. */
export class FeedNetworkError extends FeedError {
  readonly scope = 'retryable';
}

/** A write was attempted on a read-only source (a feed): a bug in the caller. */
export class ReadOnlyStorageError extends TalkcalError {
  readonly scope = 'app';

  constructor(description: string, operation: string) {
    super(`${description} is read-only: ${operation} is not possible`);
  }
}
