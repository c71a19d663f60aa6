// The sync queue's one job kind and its ids. Custom BullMQ ids may be neither integers nor contain
// ':', and Kakao user ids are integers, hence the `user-` prefix.

export const syncQueueName = 'sync';
/**
 * Syncs someone asked for (CLI, HTTP, dry runs), served by slots of their own
 * (`worker.manualConcurrency`), so a backlog of them never holds back scheduled polls.
 */
export const manualQueueName = 'sync-manual';
/** First syncs of new users, served by their own share of worker slots (admission.ts). */
export const admissionQueueName = 'sync-admission';
export const syncJobName = 'sync';

export interface SyncJobData {
  userId: string;
  /** Started by a person (CLI, HTTP) rather than the schedule. */
  manual: boolean;
  dryRun?: boolean;
  force?: boolean;
  /** A new user's first sync, from the admission queue. */
  admission?: boolean;
}

/** Progress reported while a job runs. */
export interface SyncJobProgress {
  phase: string;
  done: number;
  total: number;
}

export const userJobId = (userId: string): string => `user-${userId}`;
export const dryRunJobId = (userId: string, at: number): string => `dry-${userId}-${at}`;
export const admissionJobId = (userId: string): string => `admit-${userId}`;
export const schedulerIdOf = (userId: string): string => `user-${userId}`;
/** The id BullMQ gives a scheduler's run due at `next` (epoch ms). */
export const nextScheduledJobId = (userId: string, next: number): string =>
  `repeat:${schedulerIdOf(userId)}:${next}`;

/** BullMQ priority of scheduled polls (lower runs first; a job without one runs before them). */
export const scheduledPriority = 10;
