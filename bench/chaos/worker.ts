import { spawnTsx, type TsxProcess, waitForLine } from '../../test/support/tsx-process.js';
import { stopChild, track } from './children.js';
import { type RssWatch, watchRss } from './rss.js';
import { lockDurationMs } from './settings.js';

// `talkcal worker` as a real process (node --import tsx src/cli/main.ts worker), its memory watched
// from /proc, killed with SIGKILL (the chaos) or stopped with SIGTERM (the end of a scenario).

export interface ChaosWorker {
  pid: number;
  proc: TsxProcess;
  /** Milliseconds from spawn to "worker ready". */
  readyMs: number;
  rss: RssWatch;
  /** Set when the harness killed it at the memory ceiling. */
  killedAtCeilingMb?: number;
  alive(): boolean;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

export interface WorkerOptions {
  concurrency?: number;
  /** `--lock-duration` (default the harness's short one, for fast takeovers after a kill). */
  lockDurationMs?: number;
  /** The harness SIGKILLs the worker past this resident size (a runaway must not take the machine). */
  ceilingMb?: number;
  /** Variables over the scope's (e.g. NODE_OPTIONS with a heap cap, as the image sets it). */
  env?: Record<string, string>;
}

export async function startWorker(
  env: Record<string, string>,
  options: WorkerOptions = {},
): Promise<ChaosWorker> {
  const started = Date.now();
  const proc = spawnTsx(
    [
      'src/cli/main.ts',
      'worker',
      '--lock-duration',
      String(options.lockDurationMs ?? lockDurationMs),
      '--concurrency',
      String(options.concurrency ?? 5),
    ],
    { ...env, ...options.env },
  );
  track(proc.child);
  await waitForLine(proc, 'worker ready', 60_000);
  const pid = proc.child.pid ?? 0;
  const worker: ChaosWorker = {
    pid,
    proc,
    readyMs: Date.now() - started,
    rss: watchRss(pid, 50, options.ceilingMb ?? 3072, (mb) => {
      worker.killedAtCeilingMb = mb;
      proc.child.kill('SIGKILL');
    }),
    alive: () => proc.child.exitCode === null && proc.child.signalCode === null,
    async kill9() {
      worker.rss.stop();
      await stopChild(proc.child, 'SIGKILL');
    },
    async stop() {
      worker.rss.stop();
      await stopChild(proc.child, 'SIGTERM', 5000);
    },
  };
  return worker;
}
