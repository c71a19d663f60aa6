import type { Config } from '../config/schema.js';
import { createSecretBox, type SecretBox } from './crypto.js';
import { type RegistryKeys, registryKeys } from './keys.js';
import { LinkStore } from './link-store.js';
import type { RedisConnection } from './redis.js';
import { UserStore } from './user-store.js';

/** Users and links over one Redis connection and one set of keys. */
export class Registry {
  readonly keys: RegistryKeys;
  readonly box: SecretBox;
  readonly users: UserStore;
  readonly links: LinkStore;

  constructor(
    readonly redis: RedisConnection,
    config: Pick<Config, 'redis' | 'security'>,
    box: SecretBox = createSecretBox(config.security),
  ) {
    this.keys = registryKeys(config.redis.keyPrefix);
    this.box = box;
    this.users = new UserStore(redis, this.keys, this.box);
    this.links = new LinkStore(redis, this.keys, this.box);
  }

  /** Re-seals every secret with the active key (run after adding and activating a new key). */
  async rotateKeys(): Promise<{ users: number; links: number }> {
    let users = 0;
    let links = 0;
    // A batch of ids at a time: no list of every user's profile in memory.
    for await (const ids of this.users.idBatches()) {
      for (const id of ids) {
        if (await this.users.reseal(id)) users++;
        links += await this.links.reseal(id);
      }
    }
    return { users, links };
  }
}
