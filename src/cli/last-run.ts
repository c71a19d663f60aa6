import type { LastRun } from '../queue/sync-worker.js';

// The "last run" line of `talkcal users show`. A job ends `ok` when each link's failure was kept
// to that link, so the job's outcome alone would call a run in which every link failed "ok".

export function lastRunLine(
  run: Omit<LastRun, 'result'>,
  linkRuns: readonly Record<string, unknown>[],
): string {
  const failed = linkRuns.filter((l) => typeof l['error'] === 'string' && l['error'] !== '').length;
  const verdict =
    run.outcome !== 'ok' || failed === 0
      ? run.outcome
      : failed === linkRuns.length
        ? 'failed'
        : 'partly failed';
  const links =
    run.outcome === 'ok' && failed > 0
      ? ` (${failed} of ${linkRuns.length} link${linkRuns.length === 1 ? '' : 's'} failed)`
      : '';
  return (
    `last run ${run.finishedAt}: ${verdict}${links} in ${run.durationMs} ms` +
    (run.error ? ` — ${run.error}` : '')
  );
}
