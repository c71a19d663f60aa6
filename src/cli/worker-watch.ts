import { NoWorkerError } from '../queue/errors.js';

// `talkcal sync --wait` needs a worker to run the sync: without one it would wait for ever.

/** How often a waiting command checks that a worker is still alive (one CLIENT LIST each). */
const checkEveryMs = 2_000;

export interface WorkerWatch {
  /** Aborted (with a NoWorkerError) when the last worker goes away during the wait. */
  signal: AbortSignal;
  stop(): void;
}

/** Refuses at once when no worker runs; then watches for the last one to stop. */
export async function watchWorkers(count: () => Promise<number>): Promise<WorkerWatch> {
  if ((await count()) === 0)
    throw new NoWorkerError(
      'no worker is running, so nothing would run this sync: start one (`talkcal start` or ' +
        '`talkcal worker`), or drop --wait to queue the sync for later',
    );
  const controller = new AbortController();
  const timer = setInterval(() => {
    count().then(
      (n) => {
        if (n === 0)
          controller.abort(
            new NoWorkerError(
              'the last worker stopped while this sync waited; the sync stays queued for the next ' +
                'worker (`talkcal start` or `talkcal worker`)',
            ),
          );
      },
      () => {},
    );
  }, checkEveryMs);
  return { signal: controller.signal, stop: () => clearInterval(timer) };
}
