import type { Link } from '../model/link.js';
import type { SyncJobProgress } from './jobs.js';

// What the worker needs from the sync engine: run one user's sync and return its result. The
// daemon wires this to `syncUser` (src/sync/sync-user.ts) with a Kakao client, sources and the
// quota governor; tests of queue behaviour may pass their own.

export interface SyncRunRequest {
  userId: string;
  timeZone: string;
  links: Link[];
  force: boolean;
  dryRun: boolean;
  /** Someone asked for this run (CLI, API): links waiting after failures are tried now. */
  manual?: boolean;
  onProgress: (progress: SyncJobProgress) => void;
}

export type SyncRunner = (request: SyncRunRequest) => Promise<unknown>;

/** Counts of one run, per side, read from the engine's result for status and metrics. */
export interface RunCounts {
  kakao: { created: number; updated: number; deleted: number };
  source: { created: number; updated: number; deleted: number };
}

const emptyCounts = (): RunCounts => ({
  kakao: { created: 0, updated: 0, deleted: 0 },
  source: { created: 0, updated: 0, deleted: 0 },
});

/** Sums the per-link counts of a sync result (tolerates partial shapes; never throws). */
export function countsOf(result: unknown): RunCounts {
  const counts = emptyCounts();
  const links = (result as { links?: unknown } | null)?.links;
  const list = Array.isArray(links) ? links : links && typeof links === 'object' ? Object.values(links) : [];
  for (const link of list as { counts?: Partial<RunCounts> }[]) {
    for (const side of ['kakao', 'source'] as const) {
      const c = link?.counts?.[side];
      if (!c) continue;
      for (const kind of ['created', 'updated', 'deleted'] as const) {
        const n = Number(c[kind] ?? 0);
        if (Number.isFinite(n)) counts[side][kind] += n;
      }
    }
  }
  return counts;
}
