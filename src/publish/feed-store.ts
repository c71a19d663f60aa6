import { randomBytes } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { FeedNotFoundError, InvalidFeedInputError } from './errors.js';
import { type FeedInput, type FeedRecord, parseFeedInput } from './feed.js';
import { hashFeedToken, looksLikeFeedToken, newFeedToken } from './feed-token.js';
import type { PublishKeys } from './keys.js';

// Feeds in Redis: the user's list (feedId → record) and a global index token hash → record. The
// token itself is returned once, on create and rotate, and never stored.

export interface IssuedFeed {
  feed: FeedRecord;
  token: string;
}

const feedIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

export class FeedStore {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly keys: PublishKeys,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(userId: string, input: unknown): Promise<IssuedFeed> {
    const def: FeedInput = parseFeedInput(input);
    const token = newFeedToken();
    const feed: FeedRecord = {
      // Hex: a base64url id may start with '-', which the CLI would read as an option.
      id: randomBytes(6).toString('hex'),
      userId,
      kind: def.kind,
      ...(def.calendarId ? { calendarId: def.calendarId } : {}),
      ...(def.otherAppEvents ? { otherAppEvents: def.otherAppEvents } : {}),
      ...(def.name ? { name: def.name } : {}),
      tokenHash: hashFeedToken(token),
      createdAt: this.now().toISOString(),
    };
    // Token first: a crash in between leaves an orphan index entry pointing at no listed feed,
    // which `byToken` refuses (it checks the user's list).
    await this.redis.set(this.keys.token(feed.tokenHash), JSON.stringify(feed));
    await this.redis.hset(this.keys.feeds(userId), feed.id, JSON.stringify(feed));
    return { feed, token };
  }

  async list(userId: string): Promise<FeedRecord[]> {
    const all = await this.redis.hgetall(this.keys.feeds(userId));
    return Object.values(all)
      .map((j) => JSON.parse(j) as FeedRecord)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  async get(userId: string, feedId: string): Promise<FeedRecord> {
    if (!feedIdPattern.test(feedId))
      throw new InvalidFeedInputError(`invalid feed id ${JSON.stringify(feedId)}`);
    const json = await this.redis.hget(this.keys.feeds(userId), feedId);
    if (!json) throw new FeedNotFoundError(userId, feedId);
    return JSON.parse(json) as FeedRecord;
  }

  /** A new token for the feed; the old one stops working at once. */
  async rotate(userId: string, feedId: string): Promise<IssuedFeed> {
    const old = await this.get(userId, feedId);
    const token = newFeedToken();
    const feed: FeedRecord = { ...old, tokenHash: hashFeedToken(token), rotatedAt: this.now().toISOString() };
    await this.redis.del(this.keys.token(old.tokenHash));
    await this.redis.set(this.keys.token(feed.tokenHash), JSON.stringify(feed));
    await this.redis.hset(this.keys.feeds(userId), feed.id, JSON.stringify(feed));
    return { feed, token };
  }

  async revoke(userId: string, feedId: string): Promise<boolean> {
    let old: FeedRecord;
    try {
      old = await this.get(userId, feedId);
    } catch (error) {
      if (error instanceof FeedNotFoundError) return false;
      throw error;
    }
    await this.redis.del(this.keys.token(old.tokenHash));
    await this.redis.hdel(this.keys.feeds(userId), feedId);
    await this.redis.del(this.keys.versions(userId, feedId));
    return true;
  }

  /** The feed a token opens, or undefined for any token that is not current (unknown, revoked, rotated). */
  async byToken(token: string): Promise<FeedRecord | undefined> {
    if (!looksLikeFeedToken(token)) return undefined;
    const hash = hashFeedToken(token);
    const json = await this.redis.get(this.keys.token(hash));
    if (!json) return undefined;
    const indexed = JSON.parse(json) as FeedRecord;
    const current = await this.redis.hget(this.keys.feeds(indexed.userId), indexed.id);
    if (!current) return undefined;
    const feed = JSON.parse(current) as FeedRecord;
    return feed.tokenHash === hash ? feed : undefined;
  }

  /** Removes every feed of a user (user deletion). */
  async removeUser(userId: string): Promise<void> {
    for (const feed of await this.list(userId)) await this.revoke(userId, feed.id);
  }
}
