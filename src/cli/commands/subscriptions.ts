import type { Command } from 'commander';
import { globalOptions, withContext } from '../daemon-context.js';
import { print, table } from '../output.js';

// The daemon's modules load when a command runs, not for `talkcal --help`.
const service = () => import('../../daemon/subscription-service.js');

// talkcal subscriptions catalogue|add|rm|list: subscribed calendars of users (shown read-only in
// their published feeds).

export function register(program: Command): void {
  const subs = program.command('subscriptions').description('subscribed calendars of users');

  subs
    .command('catalogue')
    .description('the calendars users can subscribe to (needs kakao.adminKey)')
    .option('--category <name>', 'only this category (e.g. 스포츠)')
    .option('--subcategory <name>', 'only this subcategory (needs --category)')
    .action(async (opts: { category?: string; subcategory?: string }, cmd: Command) => {
      const { listSubscribable } = await service();
      const rows = await withContext(cmd, (ctx) =>
        listSubscribable(ctx, {
          ...(opts.category ? { categoryName: opts.category } : {}),
          ...(opts.subcategory ? { subcategoryName: opts.subcategory } : {}),
        }),
      );
      print(globalOptions(cmd).json ?? false, rows, () =>
        table(rows as unknown as Record<string, unknown>[], ['category', 'subcategory', 'id', 'name']),
      );
    });

  subs
    .command('add <userId> <calendarId>')
    .description('subscribe a user; the calendar appears read-only in their published feeds')
    .action(async (userId: string, calendarId: string, _opts: unknown, cmd: Command) => {
      const { subscribeUser } = await service();
      const s = await withContext(cmd, (ctx) => subscribeUser(ctx, userId, calendarId));
      print(globalOptions(cmd).json ?? false, s, () => `user ${userId} subscribed to ${calendarId}`);
    });

  subs
    .command('rm <userId> <calendarId>')
    .description('unsubscribe a user')
    .action(async (userId: string, calendarId: string, _opts: unknown, cmd: Command) => {
      const { unsubscribeUser } = await service();
      const removed = await withContext(cmd, (ctx) => unsubscribeUser(ctx, userId, calendarId));
      print(
        globalOptions(cmd).json ?? false,
        { removed },
        () => `user ${userId} unsubscribed from ${calendarId}`,
      );
    });

  subs
    .command('list <userId>')
    .description("a user's subscribed calendars")
    .action(async (userId: string, _opts: unknown, cmd: Command) => {
      const { subscriptionStoreOf } = await service();
      const list = await withContext(cmd, (ctx) => subscriptionStoreOf(ctx).list(userId));
      print(globalOptions(cmd).json ?? false, list, () =>
        table(list as unknown as Record<string, unknown>[], ['calendarId', 'subscribedAt', 'refreshedAt']),
      );
    });
}
