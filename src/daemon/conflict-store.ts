import type { Config } from '../config/schema.js';
import type { RedisConnection } from '../registry/redis.js';
import type { Registry } from '../registry/registry.js';
import { resolveConflict } from '../sync/events/resolve-conflict.js';
import { syncKeys } from '../sync/store/keys.js';
import { withUserLock } from '../sync/store/lock.js';
import { RedisMappingStore } from '../sync/store/redis-mapping-store.js';
import type { ConflictChoice, ConflictPort, PendingConflict } from './conflicts.js';

// Conflicts live on the engine's item mappings (`conflict`); a resolution is recorded there under
// the user's sync lock (so it never races a running sync) and applied by the next sync.

export function mappingConflictPort(
  redis: RedisConnection,
  registry: Registry,
  config: Config,
): ConflictPort {
  const keys = syncKeys(config.redis.keyPrefix);
  const store = new RedisMappingStore(redis, keys);
  return {
    async list(userId, linkId) {
      const links = linkId ? [await registry.links.get(userId, linkId)] : await registry.links.getAll(userId);
      const out: PendingConflict[] = [];
      for (const link of links) {
        const state = await store.load(userId, link.id);
        for (const item of state.items.values()) {
          if (item.conflict && !item.conflict.resolution) {
            out.push({
              linkId: link.id,
              sourceKey: item.sourceKey,
              at: item.conflict.at,
              detail: item.conflict.detail,
            });
          }
        }
      }
      return out;
    },
    async resolve(userId, linkId, choice: ConflictChoice, sourceKeys) {
      return withUserLock(redis, keys, userId, config.sync.lockTtlMs, async (lock) => {
        // 'all' means every conflict still waiting, not those already decided.
        const keysToResolve =
          sourceKeys === 'all'
            ? [...(await store.load(userId, linkId)).items.values()]
                .filter((i) => i.conflict && !i.conflict.resolution)
                .map((i) => i.sourceKey)
            : sourceKeys;
        let resolved = 0;
        for (const key of keysToResolve)
          resolved += (await resolveConflict(store, lock, linkId, key, choice)).length;
        return resolved;
      });
    },
  };
}
