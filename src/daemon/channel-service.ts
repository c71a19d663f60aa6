import { type AudienceReport, AudienceStore } from '../channel/audience-store.js';
import { channelUserId, channelUserPrefix, isChannelUserId } from '../channel/channel-user.js';
import { ChannelAdminKeyMissingError, ChannelLinkInputError } from '../channel/errors.js';
import { type FollowReport, FollowStore } from '../channel/follow-store.js';
import { channelKeys } from '../channel/keys.js';
import { channelPublicIdSchema } from '../model/channel-target.js';
import type { Link } from '../model/link.js';
import { InvalidRegistryInputError } from '../registry/errors.js';
import type { PublicLink } from '../registry/link-store.js';
import type { UserProfile } from '../registry/user-store.js';
import type { DaemonContext } from './context.js';
import { type PutLinkResult, putLink } from './link-service.js';
import { syncSchedule } from './user-service.js';

// Channel links (admin API, CLI): an ICS feed or CalDAV collection kept as the public events of the
// service's Talk Channel. Each channel is a pseudo-user (channel-user.ts) created with its first
// link and scheduled like any user; the link's target names the channel and its buttons.

export interface ChannelView {
  channelPublicId: string;
  userId: string;
  user: UserProfile;
  links: PublicLink[];
}

export interface ChannelDetail extends ChannelView {
  /** Each checked user's relationship verdict and when it was checked. */
  relations: Record<string, { verdict: string; checkedAt: string }>;
  lastFollowReport: FollowReport | null;
  /** Link id → the last pass over its audience customer file (links with `audience` only). */
  audiences: Record<string, AudienceReport | null>;
}

export function parseChannelId(raw: string): string {
  const parsed = channelPublicIdSchema.safeParse(raw);
  if (!parsed.success) {
    throw new InvalidRegistryInputError(`invalid channel ${raw}: ${parsed.error.issues[0]?.message ?? ''}`);
  }
  return parsed.data;
}

/** The followers option within config.channels.maxFollowersPerLink, and people only. */
function checkFollowers(ctx: DaemonContext, followers: unknown): void {
  if (!Array.isArray(followers)) return;
  const max = ctx.config.channels.maxFollowersPerLink;
  if (followers.length > max) {
    throw new ChannelLinkInputError(
      `target.followers lists ${followers.length} users; at most ${max} (config channels.maxFollowersPerLink): ` +
        'each follower costs one Talk Calendar call per new public event',
    );
  }
  const channelIds = followers.filter((id) => typeof id === 'string' && isChannelUserId(id));
  if (channelIds.length > 0)
    throw new ChannelLinkInputError(`target.followers: ${channelIds[0]} is a channel, not a user`);
}

/** The channel's pseudo-user, created (active, scheduled) when it does not exist yet. */
async function ensureChannelUser(ctx: DaemonContext, channelPublicId: string): Promise<UserProfile> {
  const userId = channelUserId(channelPublicId);
  if (await ctx.registry.users.exists(userId)) return ctx.registry.users.get(userId);
  const profile = await ctx.registry.users.upsert({
    id: userId,
    timeZone: ctx.config.sync.defaultTimeZone,
    channel: channelPublicId,
  });
  await syncSchedule(ctx, profile);
  return profile;
}

/**
 * Adds or replaces a channel link. The body is a link whose target may be omitted or partial: the
 * channel comes from the path, the buttons from `target.buttons`.
 */
export async function putChannelLink(
  ctx: DaemonContext,
  rawChannelId: string,
  input: unknown,
): Promise<PutLinkResult & { userId: string }> {
  const channelPublicId = parseChannelId(rawChannelId);
  if (ctx.config.kakao.adminKey === '') throw new ChannelAdminKeyMissingError(channelPublicId);
  const body = (input ?? {}) as { target?: Record<string, unknown> };
  if (typeof body !== 'object' || Array.isArray(body))
    throw new InvalidRegistryInputError('a link must be an object');
  const link = { ...body, target: { ...body.target, kind: 'channel', channelPublicId } };
  checkFollowers(ctx, body.target?.['followers']);
  const user = await ensureChannelUser(ctx, channelPublicId);
  const result = await putLink(ctx, user.id, link);
  // Like a newly connected user: the first sync runs now, not at the schedule's first slot.
  if (user.state === 'active') await ctx.queue.trigger(user.id);
  return { ...result, userId: user.id };
}

export async function channelView(ctx: DaemonContext, rawChannelId: string): Promise<ChannelDetail> {
  const channelPublicId = parseChannelId(rawChannelId);
  const userId = channelUserId(channelPublicId);
  const user = await ctx.registry.users.get(userId);
  const store = new FollowStore(ctx.redis, channelKeys(ctx.config.redis.keyPrefix));
  return {
    channelPublicId,
    userId,
    user,
    links: await ctx.registry.links.list(userId),
    relations: Object.fromEntries(await store.relations(channelPublicId)),
    lastFollowReport: (await store.lastReport(channelPublicId)) ?? null,
    audiences: await audienceReports(ctx, channelPublicId, await ctx.registry.links.getAll(userId)),
  };
}

async function audienceReports(ctx: DaemonContext, channelPublicId: string, links: Link[]) {
  const store = new AudienceStore(ctx.redis, ctx.config.redis.keyPrefix);
  const out: Record<string, AudienceReport | null> = {};
  for (const l of links) {
    if (l.target.kind === 'channel' && l.target.audience)
      out[l.id] = (await store.lastReport(channelPublicId, l.id)) ?? null;
  }
  return out;
}

/** Every channel with links (the pseudo-users). */
export async function listChannels(ctx: DaemonContext): Promise<ChannelView[]> {
  const users = (await ctx.registry.users.withIdPrefix(`${channelUserPrefix}_`)).filter(
    (u) => u.channel !== undefined,
  );
  return Promise.all(
    users.map(async (user) => ({
      channelPublicId: user.channel as string,
      userId: user.id,
      user,
      links: await ctx.registry.links.list(user.id),
    })),
  );
}

export async function removeChannelLink(ctx: DaemonContext, rawChannelId: string, linkId: string) {
  return ctx.registry.links.remove(channelUserId(parseChannelId(rawChannelId)), linkId);
}
