import type { RedisConnection } from '../../registry/redis.js';

// One Redis hash per link of small JSON records by id (guest events, task histories, mirrored
// objects): the keys are built in store/keys.ts and dropped with the link's other keys.

export class CorruptLinkRecordError extends Error {}

export class LinkRecordHash<T> {
  constructor(
    private readonly redis: RedisConnection,
    private readonly key: (userId: string, linkId: string) => string,
    /** What the records are, for the error a corrupt one gives. */
    private readonly what: string,
  ) {}

  async load(userId: string, linkId: string): Promise<Map<string, T>> {
    const all = await this.redis.hgetall(this.key(userId, linkId));
    return new Map(Object.entries(all).map(([id, raw]) => [id, this.parse(id, raw)]));
  }

  async put(userId: string, linkId: string, id: string, record: T): Promise<void> {
    await this.redis.hset(this.key(userId, linkId), id, JSON.stringify(record));
  }

  async remove(userId: string, linkId: string, ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.redis.hdel(this.key(userId, linkId), ...ids);
  }

  private parse(id: string, raw: string): T {
    try {
      return JSON.parse(raw) as T;
    } catch (cause) {
      throw new CorruptLinkRecordError(`corrupt ${this.what} ${id} in Redis`, { cause });
    }
  }
}
