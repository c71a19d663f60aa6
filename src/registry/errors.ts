import { TalkcalError } from '../model/errors.js';

/** TALKCAL_SECRET_KEY (security.secretKeys / activeKeyId) is malformed. */
export class SecretKeyConfigError extends TalkcalError {
  readonly scope = 'app';
}

/**
 * No key is configured: whatever this process sealed could never be opened by another one, so no
 * process that seals or opens secrets starts without one (the demo makes its own and says so).
 */
export class SecretKeyMissingError extends TalkcalError {
  readonly scope = 'app';

  constructor() {
    super(
      'no secret key: set TALKCAL_SECRET_KEY to the key the daemon uses (a new one: `talkcal keys generate`)',
    );
  }
}

/** Redis does not answer at the configured address. */
export class RedisUnavailableError extends TalkcalError {
  readonly scope = 'app';

  constructor(
    readonly target: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Redis is not answering at ${target} (${reason}): start it, or point REDIS_URL (redis.url) at a running one`,
      options,
    );
  }
}

/** A stored ciphertext names a key id that is no longer configured, or fails authentication. */
export class DecryptionError extends TalkcalError {
  readonly scope = 'app';

  constructor(
    readonly keyId: string,
    message: string,
  ) {
    super(message);
  }
}

/** No user with this id is registered. */
export class UserNotFoundError extends TalkcalError {
  readonly scope = 'user';

  constructor(readonly userId: string) {
    super(`user ${userId} is not registered`);
  }
}

/** No link with this id exists for the user. */
export class LinkNotFoundError extends TalkcalError {
  readonly scope = 'user';

  constructor(
    readonly userId: string,
    readonly linkId: string,
  ) {
    super(`link ${linkId} of user ${userId} does not exist`);
  }
}

/** Kakao allows a service three sub-calendars per user; a fourth new one is refused up front. */
export class SubCalendarLimitError extends TalkcalError {
  readonly scope = 'user';

  constructor(
    readonly userId: string,
    readonly limit: number,
  ) {
    super(
      `user ${userId} already has ${limit} links that create their own sub-calendar; Kakao allows a ` +
        `service at most ${limit} sub-calendars per user — point the new link at an existing calendar instead`,
    );
  }
}

/** A registry input (user or link body) failed validation. */
export class InvalidRegistryInputError extends TalkcalError {
  readonly scope = 'item';
}

/** A listing's `limit` or `cursor` is not one the daemon accepts (the message says which bound). */
export class InvalidPageRequestError extends TalkcalError {
  readonly scope = 'item';
}
