import { z } from 'zod';
import { isChannelUserId } from '../channel/channel-user.js';
import { ReservedUserIdError } from '../channel/errors.js';
import { FollowStore } from '../channel/follow-store.js';
import { channelKeys } from '../channel/keys.js';
import { FeedStore } from '../publish/feed-store.js';
import { publishKeys } from '../publish/keys.js';
import { LinkSuccessStore } from '../queue/link-success.js';
import type { StoredTokens, UserProfile } from '../registry/user-store.js';
import { userIdSchema } from '../registry/user-store.js';
import { SubscriptionStore } from '../subscriptions/store.js';
import type { DaemonContext } from './context.js';

// Adding, changing and removing users, shared by the admin API, the CLI and the connect flow: the
// registry write and the schedule change always go together.

const zone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'an IANA time zone');

export const newUserSchema = z.strictObject({
  id: userIdSchema,
  timeZone: zone.optional(),
  intervalMinutes: z.number().int().min(1).max(10_080).optional(),
  tokens: z
    .strictObject({
      accessToken: z.string().min(1),
      refreshToken: z.string().min(1),
      /** Seconds until the access token expires (Kakao's expires_in). */
      expiresIn: z.number().int().min(1),
      refreshTokenExpiresIn: z.number().int().min(1).optional(),
      scopes: z.array(z.string()).optional(),
    })
    .optional(),
});
export type NewUserInput = z.input<typeof newUserSchema>;

export const userPatchSchema = z.strictObject({
  timeZone: zone.optional(),
  intervalMinutes: z.number().int().min(1).max(10_080).optional(),
  state: z.enum(['active', 'paused']).optional(),
});

export function tokensFromInput(
  t: NonNullable<z.infer<typeof newUserSchema>['tokens']>,
  now = Date.now(),
): StoredTokens {
  return {
    accessToken: t.accessToken,
    refreshToken: t.refreshToken,
    accessTokenExpiresAt: now + t.expiresIn * 1000,
    ...(t.refreshTokenExpiresIn ? { refreshTokenExpiresAt: now + t.refreshTokenExpiresIn * 1000 } : {}),
    ...(t.scopes ? { scopes: t.scopes } : {}),
  };
}

export async function addUser(ctx: DaemonContext, input: unknown): Promise<UserProfile> {
  const body = newUserSchema.parse(input);
  if (isChannelUserId(body.id)) throw new ReservedUserIdError(body.id);
  const existing = (await ctx.registry.users.exists(body.id))
    ? await ctx.registry.users.get(body.id)
    : undefined;
  const profile = await ctx.registry.users.upsert({
    id: body.id,
    timeZone: body.timeZone ?? existing?.timeZone ?? ctx.config.sync.defaultTimeZone,
    ...(body.intervalMinutes !== undefined ? { intervalMinutes: body.intervalMinutes } : {}),
    ...(body.tokens ? { tokens: tokensFromInput(body.tokens) } : {}),
  });
  await syncSchedule(ctx, profile);
  if (body.tokens) await syncNow(ctx, profile);
  return profile;
}

/** New tokens (the connect flow): stored sealed, the user active again and scheduled. */
export async function connectUser(
  ctx: DaemonContext,
  userId: string,
  tokens: StoredTokens,
): Promise<UserProfile> {
  const existing = (await ctx.registry.users.exists(userId))
    ? await ctx.registry.users.get(userId)
    : undefined;
  const profile = await ctx.registry.users.upsert({
    id: userId,
    timeZone: existing?.timeZone ?? ctx.config.sync.defaultTimeZone,
    tokens,
  });
  await syncSchedule(ctx, profile);
  await syncNow(ctx, profile);
  return profile;
}

export async function patchUser(ctx: DaemonContext, userId: string, input: unknown): Promise<UserProfile> {
  const patch = userPatchSchema.parse(input);
  const current = await ctx.registry.users.get(userId);
  if (patch.timeZone !== undefined || patch.intervalMinutes !== undefined) {
    await ctx.registry.users.upsert({
      id: userId,
      timeZone: patch.timeZone ?? current.timeZone,
      ...(patch.intervalMinutes !== undefined ? { intervalMinutes: patch.intervalMinutes } : {}),
    });
  }
  if (patch.state) await ctx.registry.users.setState(userId, patch.state);
  const profile = await ctx.registry.users.get(userId);
  await syncSchedule(ctx, profile);
  return profile;
}

export async function removeUser(ctx: DaemonContext, userId: string): Promise<boolean> {
  await ctx.queue.unschedule(userId);
  await new FeedStore(ctx.redis, publishKeys(ctx.config.redis.keyPrefix)).removeUser(userId);
  await new FollowStore(ctx.redis, channelKeys(ctx.config.redis.keyPrefix)).forgetUser(userId);
  await new SubscriptionStore(ctx.redis, ctx.config.redis.keyPrefix).forgetUser(userId);
  const linkIds = await ctx.redis.hkeys(ctx.registry.keys.links(userId));
  await new LinkSuccessStore(ctx.redis, ctx.config.redis.keyPrefix).forget(userId, linkIds);
  return ctx.registry.users.remove(userId);
}

/**
 * New tokens: a user who never synced waits in the admission queue for their first sync (a share of
 * worker slots); a returning user (reconnected after needs_reauth) syncs now.
 */
async function syncNow(ctx: DaemonContext, profile: UserProfile): Promise<void> {
  if (profile.state !== 'active' || !profile.hasTokens) return;
  const synced = (await ctx.redis.exists(ctx.registry.keys.lastRun(profile.id))) === 1;
  if (synced) await ctx.queue.trigger(profile.id);
  else await ctx.queue.admission.admit(profile.id);
}

/**
 * Active users with tokens (or a channel's pseudo-user) are scheduled at their interval. True when a
 * schedule was written (with `keepIntact`, only one that was missing or no longer matched).
 */
export async function syncSchedule(
  ctx: DaemonContext,
  profile: UserProfile,
  options: { keepIntact?: boolean } = {},
): Promise<boolean> {
  if (profile.state === 'active' && (profile.hasTokens || profile.channel !== undefined)) {
    const interval = profile.intervalMinutes ?? ctx.config.sync.intervalMinutes;
    if (options.keepIntact) return ctx.queue.ensureScheduled(profile.id, interval);
    await ctx.queue.schedule(profile.id, interval);
    return true;
  }
  await ctx.queue.unschedule(profile.id);
  return false;
}
