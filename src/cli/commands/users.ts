import type { Command } from 'commander';
import type { DaemonContext } from '../../daemon/context.js';
import { type Page, pageRequest } from '../../registry/page-request.js';
import type { UserProfile } from '../../registry/user-store.js';
import { ianaZone, kakaoUserId, positiveInteger } from '../args.js';
import { globalOptions, withContext } from '../daemon-context.js';
import { lastRunLine } from '../last-run.js';
import { print, table } from '../output.js';
import { readTokensFile } from '../tokens-file.js';

// talkcal users add|list|show|rm

interface ListOptions {
  limit?: number;
  cursor?: string;
  all?: boolean;
}

/** The requested page, or with --all every page joined (next: null). */
async function listUsers(ctx: DaemonContext, opts: ListOptions): Promise<Page<UserProfile>> {
  let request = pageRequest(opts, ctx.config.limits);
  const page = await ctx.registry.users.page(request);
  if (!opts.all) return page;
  const items = [...page.items];
  for (let next = page.next; next !== null; ) {
    request = pageRequest({ limit: request.limit, cursor: next }, ctx.config.limits);
    const more = await ctx.registry.users.page(request);
    items.push(...more.items);
    next = more.next;
  }
  return { items, next: null };
}

/** The parts of an engine link summary that `users show` prints. */
interface LinkRun {
  counts?: { kakao?: { created: number; updated: number; deleted: number } };
  warnings?: unknown[];
  quarantined?: unknown[];
  conflicts?: unknown[];
  error?: string;
}

export function register(program: Command): void {
  const users = program.command('users').description('registered Kakao users');

  users
    .command('add')
    .argument('<userId>', 'the numeric Kakao user id', kakaoUserId)
    .description('add a user (or update one); tokens are read from a JSON file, never from the command line')
    .option('--time-zone <zone>', 'IANA time zone for floating times', ianaZone)
    .option('--interval <minutes>', 'scheduled sync interval in minutes', positiveInteger)
    .option(
      '--tokens-file <file>',
      "Kakao's token response as JSON (access_token, refresh_token, expires_in, …); - reads standard input",
    )
    .action(
      async (
        userId: string,
        opts: { timeZone?: string; interval?: number; tokensFile?: string },
        cmd: Command,
      ) => {
        const tokens = opts.tokensFile ? readTokensFile(opts.tokensFile) : undefined;
        const { addUser } = await import('../../daemon/user-service.js');
        const profile = await withContext(cmd, (ctx) =>
          addUser(ctx, {
            id: userId,
            ...(opts.timeZone ? { timeZone: opts.timeZone } : {}),
            ...(opts.interval ? { intervalMinutes: opts.interval } : {}),
            ...(tokens ? { tokens } : {}),
          }),
        );
        print(
          globalOptions(cmd).json ?? false,
          profile,
          () => `user ${profile.id} saved (state ${profile.state})`,
        );
      },
    );

  users
    .command('list')
    .description('list users, one page at a time in id order')
    .option('--limit <n>', 'users on the page (default limits.listPageSize)', positiveInteger)
    .option('--cursor <cursor>', 'the page after this cursor (printed by the previous page)')
    .option('--all', 'every user, page after page')
    .action(async (opts: ListOptions, cmd: Command) => {
      const page = await withContext(cmd, (ctx) => listUsers(ctx, opts));
      print(globalOptions(cmd).json ?? false, { users: page.items, next: page.next }, () =>
        [
          table(page.items as unknown as Record<string, unknown>[], [
            'id',
            'state',
            'timeZone',
            'intervalMinutes',
            'hasTokens',
            'updatedAt',
          ]),
          ...(page.next ? [`next page: --cursor ${page.next}`] : []),
        ].join('\n'),
      );
    });

  users
    .command('show <userId>')
    .description('a user with links and last run')
    .action(async (userId: string, _opts: unknown, cmd: Command) => {
      const { userStatus } = await import('../../daemon/status.js');
      const status = await withContext(cmd, (ctx) => userStatus(ctx, userId));
      print(globalOptions(cmd).json ?? false, status, () =>
        [
          `user ${status.user.id}: ${status.user.state}${status.user.stateReason ? ` (${status.user.stateReason})` : ''}, ` +
            `zone ${status.user.timeZone}, ${status.scheduled ? 'scheduled' : 'not scheduled'}`,
          status.lastRun
            ? lastRunLine(status.lastRun, status.linkRuns)
            : status.admission
              ? `first sync waiting for admission: ${status.admission.position} ahead, about ${Math.ceil(status.admission.etaSeconds / 60)} min`
              : 'no run yet',
          '',
          table(
            status.links.map((l) => {
              const run = status.linkRuns.find((r) => r.linkId === l.id) as LinkRun | undefined;
              const k = run?.counts?.kakao;
              const waiting = status.backoff[l.id];
              return {
                id: l.id,
                source: `${l.source.type} ${l.source.url}`,
                target: l.target.kind,
                direction: l.direction,
                'last run (Kakao +/~/-)': k ? `${k.created}/${k.updated}/${k.deleted}` : '',
                warnings: run?.warnings?.length ?? '',
                quarantined: run?.quarantined?.length ?? '',
                conflicts: run?.conflicts?.length ?? '',
                error: run?.error ?? waiting?.reason ?? '',
                'next try': waiting ? `${waiting.retryAt} (${waiting.failures} failed)` : '',
              };
            }),
          ),
        ].join('\n'),
      );
    });

  users
    .command('rm <userId>')
    .description('remove a user, their links and schedule')
    .action(async (userId: string, _opts: unknown, cmd: Command) => {
      const { removeUser } = await import('../../daemon/user-service.js');
      const removed = await withContext(cmd, (ctx) => removeUser(ctx, userId));
      print(globalOptions(cmd).json ?? false, { removed }, () =>
        removed ? `user ${userId} removed` : `no user ${userId}`,
      );
      if (!removed) process.exitCode = 1;
    });
}
