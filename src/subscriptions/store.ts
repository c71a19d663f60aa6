import type { RedisConnection } from '../registry/redis.js';

// The subscribed calendars the daemon subscribed a user to (CLI, admin API), with when their
// events were last listed into the user's snapshot (what the published feeds show).

export interface Subscription {
  calendarId: string;
  name?: string;
  subscribedAt: string;
  /** Last time the calendar's events were listed over the horizon (absent: never yet). */
  refreshedAt?: string;
  /** Windows the last refresh could not read (the quota deferred them). */
  deferredWindows?: number;
}

export const subscriptionsKey = (prefix: string, userId: string) =>
  `${prefix}:user:{${userId}}:subscriptions`;

export class SubscriptionStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
  ) {}

  async list(userId: string): Promise<Subscription[]> {
    const all = await this.redis.hgetall(subscriptionsKey(this.prefix, userId));
    return Object.values(all)
      .map((raw) => JSON.parse(raw) as Subscription)
      .sort((a, b) => a.calendarId.localeCompare(b.calendarId));
  }

  async put(userId: string, subscription: Subscription): Promise<void> {
    await this.redis.hset(
      subscriptionsKey(this.prefix, userId),
      subscription.calendarId,
      JSON.stringify(subscription),
    );
  }

  async remove(userId: string, calendarId: string): Promise<boolean> {
    return (await this.redis.hdel(subscriptionsKey(this.prefix, userId), calendarId)) === 1;
  }

  async forgetUser(userId: string): Promise<void> {
    await this.redis.del(subscriptionsKey(this.prefix, userId));
  }
}
