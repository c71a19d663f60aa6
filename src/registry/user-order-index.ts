import type { RegistryKeys } from './keys.js';
import type { RedisConnection } from './redis.js';

// User ids in id order (a sorted set with every score 0, read by lexicographic range), so an admin
// listing pages by "the ids after the last one shown": every user present for the whole listing is
// seen exactly once however many are added or removed between pages (SSCAN may repeat ids on rehash).
// The set of all users stays the truth; `ensure` re-derives the order from it when their sizes differ
// (a registry older than this index, or a write interrupted between the two keys).

export class UserOrderIndex {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RegistryKeys,
  ) {}

  async add(userId: string): Promise<void> {
    await this.redis.zadd(this.keys.usersById(), 0, userId);
  }

  async drop(userId: string): Promise<void> {
    await this.redis.zrem(this.keys.usersById(), userId);
  }

  /** Up to `limit` ids after `after` (from the first without it), in id order. */
  async idsAfter(after: string | undefined, limit: number): Promise<string[]> {
    const from = after === undefined ? '-' : `(${after}`;
    return this.redis.zrangebylex(this.keys.usersById(), from, '+', 'LIMIT', 0, limit);
  }

  /** Every id starting with `prefix`, in id order (ids are ASCII: U+FFFF sorts after any of them). */
  async idsStartingWith(prefix: string): Promise<string[]> {
    return this.redis.zrangebylex(this.keys.usersById(), `[${prefix}`, `(${prefix}\uffff`);
  }

  /** Rebuilds the order from the set of all users when the two disagree in size. */
  async ensure(allIds: () => AsyncIterable<string[]>): Promise<void> {
    if (await this.agrees()) return;
    for await (const ids of allIds())
      await this.redis.zadd(this.keys.usersById(), ...ids.flatMap((id) => [0, id]));
    if (await this.agrees()) return;
    for await (const ids of this.orderedBatches()) {
      const present = await Promise.all(ids.map((id) => this.redis.sismember(this.keys.users(), id)));
      const gone = ids.filter((_, i) => present[i] === 0);
      if (gone.length > 0) await this.redis.zrem(this.keys.usersById(), ...gone);
    }
  }

  private async agrees(): Promise<boolean> {
    const [ordered, all] = await Promise.all([
      this.redis.zcard(this.keys.usersById()),
      this.redis.scard(this.keys.users()),
    ]);
    return ordered === all;
  }

  private async *orderedBatches(batch = 500): AsyncGenerator<string[]> {
    let after: string | undefined;
    for (;;) {
      const ids = await this.idsAfter(after, batch);
      if (ids.length > 0) yield ids;
      if (ids.length < batch) return;
      after = ids[ids.length - 1];
    }
  }
}
