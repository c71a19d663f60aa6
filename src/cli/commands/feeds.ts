import type { Command } from 'commander';
import type { DaemonContext } from '../../daemon/context.js';
import { HolidaysDisabledError } from '../../publish/errors.js';
import type { IssuedFeed } from '../../publish/feed-store.js';
import { globalOptions, withContext } from '../daemon-context.js';
import { print, table } from '../output.js';

// talkcal feeds create|list|rotate|revoke <user>: a user's published ICS feeds. The token (the
// secret part of the link) is shown once, on create and rotate.

const publishing = () => import('./feeds-publishing.js');

interface CreateOptions {
  calendar?: string;
  tasks?: boolean;
  holidays?: boolean;
  otherApps?: string;
  name?: string;
}

function feedInput(o: CreateOptions): Record<string, unknown> {
  const kind = o.tasks ? 'tasks' : o.holidays ? 'holidays' : o.calendar ? 'calendar' : 'all';
  return {
    kind,
    ...(o.calendar ? { calendarId: o.calendar } : {}),
    ...(o.otherApps ? { otherAppEvents: o.otherApps } : {}),
    ...(o.name ? { name: o.name } : {}),
  };
}

function issuedText(made: IssuedFeed, urls: { url: string; webcal: string }): string {
  return [
    `feed ${made.feed.id} (${made.feed.kind}${made.feed.calendarId ? ` ${made.feed.calendarId}` : ''})`,
    `  subscribe: ${urls.webcal}`,
    `  url:       ${urls.url}`,
    '  (the link is the only credential: it is shown once; rotate it if it leaks)',
  ].join('\n');
}

/** Runs `issue` (create or rotate) and prints the new feed with its token and links, once. */
async function issueAndPrint(
  cmd: Command,
  issue: (ctx: DaemonContext) => Promise<IssuedFeed>,
): Promise<void> {
  const { feedUrls, publicFeed } = await publishing();
  const out = await withContext(cmd, async (ctx) => {
    const made = await issue(ctx);
    return { made, urls: feedUrls(ctx.config.http.publicBaseUrl, made.token) };
  });
  print(
    globalOptions(cmd).json ?? false,
    { feed: publicFeed(out.made.feed), token: out.made.token, ...out.urls },
    () => issuedText(out.made, out.urls),
  );
}

export function register(program: Command): void {
  const feeds = program
    .command('feeds')
    .description("a user's published ICS feeds (private subscription links)");

  feeds
    .command('create <userId>')
    .description('publish a feed: all calendars (default), one calendar, tasks or Korean holidays')
    .option('--calendar <calendarId>', "one calendar only ('primary' or a sub-calendar id)")
    .option('--tasks', 'the tasks (VTODO) the daemon wrote')
    .option('--holidays', 'the Korean holiday calendar (needs publish.includeHolidays)')
    .option(
      '--other-apps <mode>',
      "other apps' events: busy or hide (default: config.publish.otherAppEvents)",
    )
    .option('--name <name>', 'calendar name shown to subscribers')
    .action(async (userId: string, opts: CreateOptions, cmd: Command) => {
      const input = feedInput(opts);
      const { checkAllowed, storeOf } = await publishing();
      await issueAndPrint(cmd, async (ctx) => {
        await ctx.registry.users.get(userId);
        checkAllowed(ctx, input);
        return storeOf(ctx).create(userId, input);
      });
    });

  feeds
    .command('list <userId>')
    .description("a user's feeds (links are not stored, so not shown: rotate to get a new one)")
    .action(async (userId: string, _opts: unknown, cmd: Command) => {
      const { publicFeed, storeOf } = await publishing();
      const list = await withContext(cmd, async (ctx) => {
        await ctx.registry.users.get(userId);
        return (await storeOf(ctx).list(userId)).map(publicFeed);
      });
      print(globalOptions(cmd).json ?? false, list, () =>
        table(
          list.map((f) => ({
            id: f.id,
            kind: f.kind,
            calendar: f.calendarId,
            otherApps: f.otherAppEvents,
            name: f.name,
            created: f.createdAt,
            rotated: f.rotatedAt,
          })),
        ),
      );
    });

  feeds
    .command('rotate <userId> <feedId>')
    .description('replace the feed link (the old one answers 404 at once)')
    .action(async (userId: string, feedId: string, _opts: unknown, cmd: Command) => {
      const { storeOf } = await publishing();
      await issueAndPrint(cmd, (ctx) => storeOf(ctx).rotate(userId, feedId));
    });

  feeds
    .command('holidays-refresh')
    .description('read the Korean holidays of the sync horizon from Kakao (admin key) for holidays feeds')
    .action(async (_opts: unknown, cmd: Command) => {
      const { holidayRefresher } = await publishing();
      const stored = await withContext(cmd, async (ctx) => {
        if (!ctx.config.publish.includeHolidays)
          throw new HolidaysDisabledError(
            'set publish.includeHolidays (TALKCAL_PUBLISH__INCLUDE_HOLIDAYS=true) first',
          );
        return holidayRefresher(ctx)();
      });
      const summary = {
        fetchedAt: stored.fetchedAt,
        from: stored.from,
        to: stored.to,
        count: stored.events.length,
      };
      print(
        globalOptions(cmd).json ?? false,
        summary,
        () => `${summary.count} holidays stored (${summary.from} – ${summary.to})`,
      );
    });

  feeds
    .command('revoke <userId> <feedId>')
    .description('stop publishing the feed (its link answers 404)')
    .action(async (userId: string, feedId: string, _opts: unknown, cmd: Command) => {
      const { storeOf } = await publishing();
      const removed = await withContext(cmd, (ctx) => storeOf(ctx).revoke(userId, feedId));
      print(globalOptions(cmd).json ?? false, { removed }, () =>
        removed ? `feed ${feedId} revoked` : `no feed ${feedId}`,
      );
      if (!removed) process.exitCode = 1;
    });
}
