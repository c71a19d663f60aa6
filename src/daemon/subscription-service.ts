import { isChannelUserId } from '../channel/channel-user.js';
import { ChannelLinkInputError } from '../channel/errors.js';
import { KakaoClient } from '../kakao/client.js';
import type { SubscribableCalendarList } from '../kakao/types.js';
import { UserNotFoundError } from '../registry/errors.js';
import { registryTokenStore } from '../registry/token-store.js';
import { forgetSubscribed, type RefreshDeps, refreshSubscribed } from '../subscriptions/refresh.js';
import { type Subscription, SubscriptionStore } from '../subscriptions/store.js';
import { KakaoSnapshot } from '../sync/store/kakao-snapshot.js';
import { syncKeys } from '../sync/store/keys.js';
import { horizonWindows } from '../sync/verification/windows.js';
import type { DaemonContext } from './context.js';

// Subscribed calendars (CLI, admin API): what can be subscribed (by category, admin key), and
// subscribing a user to one or unsubscribing them (their token). A subscribed calendar's events are
// listed into the user's snapshot, so they appear read-only in the user's published feeds, and are
// listed again after publish.subscribedRefreshHours by the user's next sync.

export interface SubscribableRow {
  category: string;
  subcategory?: string;
  id: string;
  name: string;
}

function clientOf(ctx: DaemonContext): KakaoClient {
  return new KakaoClient(ctx.config.kakao, {
    onCall: (record) => ctx.metrics.kakaoCalls.inc({ endpoint: record.endpoint, outcome: record.outcome }),
  });
}

export function subscriptionStoreOf(ctx: DaemonContext): SubscriptionStore {
  return new SubscriptionStore(ctx.redis, ctx.config.redis.keyPrefix);
}

/** The catalogue as rows; the sample's `category_name` and the table's `name` are both read. */
export function subscribableRows(list: SubscribableCalendarList): SubscribableRow[] {
  return list.categories.flatMap((c) =>
    c.subcategories.flatMap((s) =>
      s.calendars.map((cal) => {
        const sub = s.subcategory_name ?? s.name;
        return {
          category: c.category_name ?? c.name ?? '',
          ...(sub ? { subcategory: sub } : {}),
          id: cal.id,
          name: cal.name,
        };
      }),
    ),
  );
}

export async function listSubscribable(
  ctx: DaemonContext,
  filter: { categoryName?: string; subcategoryName?: string } = {},
): Promise<SubscribableRow[]> {
  if (filter.subcategoryName !== undefined && filter.categoryName === undefined) {
    throw new ChannelLinkInputError(
      'a subcategory needs its category (Kakao requires category_name with it)',
    );
  }
  return subscribableRows(await clientOf(ctx).admin.listSubscribableCalendars(filter));
}

/** A person registered with tokens: channels have no calendar to subscribe. */
async function personWithTokens(ctx: DaemonContext, userId: string): Promise<void> {
  if (isChannelUserId(userId)) throw new ChannelLinkInputError(`${userId} is a channel; subscribe a person`);
  const user = await ctx.registry.users.get(userId);
  if (!user.hasTokens) throw new UserNotFoundError(userId);
}

function refreshDeps(ctx: DaemonContext, client: KakaoClient, userId: string): RefreshDeps {
  const user = client.forUser(userId, registryTokenStore(ctx.registry.users, userId));
  return {
    userId,
    listWindow: (calendarId, from, to) => user.listEventsWindow({ calendarId, from, to, limit: 1000 }),
    snapshot: new KakaoSnapshot(ctx.redis, syncKeys(ctx.config.redis.keyPrefix)),
    quota: ctx.governor,
    now: () => new Date(),
  };
}

function horizon(ctx: DaemonContext, now: Date) {
  return horizonWindows(now, ctx.config.sync.horizonPastDays, ctx.config.sync.horizonFutureDays);
}

/** Subscribes the user and lists the calendar's events into their feeds. */
export async function subscribeUser(
  ctx: DaemonContext,
  userId: string,
  calendarId: string,
): Promise<Subscription> {
  await personWithTokens(ctx, userId);
  if (typeof calendarId !== 'string' || !calendarId.startsWith('subscribe_')) {
    throw new ChannelLinkInputError(`${calendarId} is not a subscribable calendar id (subscribe_…)`);
  }
  const client = clientOf(ctx);
  await ctx.governor.acquire(userId, 'write', 1);
  await client.forUser(userId, registryTokenStore(ctx.registry.users, userId)).subscribe(calendarId);
  const now = new Date();
  const deps = refreshDeps(ctx, client, userId);
  const outcome = await refreshSubscribed(deps, calendarId, horizon(ctx, now), 'first-sync');
  const subscription: Subscription = {
    calendarId,
    subscribedAt: now.toISOString(),
    refreshedAt: now.toISOString(),
    ...(outcome.deferred > 0 ? { deferredWindows: outcome.deferred } : {}),
  };
  await subscriptionStoreOf(ctx).put(userId, subscription);
  return subscription;
}

export async function unsubscribeUser(
  ctx: DaemonContext,
  userId: string,
  calendarId: string,
): Promise<boolean> {
  await personWithTokens(ctx, userId);
  const client = clientOf(ctx);
  await ctx.governor.acquire(userId, 'write', 1);
  await client.forUser(userId, registryTokenStore(ctx.registry.users, userId)).unsubscribe(calendarId);
  await forgetSubscribed(
    new KakaoSnapshot(ctx.redis, syncKeys(ctx.config.redis.keyPrefix)),
    userId,
    calendarId,
  );
  return subscriptionStoreOf(ctx).remove(userId, calendarId);
}

/**
 * After a person's sync: subscribed calendars last listed more than publish.subscribedRefreshHours
 * ago are listed again, as verification reads (the governor may defer them to another day).
 */
export async function refreshStaleSubscriptions(
  ctx: DaemonContext,
  client: KakaoClient,
  userId: string,
  now = new Date(),
): Promise<void> {
  const store = subscriptionStoreOf(ctx);
  const maxAgeMs = ctx.config.publish.subscribedRefreshHours * 3_600_000;
  for (const s of await store.list(userId)) {
    if (s.refreshedAt && now.getTime() - Date.parse(s.refreshedAt) < maxAgeMs && !s.deferredWindows) continue;
    const outcome = await refreshSubscribed(
      refreshDeps(ctx, client, userId),
      s.calendarId,
      horizon(ctx, now),
      'verify',
    );
    if (outcome.read === 0) continue;
    const { deferredWindows: _d, ...rest } = s;
    await store.put(userId, {
      ...rest,
      refreshedAt: now.toISOString(),
      ...(outcome.deferred > 0 ? { deferredWindows: outcome.deferred } : {}),
    });
  }
}
