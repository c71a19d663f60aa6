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
