import { z } from 'zod';
import { syncAudience } from '../channel/audience.js';
import { AudienceStore } from '../channel/audience-store.js';
import { channelUserId } from '../channel/channel-user.js';
import { ChannelAdminKeyMissingError, ChannelLinkInputError } from '../channel/errors.js';
import { type FollowDeps, followEvents, followLinkEvents, unfollowEvents } from '../channel/follow.js';
import { type FollowRecord, type FollowReport, FollowStore } from '../channel/follow-store.js';
import { channelKeys } from '../channel/keys.js';
import { KakaoClient } from '../kakao/client.js';
import { KakaoQuotaError } from '../kakao/errors.js';
import type { Link } from '../model/link.js';
import { registryTokenStore } from '../registry/token-store.js';
import { syncKeys } from '../sync/store/keys.js';
import { mappedKakaoIds } from '../sync/store/mapping.js';
import type { MappingStore } from '../sync/store/mapping-store.js';
import { RedisMappingStore } from '../sync/store/redis-mapping-store.js';
import { parseChannelId } from './channel-service.js';
import type { DaemonContext } from './context.js';

// Follows of a channel's public events (admin API, CLI, and the followers option of channel links
// after each sync): the daemon's Kakao client, each follower's tokens from the registry, the quota
// governor, and the follow store.

export function followStoreOf(ctx: DaemonContext): FollowStore {
  return new FollowStore(ctx.redis, channelKeys(ctx.config.redis.keyPrefix));
}

export function followDeps(ctx: DaemonContext, client?: KakaoClient): FollowDeps {
  const kakao =
    client ??
    new KakaoClient(ctx.config.kakao, {
      onCall: (record) => ctx.metrics.kakaoCalls.inc({ endpoint: record.endpoint, outcome: record.outcome }),
    });
  const userClient = (userId: string) =>
    kakao.forUser(userId, registryTokenStore(ctx.registry.users, userId));
  return {
    relations: kakao.channel,
    followers: {
      follow: async (userId, eventId, calendarId) => {
        await userClient(userId).followPublicEvent({ eventId, ...(calendarId ? { calendarId } : {}) });
      },
      unfollow: async (userId, eventId) => {
        await userClient(userId).deleteEvent({ eventId });
      },
    },
    store: followStoreOf(ctx),
    quota: ctx.governor,
    now: () => new Date(),
    recheckMs: ctx.config.channels.relationRecheckHours * 3_600_000,
  };
}

const idList = (what: string) =>
  z.array(z.string().min(1), { error: `${what} must be a non-empty list of ids` }).min(1, {
    error: `${what} must be a non-empty list of ids`,
  });

/** Who to follow (or unfollow) which public events for: eventIds, or linkId for all of a link's. */
export const followInputSchema = z
  .object({
    userIds: idList('userIds'),
    eventIds: idList('eventIds').optional(),
    linkId: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'instead of eventIds: every public event of the link' }),
    calendarId: z.string().optional().meta({ description: "the follower's calendar (default primary)" }),
  })
  .refine((body) => (body.eventIds === undefined) !== (body.linkId === undefined), {
    error: 'give eventIds or linkId (every public event of that link), not both',
  });
export type FollowInput = z.input<typeof followInputSchema>;

function parseFollowInput(input: unknown): z.output<typeof followInputSchema> {
  const parsed = followInputSchema.safeParse(input ?? {});
  if (!parsed.success)
    throw new ChannelLinkInputError(parsed.error.issues[0]?.message ?? 'invalid follow input');
  return parsed.data;
}

/** The users and events a follow or unfollow names, checked before any call. */
async function resolveInput(ctx: DaemonContext, channelPublicId: string, input: unknown) {
  if (ctx.config.kakao.adminKey === '') throw new ChannelAdminKeyMissingError(channelPublicId);
  const body = parseFollowInput(input);
  const { userIds } = body;
  if (body.eventIds !== undefined) return { userIds, eventIds: body.eventIds };
  const userId = channelUserId(channelPublicId);
  await ctx.registry.links.get(userId, String(body.linkId));
  const store = new RedisMappingStore(ctx.redis, syncKeys(ctx.config.redis.keyPrefix));
  const eventIds = [...mappedKakaoIds(await store.load(userId, String(body.linkId)))].sort();
  if (eventIds.length === 0) {
    throw new ChannelLinkInputError(`link ${body.linkId} has no public events yet: sync ${userId} first`);
  }
  return { userIds, eventIds };
}

/** Follows the events for the users (each user's relationship checked now). */
export async function followForUsers(
  ctx: DaemonContext,
  rawChannelId: string,
  input: unknown,
): Promise<FollowReport> {
  const channelPublicId = parseChannelId(rawChannelId);
  const { userIds, eventIds } = await resolveInput(ctx, channelPublicId, input);
  const { calendarId, linkId } = parseFollowInput(input);
  return followEvents(followDeps(ctx), {
    channelPublicId,
    eventIds,
    userIds,
    ...(calendarId ? { calendarId } : {}),
    ...(linkId ? { linkId } : {}),
    freshCheck: true,
  });
}

export async function unfollowForUsers(ctx: DaemonContext, rawChannelId: string, input: unknown) {
  const channelPublicId = parseChannelId(rawChannelId);
  return unfollowEvents(followDeps(ctx), await resolveInput(ctx, channelPublicId, input));
}

/** What a user follows (shown in their status). */
export function followsOfUser(ctx: DaemonContext, userId: string): Promise<FollowRecord[]> {
  return followStoreOf(ctx).followsOf(userId);
}

/**
 * After a channel's sync: the followers option of each of its links. Returns the merged report
 * (also stored as the channel's last report), or undefined when there was nothing to follow.
 */
export async function followPassAfterSync(
  deps: FollowDeps,
  mappings: MappingStore,
  channelPublicId: string,
  links: readonly Link[],
): Promise<FollowReport | undefined> {
  let merged: FollowReport | undefined;
  for (const link of links) {
    if (link.target.kind !== 'channel' || !link.enabled) continue;
    const mapped = mappedKakaoIds(await mappings.load(channelUserId(channelPublicId), link.id));
    const report = await followLinkEvents(deps, { id: link.id, target: link.target }, mapped);
    if (!report) continue;
    merged = merged ? mergeReports(merged, report) : report;
  }
  if (merged) await deps.store.saveReport(merged);
  return merged;
}

function mergeReports(a: FollowReport, b: FollowReport): FollowReport {
  const followed = { ...a.followed };
  for (const [userId, ids] of Object.entries(b.followed))
    followed[userId] = [...(followed[userId] ?? []), ...ids];
  return { ...a, followed, skipped: [...a.skipped, ...b.skipped], failed: [...a.failed, ...b.failed] };
}

/** After the follow pass: each link's audience file brought in step with its followers. */
export async function audiencePassAfterSync(
  ctx: DaemonContext,
  client: KakaoClient,
  channelPublicId: string,
  links: readonly Link[],
): Promise<void> {
  const audiences = new AudienceStore(ctx.redis, ctx.config.redis.keyPrefix);
  const deps = { api: client.channel, audiences, follows: followStoreOf(ctx), now: () => new Date() };
  for (const link of links) {
    if (link.target.kind !== 'channel' || !link.target.audience || !link.enabled) continue;
    try {
      await syncAudience(deps, { id: link.id, target: link.target });
    } catch (err) {
      if (err instanceof KakaoQuotaError) throw err;
      const error = err instanceof Error ? err.message : String(err);
      ctx.logger.warn({ channel: channelPublicId, linkId: link.id, err: error }, 'audience not updated');
      await audiences.saveReport(channelPublicId, link.id, {
        at: new Date().toISOString(),
        added: 0,
        accepted: 0,
        removed: 0,
        error,
      });
    }
  }
}
