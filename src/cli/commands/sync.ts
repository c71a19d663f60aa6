import type { Command } from 'commander';
import type { SyncJobProgress } from '../../queue/jobs.js';
import { globalOptions, withContext } from '../daemon-context.js';
import { print } from '../output.js';

// talkcal sync <user> [--wait] [--dry-run] [--force]: queue a sync ahead of the schedule (a worker
// runs it: `talkcal start` or `talkcal worker`), optionally following its progress.

export function register(program: Command): void {
  program
    .command('sync <userId>')
    .description('sync a user now (a running worker executes it)')
    .option('--wait', 'wait for the result, with a progress bar')
    .option('--dry-run', 'print the plan without applying it (implies --wait)')
    .option('--force', 'pass the mass-deletion guard')
    .action(
      async (userId: string, opts: { wait?: boolean; dryRun?: boolean; force?: boolean }, cmd: Command) => {
        const json = globalOptions(cmd).json ?? false;
        await withContext(cmd, async (ctx) => {
          await ctx.registry.users.get(userId);
          const wait = Boolean(opts.wait || opts.dryRun);
          const options = { dryRun: opts.dryRun ?? false, force: opts.force ?? false };
          if (!wait) {
            const triggered = await ctx.queue.trigger(userId, options);
            print(json, triggered, () =>
              triggered.deduplicated
                ? `a sync of ${userId} is already queued or running (job ${triggered.jobId})`
                : `sync of ${userId} queued (job ${triggered.jobId})`,
            );
            return;
          }
          if ((await ctx.queue.workerCount()) === 0 && !json) {
            console.error('note: no worker is running; start one with `talkcal start` or `talkcal worker`');
          }
          const events = await ctx.queue.listen();
          const cliProgress =
            json || !process.stderr.isTTY ? undefined : (await import('cli-progress')).default;
          const bar = !cliProgress
            ? undefined
            : new cliProgress.SingleBar(
                { format: ' {phase} [{bar}] {value}/{total}', stream: process.stderr },
                cliProgress.Presets.shades_classic,
              );
          bar?.start(1, 0, { phase: 'queued' });
          // Job ids of this user's syncs: user-<id>, dry-<id>-<t>, or a scheduled repeat:user-<id>:<t>.
          const ours = (jobId: string) =>
            jobId === `user-${userId}` ||
            jobId.startsWith(`dry-${userId}-`) ||
            jobId.startsWith(`repeat:user-${userId}:`);
          const onProgress = ({ jobId, data }: { jobId: string; data: unknown }) => {
            if (!ours(jobId) || !bar) return;
            const p = data as Partial<SyncJobProgress>;
            if (typeof p.total === 'number') bar.setTotal(Math.max(1, p.total));
            bar.update(typeof p.done === 'number' ? p.done : 0, { phase: p.phase ?? 'sync' });
          };
          events.on('progress', onProgress);
          try {
            const done = await ctx.queue.triggerAndWait(userId, options);
            bar?.stop();
            const { countsOf } = await import('../../queue/sync-runner.js');
            print(json, done, () => describeOutcome(done.outcome, countsOf));
          } catch (error) {
            bar?.stop();
            throw error;
          } finally {
            events.off('progress', onProgress);
          }
        });
      },
    );
}

function describeOutcome(
  outcome: unknown,
  countsOf: typeof import('../../queue/sync-runner.js').countsOf,
): string {
  const o = outcome as { skipped?: string; result?: unknown };
  if (o?.skipped) return `skipped: ${o.skipped}`;
  const c = countsOf(o?.result);
  return [
    `Talk Calendar: ${c.kakao.created} created, ${c.kakao.updated} updated, ${c.kakao.deleted} deleted`,
    `sources:       ${c.source.created} created, ${c.source.updated} updated, ${c.source.deleted} deleted`,
    JSON.stringify(o?.result, null, 2),
  ].join('\n');
}
