import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ChannelLinkInputError } from '../../channel/errors.js';
import { globalOptions, withContext } from '../daemon-context.js';
import { print, table } from '../output.js';
import { registerFollowCommands } from './channel-follows.js';

// The daemon's modules load when a command runs, not for `talkcal --help`.
const service = () => import('../../daemon/channel-service.js');

// talkcal channels link|list|unlink: feeds and CalDAV collections kept as the public events of the
// service's Talk Channel. A channel's links run as the pseudo-user `channel_<id>`
// (`talkcal sync channel_ZeUTxl --wait`, `talkcal users show channel_ZeUTxl`).

interface LinkOptions {
  file?: string;
  ics?: string;
  caldav?: string;
  username?: string;
  passwordFile?: string;
  name?: string;
  buttonBefore?: string;
  buttonAfter?: string;
  customButton?: boolean;
  follower?: string[];
  audience?: string;
}

/** `예약하기=https://…` (and an optional `,https://m…` mobile URL) → a button of the link. */
export function parseButton(option: string, raw: string): Record<string, string> {
  const at = raw.indexOf('=');
  if (at <= 0) {
    throw new ChannelLinkInputError(
      `--${option} takes TITLE=URL[,MOBILE_URL], e.g. 예약하기=https://example.com/book; got ${raw}`,
    );
  }
  const [webUrl, mobileWebUrl] = raw.slice(at + 1).split(',');
  return {
    title: raw.slice(0, at),
    ...(webUrl ? { webUrl } : {}),
    ...(mobileWebUrl ? { mobileWebUrl } : {}),
  };
}

async function linkFromOptions(linkId: string, o: LinkOptions): Promise<unknown> {
  if (o.file) {
    const { parse } = await import('yaml');
    return { id: linkId, ...(parse(readFileSync(o.file, 'utf8')) as object) };
  }
  const source = o.ics
    ? { type: 'ics', url: o.ics }
    : {
        type: 'caldav',
        url: o.caldav,
        component: 'event',
        ...(o.username ? { username: o.username } : {}),
        ...(o.passwordFile ? { password: readFileSync(o.passwordFile, 'utf8').trim() } : {}),
      };
  const buttons = {
    ...(o.buttonBefore ? { before: parseButton('button-before', o.buttonBefore) } : {}),
    ...(o.buttonAfter ? { after: parseButton('button-after', o.buttonAfter) } : {}),
    ...(o.customButton === false ? { display: false } : {}),
  };
  const target = {
    ...(Object.keys(buttons).length > 0 ? { buttons } : {}),
    ...(o.follower ? { followers: o.follower } : {}),
    ...(o.audience ? { audience: { fileName: o.audience } } : {}),
  };
  return {
    id: linkId,
    ...(o.name ? { name: o.name } : {}),
    source,
    ...(Object.keys(target).length > 0 ? { target } : {}),
  };
}

export function register(program: Command): void {
  const channels = program
    .command('channels')
    .description("feeds kept as the public events of the service's Talk Channel");

  channels
    .command('link <channelPublicId> <linkId>')
    .description('bind a feed or CalDAV collection to the channel (needs kakao.adminKey)')
    .option('--file <file>', 'the link as YAML or JSON (target.buttons for the notification buttons)')
    .option('--ics <url>', 'an ICS feed URL (http, https, webcal or webcals)')
    .option('--caldav <url>', 'a CalDAV event collection URL')
    .option('--username <name>', 'CalDAV user name')
    .option('--password-file <file>', 'file holding the CalDAV password (never on the command line)')
    .option('--name <name>', 'display name of the link')
    .option(
      '--button-before <title=url>',
      'button of the reminder before each event (시청하기 예매하기 예약하기 참여하기 상세보기)',
    )
    .option('--button-after <title=url>', 'button of the message after each event starts')
    .option('--no-custom-button', 'no custom button in the notification messages')
    .option(
      '--follower <userId>',
      'a registered user for whom every public event of the link is followed (repeatable)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option(
      '--audience <fileName>',
      "keep a Talk Channel customer file of the link's followers (needs kakao.restApiKey)",
    )
    .action(async (channelPublicId: string, linkId: string, opts: LinkOptions, cmd: Command) => {
      if (!opts.file && !opts.ics && !opts.caldav) {
        throw new ChannelLinkInputError('give --ics <url>, --caldav <url> or --file <file>');
      }
      const input = await linkFromOptions(linkId, opts);
      const { putChannelLink } = await service();
      const saved = await withContext(cmd, (ctx) => putChannelLink(ctx, channelPublicId, input));
      print(
        globalOptions(cmd).json ?? false,
        { ...saved.link, userId: saved.userId },
        () =>
          `link ${saved.link.id} of channel ${channelPublicId} saved; it syncs as ${saved.userId}` +
          (saved.replan ? ' (its next sync re-reads every item)' : ''),
      );
    });

  channels
    .command('list')
    .description('channels and their links (credentials never shown)')
    .action(async (_opts: unknown, cmd: Command) => {
      const { listChannels } = await service();
      const list = await withContext(cmd, (ctx) => listChannels(ctx));
      print(globalOptions(cmd).json ?? false, list, () =>
        table(
          list.flatMap((c) =>
            c.links.map((l) => ({
              channel: c.channelPublicId,
              user: c.userId,
              link: l.id,
              type: l.source.type,
              url: l.source.url,
              state: c.user.state,
              enabled: l.enabled,
            })),
          ),
        ),
      );
    });

  channels
    .command('unlink <channelPublicId> <linkId>')
    .description('remove a channel link (its public events stay)')
    .action(async (channelPublicId: string, linkId: string, _opts: unknown, cmd: Command) => {
      const { removeChannelLink } = await service();
      const removed = await withContext(cmd, (ctx) => removeChannelLink(ctx, channelPublicId, linkId));
      print(globalOptions(cmd).json ?? false, { removed }, () =>
        removed ? `link ${linkId} of channel ${channelPublicId} removed` : `no link ${linkId}`,
      );
      if (!removed) process.exitCode = 1;
    });

  registerFollowCommands(channels);
}
