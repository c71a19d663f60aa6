import { type Command, Option } from 'commander';
import { globalOptions, withContext } from '../daemon-context.js';
import { CliRefusedError } from '../errors.js';
import { print, table } from '../output.js';

// talkcal conflicts list|resolve: conflicts of `manual` links wait for a person's choice.

export function register(program: Command): void {
  const conflicts = program.command('conflicts').description('conflicts of manual links');

  conflicts
    .command('list <userId>')
    .option('--link <linkId>', 'only this link')
    .action(async (userId: string, opts: { link?: string }, cmd: Command) => {
      const { createConflictPort } = await import('../../daemon/sync-wiring.js');
      const list = await withContext(cmd, async (ctx) => {
        await ctx.registry.users.get(userId);
        return createConflictPort(ctx).list(userId, opts.link);
      });
      print(globalOptions(cmd).json ?? false, list, () =>
        table(list as unknown as Record<string, unknown>[], ['linkId', 'sourceKey', 'at', 'detail']),
      );
    });

  conflicts
    .command('resolve <userId> <linkId>')
    .description('keep the source or the Kakao version, for the given items or all')
    .addOption(
      new Option('--keep <side>', 'which version wins').choices(['source', 'kakao']).makeOptionMandatory(),
    )
    .option('--item <sourceKey...>', 'items to resolve (default: all of the link)')
    .action(async (userId: string, linkId: string, opts: { keep: string; item?: string[] }, cmd: Command) => {
      const choice = opts.keep as 'source' | 'kakao';
      const { createConflictPort } = await import('../../daemon/sync-wiring.js');
      const resolved = await withContext(cmd, async (ctx) => {
        const link = await ctx.registry.links.get(userId, linkId);
        if (link.conflict !== 'manual')
          throw new CliRefusedError(
            `link ${linkId} resolves conflicts itself (policy ${link.conflict}); only manual links wait for a choice`,
          );
        return createConflictPort(ctx).resolve(userId, linkId, choice, opts.item ?? 'all');
      });
      print(
        globalOptions(cmd).json ?? false,
        { resolved },
        () => `${resolved} conflict(s) resolved; the next sync applies them`,
      );
    });
}
