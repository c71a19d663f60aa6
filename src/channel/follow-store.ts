import type { RedisConnection } from '../registry/redis.js';
import { channelUserId } from './channel-user.js';
import type { ChannelKeys } from './keys.js';
import type { RelationRecord } from './relations.js';

// What the daemon remembers about follows: per follower, the public events it followed for them;
// per channel, each user's last relationship check and the last follow report.

export interface FollowRecord {
  eventId: string;
  channelPublicId: string;
  /** The channel link whose event it is, when followed through the link's followers option. */
  linkId?: string;
  calendarId: string;
  followedAt: string;
}

export interface FollowReport {
  channelPublicId: string;
  at: string;
  /** Follows made (user → public event ids). */
  followed: Record<string, string[]>;
  /** Users not followed for, with why (their relationship, or their tokens). */
  skipped: { userId: string; reason: string }[];
  failed: { userId: string; eventId: string; error: string }[];
  /** The pass stopped early (e.g. the app may not use the relationship API). */
  error?: string;
}

export class FollowStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: ChannelKeys,
  ) {}

  async followsOf(userId: string): Promise<FollowRecord[]> {
    const all = await this.redis.hgetall(this.keys.follows(userId));
    return Object.values(all)
      .map((raw) => JSON.parse(raw) as FollowRecord)
      .sort((a, b) => a.followedAt.localeCompare(b.followedAt) || a.eventId.localeCompare(b.eventId));
  }

  async addFollow(userId: string, record: FollowRecord): Promise<void> {
    await this.redis.hset(this.keys.follows(userId), record.eventId, JSON.stringify(record));
  }

  async removeFollows(userId: string, eventIds: readonly string[]): Promise<void> {
    if (eventIds.length > 0) await this.redis.hdel(this.keys.follows(userId), ...eventIds);
  }

  async forgetUser(userId: string): Promise<void> {
    await this.redis.del(this.keys.follows(userId));
  }

  async relations(channelPublicId: string): Promise<Map<string, RelationRecord>> {
    const all = await this.redis.hgetall(this.keys.relations(channelUserId(channelPublicId)));
    return new Map(Object.entries(all).map(([id, raw]) => [id, JSON.parse(raw) as RelationRecord]));
  }

  async setRelations(channelPublicId: string, records: ReadonlyMap<string, RelationRecord>): Promise<void> {
    if (records.size === 0) return;
    const fields = Object.fromEntries([...records].map(([id, r]) => [id, JSON.stringify(r)]));
    await this.redis.hset(this.keys.relations(channelUserId(channelPublicId)), fields);
  }

  async saveReport(report: FollowReport): Promise<void> {
    await this.redis.set(
      this.keys.lastFollowReport(channelUserId(report.channelPublicId)),
      JSON.stringify(report),
    );
  }

  async lastReport(channelPublicId: string): Promise<FollowReport | undefined> {
    const raw = await this.redis.get(this.keys.lastFollowReport(channelUserId(channelPublicId)));
    return raw ? (JSON.parse(raw) as FollowReport) : undefined;
  }
}
