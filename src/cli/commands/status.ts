import type { Command } from 'commander';
import type { ScheduleCheck } from '../../daemon/startup-progress.js';
import { checkedConfig, globalOptions, withContext } from '../daemon-context.js';
import { print } from '../output.js';

// talkcal status: users by state, the queue, the day's Talk Calendar quota, and what verification
// (how fast Talk Calendar-side drift is found) costs per link per day.

export function register(program: Command): void {
  program
    .command('status [user]')
    .description("users, queue and the day's Kakao quota; with a user: their recurring tasks' history")
    .action(async (userId: string | undefined, _opts: unknown, cmd: Command) => {
      if (userId !== undefined) return printUserTasks(cmd, userId);
      // Redis alone, not the daemon's context: status starts in a fraction of the time (bench/cli.ts).
      const config = await checkedConfig(cmd);
      const { readAppStatus } = await import('../../daemon/app-status.js');
      const s = await readAppStatus(config);
      const q = s.quota;
      const v = s.verification;
      const calls = (n: number) => n.toFixed(1);
      print(globalOptions(cmd).json ?? false, s, () =>
        [
          `users     active ${s.users.active}, needs_reauth ${s.users.needs_reauth}, paused ${s.users.paused}`,
          `queue     waiting ${s.queue.waiting + s.queue.prioritized}, active ${s.queue.active}, delayed ${s.queue.delayed}, ` +
            `failed ${s.queue.failed}, lag ${s.queue.lagSeconds.toFixed(1)} s, workers ${s.queue.workers}`,
          `quota     ${q.day} (KST): used ${q.used} of ${q.budget}, remaining ${q.remaining}, projected ${q.projected}` +
            `${q.projected > q.budget ? ' (over budget at this pace)' : ''}`,
          `          first-sync ${q.byPurpose['first-sync']}, write ${q.byPurpose.write}, verify ${q.byPurpose.verify}, ` +
            `detail ${q.byPurpose.detail}, retry ${q.byPurpose.retry}; ${q.perSecond}/s; resets ${q.resetsAt}`,
          q.exhausted
            ? '          Kakao reported the quota exhausted: syncs wait for the reset'
            : q.verificationDeferred
              ? '          verification reads deferred: the budget outside the write reserve is spent'
              : '',
          `verify    next ${v.nearDays} days every ${v.nearEveryHours} h, the rest every ${v.farEveryHours} h, ` +
            `detail reads ${v.detail}/day: at most ${calls(v.total)} calls per link per day ` +
            `(${calls(v.near)} near, ${calls(v.far)} far, ${calls(v.detail)} detail)`,
          `two-way   next ${v.nearDays} days every ${v.twoWay.readEveryMinutes} min: at most ${calls(v.twoWay.total)} ` +
            `calls per link per day (${calls(v.twoWay.near)} near, ${calls(v.twoWay.far)} far, ` +
            `${calls(v.twoWay.detail)} detail), + ${v.twoWay.perEditWritten} read per event or task written between reads`,
          s.startup ? scheduleCheckLine(s.startup.schedules) : '',
        ]
          .filter((l) => l !== '')
          .join('\n'),
      );
    });
}

/** The last start's check of every user's schedule: running (how far) or done (what it repaired). */
function scheduleCheckLine(c: ScheduleCheck): string {
  const since = `started ${c.startedAt.slice(0, 19).replace('T', ' ')} UTC`;
  if (c.error)
    return `start-up  schedule check stopped at ${c.checked} of ${c.total} users (${c.error}); ${since}`;
  if (!c.finishedAt)
    return `start-up  checking schedules: ${c.checked} of ${c.total} users, ${c.repaired} repaired; ${since}`;
  return `start-up  schedules checked: ${c.checked} users, ${c.repaired} repaired; ${since}`;
}

/** `talkcal status <user>`: the user's state and the completion history of their recurring tasks. */
async function printUserTasks(cmd: Command, userId: string): Promise<void> {
  const { userStatus } = await import('../../daemon/status.js');
  const s = await withContext(cmd, (ctx) => userStatus(ctx, userId));
  const recent = (records: { date: string; complete: boolean }[]) =>
    records
      .slice(-7)
      .map((r) => `${r.date.slice(4, 6)}-${r.date.slice(6)} ${r.complete ? 'done' : 'missed'}`)
      .join(', ');
  print(globalOptions(cmd).json ?? false, { user: s.user, taskRecords: s.taskRecords }, () =>
    [
      `user      ${s.user.id}: ${s.user.state}, zone ${s.user.timeZone}`,
      ...(s.taskRecords.length === 0
        ? ['tasks     no recurring task with a completion history yet']
        : s.taskRecords.map(
            (t) =>
              `task      ${t.content} (link ${t.linkId}): ${t.done} of ${t.days} days done` +
              (t.days > 0 ? `; last ${recent(t.records)}` : '') +
              `; read ${t.readAt.slice(0, 16).replace('T', ' ')} UTC`,
          )),
    ].join('\n'),
  );
}
