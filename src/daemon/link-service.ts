import { isDeepStrictEqual } from 'node:util';
import { channelOfUserId, channelUserId } from '../channel/channel-user.js';
import { ChannelLinkPlacementError } from '../channel/errors.js';
import type { Link } from '../model/link.js';
import type { PublicLink } from '../registry/link-store.js';
import { refuseBlockedFeedHost } from '../sources/ics-feed/link-host.js';
import { syncKeys } from '../sync/store/keys.js';
import { RedisMappingStore } from '../sync/store/redis-mapping-store.js';
import type { DaemonContext } from './context.js';
import { checkedName, renameCalendar } from './link-calendar.js';

// Adding or replacing a link (admin API, CLI). A change of what the link makes of its items —
// filters, privacy, target, reminders policy or source — must reach the items that did not change
// in the source too: the link's next run then re-reads and re-translates all of them (still under
// the mass-deletion guard).

/** What of a target shapes its items: not the ids Kakao gave, nor who follows a channel's events. */
function itemShaping(target: Link['target']): object {
  const {
    calendarId: _c,
    followers: _f,
    audience: _a,
    ...rest
  } = {
    calendarId: undefined,
    followers: undefined,
    audience: undefined,
    ...target,
  };
  return rest;
}

/** True when `next` treats the same source items differently from `previous`. */
export function needsReplan(previous: Link, next: Link): boolean {
  const previousTarget = itemShaping(previous.target);
  const nextTarget = itemShaping(next.target);
  return (
    !isDeepStrictEqual(previous.filters, next.filters) ||
    previous.privacy !== next.privacy ||
    previous.suppressDefaultReminders !== next.suppressDefaultReminders ||
    !isDeepStrictEqual(previousTarget, nextTarget) ||
    !isDeepStrictEqual(previous.source, next.source)
  );
}

export interface PutLinkResult {
  link: PublicLink;
  /** True when the link's next run re-plans every item. */
  replan: boolean;
}

/** A channel link lives under its channel's pseudo-user, and only channel links do. */
function checkPlacement(userId: string, input: unknown): void {
  const target = (input as { target?: { kind?: unknown; channelPublicId?: unknown } } | null)?.target;
  const channel = channelOfUserId(userId);
  if (target?.kind === 'channel' && channel === undefined) {
    throw new ChannelLinkPlacementError(
      `a channel link belongs to its channel, not to user ${userId}: add it with ` +
        '`talkcal channels link` or POST /api/channels/<channelPublicId>/links',
    );
  }
  if (channel !== undefined && (target?.kind !== 'channel' || target.channelPublicId !== channel)) {
    throw new ChannelLinkPlacementError(
      `${channelUserId(channel)} holds the links of channel ${channel} only: its target must be ` +
        `{kind: channel, channelPublicId: ${channel}}`,
    );
  }
}

/**
 * A replaced link that names its sub-calendar anew keeps the calendar the daemon made and renames it
 * in Talk Calendar (instead of leaving it behind and making another at the next sync).
 */
async function followingCalendar(
  ctx: DaemonContext,
  userId: string,
  previous: Link | undefined,
  input: unknown,
): Promise<unknown> {
  const target = (input as { target?: Record<string, unknown> } | null)?.target;
  if (previous?.target.kind !== 'sub-calendar' || !previous.target.calendarId) return input;
  if (target?.['kind'] !== 'sub-calendar' || target['calendarId'] !== undefined) return input;
  const name = target['name'];
  if (typeof name !== 'string' || name === previous.target.name) return input;
  const checked = checkedName(previous, name);
  await renameCalendar(ctx, userId, previous.target.calendarId, checked);
  return {
    ...(input as object),
    target: { ...target, name: checked, calendarId: previous.target.calendarId },
  };
}

export async function putLink(ctx: DaemonContext, userId: string, input: unknown): Promise<PutLinkResult> {
  // A feed on a refused address would only fail at its first sync: refuse it now.
  const source = (input as { source?: { type?: unknown; url?: unknown } } | null)?.source;
  if (source?.type === 'ics' && typeof source.url === 'string')
    refuseBlockedFeedHost(source.url, ctx.config.sources.allowHosts);
  checkPlacement(userId, input);
  const id = (input as { id?: unknown } | null)?.id;
  const previous =
    typeof id === 'string' ? (await ctx.registry.links.getAll(userId)).find((l) => l.id === id) : undefined;
  const link = await ctx.registry.links.put(userId, await followingCalendar(ctx, userId, previous, input));
  if (!previous) return { link, replan: false };
  const stored = await ctx.registry.links.get(userId, link.id);
  const replan = needsReplan(previous, stored);
  if (replan) {
    const store = new RedisMappingStore(ctx.redis, syncKeys(ctx.config.redis.keyPrefix));
    await store.requestReplan(userId, link.id);
    ctx.logger.info({ userId, linkId: link.id }, 'link changed: its next sync re-plans every item');
  }
  return { link, replan };
}
