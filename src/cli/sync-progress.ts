import type { QueueEvents } from 'bullmq';
import type { SyncJobProgress } from '../queue/jobs.js';

// The progress bar of `talkcal sync --wait` on a terminal (stderr), fed by the queue's progress
// events of this user's jobs. Nothing is drawn for --json or when stderr is not a terminal.

export interface SyncProgress {
  stop(): void;
}

/** Job ids of a user's syncs: user-<id>, dry-<id>-<t>, or a scheduled repeat:user-<id>:<t>. */
export function isJobOf(userId: string, jobId: string): boolean {
  return (
    jobId === `user-${userId}` ||
    jobId.startsWith(`dry-${userId}-`) ||
    jobId.startsWith(`repeat:user-${userId}:`)
  );
}

export async function showSyncProgress(
  events: QueueEvents,
  userId: string,
  draw: boolean,
): Promise<SyncProgress> {
  if (!draw) return { stop() {} };
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar(
    { format: ' {phase} [{bar}] {value}/{total}', stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  bar.start(1, 0, { phase: 'queued' });
  const onProgress = ({ jobId, data }: { jobId: string; data: unknown }) => {
    if (!isJobOf(userId, jobId)) return;
    const p = data as Partial<SyncJobProgress>;
    if (typeof p.total === 'number') bar.setTotal(Math.max(1, p.total));
    bar.update(typeof p.done === 'number' ? p.done : 0, { phase: p.phase ?? 'sync' });
  };
  events.on('progress', onProgress);
  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      events.off('progress', onProgress);
      bar.stop();
    },
  };
}
