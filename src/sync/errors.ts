import { TalkcalError } from '../model/errors.js';

// Failures of the sync engine itself (Kakao and storage errors come from their own modules).

/** A deletion guard stopped the link's run: nothing is applied until the source is checked or forced. */
export abstract class DeletionGuardError extends TalkcalError {
  readonly scope = 'user';
}

/** A sync would delete too much of a link at once (e.g. a feed that suddenly answers empty). */
export class MassDeletionError extends DeletionGuardError {
  constructor(
    readonly linkId: string,
    readonly deletions: number,
    readonly mapped: number,
  ) {
    super(
      `link ${linkId}: the sync would delete ${deletions} of ${mapped} synced items; ` +
        'check the source, then sync with force to allow it',
    );
  }
}

/**
 * One side lists no item at all while the link has synced items (vdirsyncer's StorageEmpty): a feed
 * answering an empty calendar, a Talk Calendar calendar deleted. Stops the link, however few items.
 */
export class EmptySideError extends DeletionGuardError {
  constructor(
    readonly linkId: string,
    readonly side: 'source' | 'Talk Calendar',
    readonly mapped: number,
  ) {
    super(
      `link ${linkId}: the ${side} lists no item at all while ${mapped} items are synced; ` +
        `check the ${side === 'source' ? 'source' : 'Talk Calendar calendar'}, then sync with force to delete them`,
    );
  }
}

/** Another process holds the user's sync lock. */
export class SyncLockedError extends TalkcalError {
  readonly scope = 'retryable';

  constructor(readonly userId: string) {
    super(`user ${userId}: a sync is already running elsewhere; retry later`);
  }
}

/** The lock was lost (expired or taken over): this process must not commit anything more. */
export class LockLostError extends TalkcalError {
  readonly scope = 'retryable';

  constructor(readonly userId: string) {
    super(`user ${userId}: the sync lock was lost; the run stops without committing further`);
  }
}

/** resolveConflict was asked about an item without an open conflict. */
export class NoSuchConflictError extends TalkcalError {
  readonly scope = 'user';

  constructor(
    readonly linkId: string,
    readonly itemKey: string,
  ) {
    super(`link ${linkId}: item ${itemKey} has no open conflict`);
  }
}

/**
 * The day's allowance for first syncs (the budget outside the write reserve) is spent: the link's
 * first sync stops and is retried later, so new users cannot take existing users' writes.
 */
export class FirstSyncDeferredError extends TalkcalError {
  readonly scope = 'retryable';

  constructor(readonly linkId: string) {
    super(
      `link ${linkId}: its first sync waits: today's Kakao calls for first syncs are used up ` +
        "(the rest is kept for existing users' changes); it resumes when the quota allows",
    );
  }
}
