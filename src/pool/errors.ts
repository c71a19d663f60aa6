import { TalkcalError } from '../model/errors.js';

// Why a link's parsing or translation on a translation thread was stopped. Each names the bound
// (a `limits` key) so the person who runs the daemon knows what was too big. Scope 'user': the
// link fails and backs off; the user's other links and every other user go on.

/** A translation stopped at a `limits` bound: what it was, the key, and the limit with its unit. */
abstract class TranslationLimitError extends TalkcalError {
  readonly scope = 'user';

  constructor(what: string, exceeded: string) {
    super(`${what} ${exceeded} and was stopped: simplify the calendar or raise the limit`);
  }
}

export class TranslationTimeoutError extends TranslationLimitError {
  constructor(
    readonly what: string,
    readonly limitMs: number,
  ) {
    super(what, `took longer than limits.translateTimeoutMs (${limitMs} ms)`);
  }
}

export class TranslationMemoryError extends TranslationLimitError {
  constructor(
    readonly what: string,
    readonly limitMb: number,
  ) {
    super(what, `needed more than limits.translateMemoryMb (${limitMb} MB)`);
  }
}

/** A translation thread failed for another reason (the thread died, or a translator bug). */
export class TranslationFailedError extends TalkcalError {
  readonly scope = 'user';

  constructor(
    readonly what: string,
    detail: string,
  ) {
    super(`${what} failed on its translation thread: ${detail}`);
  }
}
