import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';

// A Lua script sent by its SHA1 (EVALSHA), its text only when a Redis node does not know it yet
// (after a restart or on a Cluster node seen for the first time): a script is not resent with every
// call of a hot path (the quota governor, the sync lock).

export class LuaScript {
  readonly sha: string;

  constructor(
    readonly lua: string,
    readonly numberOfKeys: number,
  ) {
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  async run(
    redis: Redis | Cluster,
    keys: readonly string[],
    args: readonly (string | number)[],
  ): Promise<unknown> {
    if (keys.length !== this.numberOfKeys)
      throw new Error(`script takes ${this.numberOfKeys} keys, got ${keys.length}`);
    try {
      return await redis.evalsha(this.sha, this.numberOfKeys, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(this.lua, this.numberOfKeys, ...keys, ...args);
    }
  }
}

/** Extends a key's TTL (ARGV[2] ms) only while it still holds the caller's value (ARGV[1]). */
export const renewIfOwner = new LuaScript(
  `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`,
  1,
);

/** Deletes a key only while it still holds the caller's value (ARGV[1]). */
export const deleteIfOwner = new LuaScript(
  `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`,
  1,
);
