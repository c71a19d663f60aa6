import { TalkcalError } from '../model/errors.js';

// Failures of the published-feed module. An unknown, revoked or rotated token is never an error
// here: the route answers the same 404 for all of them.

/** The admin asked for a feed id the user does not have. */
export class FeedNotFoundError extends TalkcalError {
  readonly scope = 'item';

  constructor(
    readonly userId: string,
    readonly feedId: string,
  ) {
    super(`feed ${feedId} of user ${userId} does not exist (see \`talkcal feeds list ${userId}\`)`);
  }
}

/** A feed definition from the admin API or CLI failed validation. */
export class InvalidFeedInputError extends TalkcalError {
  readonly scope = 'item';
}

/** The quota governor refused the calls of a scheduled holidays refresh (the day's budget runs low). */
export class HolidayRefreshDeferredError extends TalkcalError {
  readonly scope = 'retryable';

  constructor(readonly calls: number) {
    super(`holidays refresh deferred: the quota governor refused ${calls} verification calls`);
  }
}

/** Holidays feeds are switched off in the configuration (or no admin key is set). */
export class HolidaysDisabledError extends TalkcalError {
  readonly scope = 'app';

  constructor(what: string) {
    super(`holidays feeds are off: ${what}`);
  }
}
