import type { Command } from 'commander';
import type { DaemonContext } from '../../daemon/context.js';
import { globalOptions, withContext } from '../daemon-context.js';
import { print } from '../output.js';
import { showSyncProgress } from '../sync-progress.js';
import { watchWorkers } from '../worker-watch.js';

// talkcal sync <user> [--wait] [--dry-run] [--force]: queue a sync ahead of the schedule (a worker
// runs it: `talkcal start` or `talkcal worker`), optionally following its progress.

interface SyncOptions {
  wait?: boolean;
  dryRun?: boolean;
  force?: boolean;
}

async function queueSync(ctx: DaemonContext, userId: string, force: boolean, json: boolean): Promise<void> {
  const triggered = await ctx.queue.trigger(userId, { force });
  print(json, triggered, () =>
    triggered.deduplicated
      ? `a sync of ${userId} is already queued or running (job ${triggered.jobId})`
      : `sync of ${userId} queued (job ${triggered.jobId})`,
  );
}

async function waitForSync(
  ctx: DaemonContext,
  userId: string,
  opts: SyncOptions,
  json: boolean,
): Promise<void> {
  const watch = await watchWorkers(() => ctx.queue.manualWorkerCount());
  const events = await ctx.queue.listen();
  const progress = await showSyncProgress(events, userId, !json && process.stderr.isTTY === true);
  try {
    const options = { dryRun: opts.dryRun ?? false, force: opts.force ?? false };
    const done = await ctx.queue.triggerAndWait(userId, options, undefined, watch.signal);
    progress.stop();
    const { syncSummary } = await import('../../daemon/sync-summary.js');
    print(json, done, () => syncSummary(done.outcome, { userId, dryRun: options.dryRun }));
  } finally {
    progress.stop();
    watch.stop();
  }
}

export function register(program: Command): void {
  program
    .command('sync <userId>')
    .description('sync a user now (a running worker executes it)')
    .option('--wait', 'wait for the result, with a progress bar (needs a running worker)')
    .option('--dry-run', 'print the plan without applying it (implies --wait)')
    .option('--force', 'pass the mass-deletion guard')
    .action(async (userId: string, opts: SyncOptions, cmd: Command) => {
      const json = globalOptions(cmd).json ?? false;
      await withContext(cmd, async (ctx) => {
        await ctx.registry.users.get(userId);
        if (opts.wait || opts.dryRun) await waitForSync(ctx, userId, opts, json);
        else await queueSync(ctx, userId, opts.force ?? false, json);
      });
    });
}
