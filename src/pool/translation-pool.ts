// Parsing and translation of sources off the main event loop: a worker_threads pool (piscina) whose
// threads have a heap cap, and whose tasks have a time limit that counts from when a thread takes
// them (tasks wait in front of the pool, not inside it, so a queue never eats a task's time). A
// task past its limit has its thread terminated, so even a loop that never yields stops, and the
// main loop keeps renewing locks and serving other users meanwhile.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import pLimit, { type LimitFunction } from 'p-limit';
import { Piscina } from 'piscina';
import type { Config } from '../config/schema.js';
import type { SplitLimits, SplitResult } from '../sources/ics-split.js';
import type { SourceItem } from '../sources/storage.js';
import type { ItemTranslateOptions, TranslationOutcome } from '../translate/source-item.js';
import { TranslationFailedError, TranslationMemoryError, TranslationTimeoutError } from './errors.js';
import { fromWire, type PoolTask, runTask, type SplitWire } from './translation-task.js';

export type PoolLimits = Pick<
  Config['limits'],
  'translateThreads' | 'translateTimeoutMs' | 'translateMemoryMb'
>;

/** The CPU-heavy steps of reading a source; `what` names the link in errors. */
export interface SourceWork {
  /** `near`: the instant overrides past limits.maxOverridesPerSeries are ranked by (nearest kept). */
  split(text: string, what: string, limits: SplitLimits, near: number): Promise<SplitResult>;
  translate(items: SourceItem[], options: ItemTranslateOptions, what: string): Promise<TranslationOutcome[]>;
}

/** The same steps on the calling thread, unbounded in time (tests, tools, single-user runs). */
export const inProcessWork: SourceWork = {
  split: async (text, _what, limits, near) =>
    fromWire(runTask({ kind: 'split', text, limits, near }) as SplitWire),
  translate: async (items, options) => runTask({ kind: 'translate', items, options }) as TranslationOutcome[],
};

/** The task module: compiled JavaScript when built, else the TypeScript source through tsx. */
function taskModule(): { filename: string; execArgv: string[] } {
  const built = new URL('./translation-task.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return { filename: built.href, execArgv: [] };
  const source = new URL('./translation-task.ts', import.meta.url).href;
  const hasTsx = process.execArgv.some((arg) => arg.includes('tsx'));
  return { filename: source, execArgv: hasTsx ? [...process.execArgv] : ['--import', 'tsx'] };
}

export class TranslationPool implements SourceWork {
  private readonly pool: Piscina;
  private readonly admit: LimitFunction;

  constructor(private readonly limits: PoolLimits) {
    const threads = limits.translateThreads;
    this.pool = new Piscina({
      ...taskModule(),
      minThreads: threads,
      maxThreads: threads,
      // Threads never idle out: a warm thread keeps start-up time out of a task's limit.
      idleTimeout: Number.POSITIVE_INFINITY,
      resourceLimits: {
        maxOldGenerationSizeMb: limits.translateMemoryMb,
        maxYoungGenerationSizeMb: Math.min(32, Math.max(8, Math.floor(limits.translateMemoryMb / 8))),
      },
    });
    this.admit = pLimit(threads);
  }

  async split(text: string, what: string, limits: SplitLimits, near: number): Promise<SplitResult> {
    return fromWire((await this.run({ kind: 'split', text, limits, near }, `reading ${what}`)) as SplitWire);
  }

  translate(items: SourceItem[], options: ItemTranslateOptions, what: string): Promise<TranslationOutcome[]> {
    if (items.length === 0) return Promise.resolve([]);
    return this.run({ kind: 'translate', items, options }, `translating ${what}`) as Promise<
      TranslationOutcome[]
    >;
  }

  /** Tasks waiting for a thread (status and metrics). */
  get waiting(): number {
    return this.admit.pendingCount;
  }

  close(): Promise<void> {
    this.admit.clearQueue();
    return this.pool.destroy();
  }

  private run(task: PoolTask, what: string): Promise<unknown> {
    return this.admit(async () => {
      const abort = new AbortController();
      const channel = new MessageChannel();
      let timer: NodeJS.Timeout | undefined;
      // The clock starts when a thread takes the task: a thread still starting up (after one was
      // stopped) does not eat the task's time.
      channel.port1.once('message', () => {
        timer = setTimeout(() => abort.abort(), this.limits.translateTimeoutMs);
      });
      try {
        return await this.pool.run(
          { ...task, started: channel.port2 },
          { signal: abort.signal, transferList: [channel.port2] },
        );
      } catch (err) {
        throw this.explain(err, what, abort.signal);
      } finally {
        clearTimeout(timer);
        channel.port1.close();
      }
    });
  }

  private explain(err: unknown, what: string, signal: AbortSignal): Error {
    if (signal.aborted) return new TranslationTimeoutError(what, this.limits.translateTimeoutMs);
    const code = (err as { code?: unknown } | null)?.code;
    if (code === 'ERR_WORKER_OUT_OF_MEMORY')
      return new TranslationMemoryError(what, this.limits.translateMemoryMb);
    return new TranslationFailedError(what, err instanceof Error ? err.message : String(err));
  }
}
