import { TalkcalError } from '../model/errors.js';

/** A sync job that was waited for ended in failure (the message is the job's failure reason). */
export class SyncJobFailedError extends TalkcalError {
  readonly scope = 'user';

  constructor(
    readonly jobId: string,
    reason: string,
  ) {
    super(`sync job ${jobId} failed: ${reason}`);
  }
}

/** A sync was to be waited for, but no worker is alive to run it. */
export class NoWorkerError extends TalkcalError {
  readonly scope = 'app';
}

/** Kakao said the app's daily quota is used up: a sync asked for now cannot run before the reset. */
export class QuotaDeferredError extends TalkcalError {
  readonly scope = 'retryable';

  constructor(readonly resetsAt: Date) {
    super(
      `deferred until 00:00 KST (${resetsAt.toISOString()}): the app's daily Kakao quota is used up; ` +
        'scheduled syncs resume after the reset',
    );
  }
}
