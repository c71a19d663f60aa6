import type { Redis } from 'ioredis';

// Fills Redis up to a whole app's users without syncing each one: the keys of users already synced
// are copied (DUMP/RESTORE, so each copy is encoded exactly as the original) under new user ids,
// and the new ids are added to the user sets. What Redis then holds is the real layout at that
// user count — hash tables, key overhead and all — rather than a per-user figure multiplied.

/** Copies the per-user keys of `synced` (round robin) until `total` users exist; returns the new ids. */
export async function cloneUsers(
  redis: Redis,
  prefix: string,
  synced: readonly string[],
  total: number,
): Promise<string[]> {
  const keysOf = new Map<string, string[]>();
  for (const id of synced) keysOf.set(id, await scanAll(redis, `${prefix}:user:{${id}}*`));
  const made: string[] = [];
  for (let n = synced.length; n < total; n += batch) {
    const pipeline = redis.pipeline();
    const sources: { from: string; to: string }[] = [];
    for (let i = n; i < Math.min(total, n + batch); i++) {
      const from = synced[i % synced.length] as string;
      const to = String(900_000_000 + i);
      made.push(to);
      for (const key of keysOf.get(from) ?? []) {
        sources.push({ from: key, to: key.replace(`{${from}}`, `{${to}}`) });
        pipeline.dumpBuffer(key);
      }
    }
    const dumps = (await pipeline.exec()) ?? [];
    const restore = redis.pipeline();
    sources.forEach(({ to }, i) => {
      const dump = dumps[i]?.[1] as Buffer | null;
      if (dump) restore.restore(to, 0, dump, 'REPLACE');
    });
    const ids = made.slice(-(Math.min(total, n + batch) - n));
    restore.sadd(`${prefix}:users`, ...ids);
    restore.sadd(`${prefix}:users:state:active`, ...ids);
    restore.zadd(`${prefix}:users:by-id`, ...ids.flatMap((id) => [0, id]));
    await restore.exec();
  }
  return made;
}

const batch = 100;

async function scanAll(redis: Redis, match: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', match, 'COUNT', 1000);
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return found;
}
