import type { Command } from 'commander';
import { ChannelLinkInputError } from '../../channel/errors.js';
import type { FollowInput } from '../../daemon/follow-service.js';
import { globalOptions, withContext } from '../daemon-context.js';
import { print, table } from '../output.js';

// The daemon's modules load when a command runs, not for `talkcal --help`.
const followService = () => import('../../daemon/follow-service.js');
const channelService = () => import('../../daemon/channel-service.js');

// talkcal channels follow|unfollow|show|follows: adding a channel's public events to users'
// calendars (after checking each user's relationship with the channel), and what came of it.

interface FollowOptions {
  event?: string[];
  link?: string;
  calendar?: string;
}

function inputOf(userIds: string[], o: FollowOptions): FollowInput {
  if ((o.event === undefined) === (o.link === undefined)) {
    throw new ChannelLinkInputError('give --event <id> (repeatable) or --link <linkId>, not both');
  }
  return {
    userIds,
    ...(o.event ? { eventIds: o.event } : {}),
    ...(o.link ? { linkId: o.link } : {}),
    ...(o.calendar ? { calendarId: o.calendar } : {}),
  };
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function summary(report: {
  followed?: Record<string, string[]>;
  unfollowed?: Record<string, string[]>;
  skipped: { userId: string; reason: string }[];
  failed: { userId: string; eventId: string; error: string }[];
}): string {
  const done = report.followed ?? report.unfollowed ?? {};
  const verb = report.followed ? 'followed' : 'unfollowed';
  return (
    [
      ...Object.entries(done).map(([userId, ids]) => `${userId}: ${verb} ${ids.length} event(s)`),
      ...report.skipped.map((s) => `${s.userId}: skipped (${s.reason})`),
      ...report.failed.map((f) => `${f.userId}: ${f.eventId} failed (${f.error})`),
    ].join('\n') || 'nothing to do'
  );
}

export function registerFollowCommands(channels: Command): void {
  channels
    .command('follow <channelPublicId> <userIds...>')
    .description(
      "add public events to users' calendars (users who blocked or never added the channel are skipped)",
    )
    .option('--event <id>', 'a public event id (repeatable)', collect)
    .option('--link <linkId>', 'every public event of this channel link')
    .option('--calendar <calendarId>', "the users' calendar (default primary)")
    .action(async (channelPublicId: string, userIds: string[], opts: FollowOptions, cmd: Command) => {
      const { followForUsers } = await followService();
      const report = await withContext(cmd, (ctx) =>
        followForUsers(ctx, channelPublicId, inputOf(userIds, opts)),
      );
      print(globalOptions(cmd).json ?? false, report, () => summary(report));
    });

  channels
    .command('unfollow <channelPublicId> <userIds...>')
    .description("remove public events from users' calendars")
    .option('--event <id>', 'a public event id (repeatable)', collect)
    .option('--link <linkId>', 'every public event of this channel link')
    .action(async (channelPublicId: string, userIds: string[], opts: FollowOptions, cmd: Command) => {
      const { unfollowForUsers } = await followService();
      const report = await withContext(cmd, (ctx) =>
        unfollowForUsers(ctx, channelPublicId, inputOf(userIds, opts)),
      );
      print(globalOptions(cmd).json ?? false, report, () => summary(report));
    });

  channels
    .command('show <channelPublicId>')
    .description("a channel's links, users' relationships and the last follow report")
    .action(async (channelPublicId: string, _opts: unknown, cmd: Command) => {
      const { channelView } = await channelService();
      const view = await withContext(cmd, (ctx) => channelView(ctx, channelPublicId));
      print(globalOptions(cmd).json ?? false, view, () =>
        [
          `channel ${view.channelPublicId} (${view.userId}): ${view.user.state}, ${view.links.length} link(s)`,
          table(Object.entries(view.relations).map(([user, r]) => ({ user, ...r }))),
          view.lastFollowReport
            ? `last follows ${view.lastFollowReport.at}:\n${summary(view.lastFollowReport)}`
            : '',
        ].join('\n'),
      );
    });

  channels
    .command('follows <userId>')
    .description('the public events followed for a user')
    .action(async (userId: string, _opts: unknown, cmd: Command) => {
      const { followsOfUser } = await followService();
      const follows = await withContext(cmd, (ctx) => followsOfUser(ctx, userId));
      print(globalOptions(cmd).json ?? false, follows, () =>
        table(follows as unknown as Record<string, unknown>[], [
          'channelPublicId',
          'eventId',
          'linkId',
          'calendarId',
          'followedAt',
        ]),
      );
    });
}
