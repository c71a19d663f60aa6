import type { RegistryKeys } from './keys.js';
import type { RedisConnection } from './redis.js';
import { type UserState, userStates } from './user-state.js';

// Users by state, kept up to date on every state change, so counting users (metrics scrapes, the
// quota governor's fair share, status) costs one SCARD per state instead of a read of every user.
// One set per state; the per-user hash stays the truth, and `rebuild` re-derives the sets from it.

export class UserStateIndex {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RegistryKeys,
  ) {}

  /** Records the user's state (removing it from the other states' sets). */
  async set(userId: string, state: UserState): Promise<void> {
    await this.redis.sadd(this.keys.usersInState(state), userId);
    await Promise.all(
      userStates.filter((s) => s !== state).map((s) => this.redis.srem(this.keys.usersInState(s), userId)),
    );
  }

  async drop(userId: string): Promise<void> {
    await Promise.all(userStates.map((s) => this.redis.srem(this.keys.usersInState(s), userId)));
  }

  async counts(): Promise<Record<UserState, number>> {
    const sizes = await Promise.all(userStates.map((s) => this.redis.scard(this.keys.usersInState(s))));
    return Object.fromEntries(userStates.map((s, i) => [s, sizes[i] ?? 0])) as Record<UserState, number>;
  }

  /** Whether the sets were ever built (a registry older than the index has none). */
  async built(): Promise<boolean> {
    return (await this.redis.exists(this.keys.stateIndexBuilt())) === 1;
  }

  /**
   * Marks the sets built when they already hold every user (`userCount`, the set of all users):
   * a registry that had the index from its first user needs no rebuild. True when marked.
   */
  async markBuiltIfComplete(userCount: number): Promise<boolean> {
    const counts = await this.counts();
    if (Object.values(counts).reduce((a, b) => a + b, 0) !== userCount) return false;
    await this.redis.set(this.keys.stateIndexBuilt(), '1');
    return true;
  }

  /** Re-derives every user's set membership from their hashes (start-up, once; in the background). */
  async rebuild(
    ids: AsyncIterable<string[]>,
    stateOf: (id: string) => Promise<UserState | undefined>,
  ): Promise<number> {
    let done = 0;
    for await (const batch of ids) {
      await Promise.all(
        batch.map(async (id) => {
          const state = await stateOf(id);
          if (state) await this.set(id, state);
          else await this.drop(id);
        }),
      );
      done += batch.length;
    }
    await this.redis.set(this.keys.stateIndexBuilt(), '1');
    return done;
  }
}
