import { TalkcalError } from '../model/errors.js';
import { formatCount } from '../translate/limits.js';

// Failures every Storage backend can report; the sync engine reacts to the class, not the message.

/** The item changed underneath (If-Match failed): re-read and re-plan, never overwrite blindly. */
export class PreconditionFailedError extends TalkcalError {
  readonly scope = 'item';

  constructor(
    readonly href: string,
    readonly etag: string,
    readonly origin: string,
  ) {
    super(`${href} in ${origin} changed since version ${etag}: re-read it and plan again`);
  }
}

/** A create hit an href that already holds an item (If-None-Match: * failed). */
export class ItemExistsError extends TalkcalError {
  readonly scope = 'item';

  constructor(
    readonly href: string,
    readonly origin: string,
  ) {
    super(`${href} already exists in ${origin}: read it and update it instead of creating it`);
  }
}

/** A write was attempted on a storage that only reads (an ICS feed, a read-only collection). */
export class ReadOnlyStorageError extends TalkcalError {
  readonly scope = 'user';

  constructor(readonly origin: string) {
    super(`${origin} is read-only: the link cannot write back to it`);
  }
}

/**
 * A source holds more than a configured bound allows (config `limits`): the link fails and its
 * Kakao state is kept, so one oversized calendar never costs every other user its share.
 */
export class SourceLimitError extends TalkcalError {
  readonly scope = 'user';

  constructor(
    /** The config key that decided, e.g. "limits.maxItemsPerSource". */
    readonly limit: string,
    readonly max: number,
    readonly actual: number,
    /** What holds them: "the feed", "the CalDAV collection". */
    where = 'the feed',
  ) {
    super(
      `${where} has ${formatCount(actual)} calendar objects; ${limit} is ${formatCount(max)}: split the calendar or raise the limit`,
    );
  }
}
