import { type Command, Option } from 'commander';
import { globalOptions, withContext } from '../daemon-context.js';
import { CliUsageError } from '../errors.js';
import { readInputFile } from '../input-file.js';
import { print, table } from '../output.js';

// talkcal links add|list|rename|rm

interface AddOptions {
  file?: string;
  ics?: string;
  caldav?: string;
  username?: string;
  passwordFile?: string;
  todo?: boolean;
  subCalendar?: string;
  name?: string;
  twoWay?: boolean;
  conflict?: string;
  mirrorHolidays?: boolean;
  mirrorSubscribed?: boolean;
}

async function linkFromOptions(linkId: string, o: AddOptions): Promise<unknown> {
  if (o.file) return { id: linkId, ...(await readLinkFile(o.file)) };
  const source = o.ics
    ? { type: 'ics', url: o.ics }
    : {
        type: 'caldav',
        url: o.caldav,
        component: o.todo ? 'todo' : 'event',
        ...(o.username ? { username: o.username } : {}),
        ...(o.passwordFile ? { password: readInputFile(o.passwordFile, 'password file').trim() } : {}),
      };
  const target = o.todo
    ? { kind: 'tasks' }
    : o.subCalendar
      ? { kind: 'sub-calendar', name: o.subCalendar }
      : { kind: 'primary' };
  return {
    id: linkId,
    ...(o.name ? { name: o.name } : {}),
    source,
    target,
    ...(o.twoWay ? { direction: 'two-way' } : {}),
    ...(o.conflict ? { conflict: o.conflict } : {}),
    ...(o.mirrorHolidays || o.mirrorSubscribed
      ? { mirror: { holidays: o.mirrorHolidays === true, subscribed: o.mirrorSubscribed === true } }
      : {}),
  };
}

/** A link file (YAML or JSON) as a mapping; a syntax error is reported by its first line. */
async function readLinkFile(file: string): Promise<object> {
  const text = readInputFile(file, 'link file');
  const { parse: parseYaml } = await import('yaml');
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    throw new CliUsageError(
      `link file ${file}: not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new CliUsageError(
      `link file ${file}: expected a mapping with source and target (see src/model/link.ts)`,
    );
  return parsed;
}

export function register(program: Command): void {
  const links = program.command('links').description("a user's source ↔ Talk Calendar links");

  links
    .command('add <userId> <linkId>')
    .description('add or replace a link (from flags, or a YAML/JSON file with --file)')
    .option('--file <file>', 'the link as YAML or JSON (see src/model/link.ts)')
    // One source per link: two would leave one of them silently unused.
    .addOption(
      new Option('--ics <url>', 'an ICS feed URL (http, https, webcal or webcals)').conflicts([
        'caldav',
        'file',
      ]),
    )
    .addOption(new Option('--caldav <url>', 'a CalDAV collection URL').conflicts('file'))
    .option('--username <name>', 'CalDAV user name')
    .option('--password-file <file>', 'file holding the CalDAV password (never on the command line)')
    .option('--todo', 'sync the CalDAV to-dos into Talk Calendar tasks')
    .option('--sub-calendar <name>', 'create and fill a sub-calendar of this name (at most 3 per user)')
    .option('--name <name>', 'display name of the link')
    .option('--two-way', 'write Talk Calendar changes back to CalDAV')
    .option('--conflict <policy>', 'source-wins, kakao-wins or manual')
    .option('--mirror-holidays', 'also write Korean holidays into the collection (two-way, read-only copies)')
    .option('--mirror-subscribed', "also write the user's subscribed calendars into the collection (two-way)")
    .action(async (userId: string, linkId: string, opts: AddOptions, cmd: Command) => {
      if (!opts.file && !opts.ics && !opts.caldav)
        throw new CliUsageError('links add needs a source: --ics <url>, --caldav <url> or --file <file>');
      const input = await linkFromOptions(linkId, opts);
      const { putLink } = await import('../../daemon/link-service.js');
      const link = await withContext(cmd, (ctx) => putLink(ctx, userId, input));
      print(
        globalOptions(cmd).json ?? false,
        link.link,
        () =>
          `link ${link.link.id} of user ${userId} saved${link.replan ? ' (its next sync re-reads every item)' : ''}`,
      );
    });

  links
    .command('list <userId>')
    .description("a user's links (credentials never shown)")
    .action(async (userId: string, _opts: unknown, cmd: Command) => {
      const list = await withContext(cmd, async (ctx) => {
        await ctx.registry.users.get(userId);
        return ctx.registry.links.list(userId);
      });
      print(globalOptions(cmd).json ?? false, list, () =>
        table(
          list.map((l) => ({
            id: l.id,
            type: l.source.type,
            url: l.source.url,
            target:
              l.target.kind === 'sub-calendar'
                ? `sub-calendar ${l.target.name ?? '(source name)'}`
                : l.target.kind,
            direction: l.direction,
            conflict: l.conflict,
            enabled: l.enabled,
          })),
        ),
      );
    });

  links
    .command('rename <userId> <linkId> <name>')
    .description('rename a link, and in Talk Calendar the sub-calendar it fills')
    .action(async (userId: string, linkId: string, name: string, _opts: unknown, cmd: Command) => {
      const { renameLink } = await import('../../daemon/link-calendar.js');
      const renamed = await withContext(cmd, (ctx) => renameLink(ctx, userId, linkId, name));
      print(
        globalOptions(cmd).json ?? false,
        renamed,
        () =>
          `link ${linkId} renamed to "${renamed.link.name}"` +
          (renamed.calendarRenamed ? ', and its sub-calendar in Talk Calendar' : ''),
      );
    });

  links
    .command('rm <userId> <linkId>')
    .description('remove a link (its sub-calendar stays in Talk Calendar unless --delete-calendar)')
    .option(
      '--delete-calendar',
      'also delete the sub-calendar talkcal-sync created for the link, with its events',
    )
    .action(async (userId: string, linkId: string, opts: { deleteCalendar?: boolean }, cmd: Command) => {
      const { removeLink } = await import('../../daemon/link-calendar.js');
      const removal = await withContext(cmd, (ctx) =>
        removeLink(ctx, userId, linkId, { deleteCalendar: opts.deleteCalendar === true }),
      );
      print(globalOptions(cmd).json ?? false, removal, () => removal.message);
      if (!removal.removed && !removal.calendar) process.exitCode = 1;
    });
}
