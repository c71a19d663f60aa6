import type { RedisConnection } from '../../registry/redis.js';
import type { GuestRecord } from './guest-plan.js';

// The guest events a two-way link mirrors into its CalDAV collection: one hash per link, Kakao
// event id → GuestRecord JSON (key built in store/keys.ts, dropped with the link's other keys).

export interface GuestStore {
  load(userId: string, linkId: string): Promise<Map<string, GuestRecord>>;
  put(userId: string, linkId: string, record: GuestRecord): Promise<void>;
  remove(userId: string, linkId: string, kakaoId: string): Promise<void>;
}

export class RedisGuestStore implements GuestStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly key: (userId: string, linkId: string) => string,
  ) {}

  async load(userId: string, linkId: string): Promise<Map<string, GuestRecord>> {
    const all = await this.redis.hgetall(this.key(userId, linkId));
    return new Map(Object.entries(all).map(([id, raw]) => [id, JSON.parse(raw) as GuestRecord]));
  }

  async put(userId: string, linkId: string, record: GuestRecord): Promise<void> {
    await this.redis.hset(this.key(userId, linkId), record.kakaoId, JSON.stringify(record));
  }

  async remove(userId: string, linkId: string, kakaoId: string): Promise<void> {
    await this.redis.hdel(this.key(userId, linkId), kakaoId);
  }
}

/** A store in memory (unit tests, dry runs). */
export class MemoryGuestStore implements GuestStore {
  readonly links = new Map<string, Map<string, GuestRecord>>();

  async load(userId: string, linkId: string): Promise<Map<string, GuestRecord>> {
    return new Map(this.links.get(`${userId}/${linkId}`) ?? []);
  }

  async put(userId: string, linkId: string, record: GuestRecord): Promise<void> {
    const k = `${userId}/${linkId}`;
    if (!this.links.has(k)) this.links.set(k, new Map());
    this.links.get(k)!.set(record.kakaoId, structuredClone(record));
  }

  async remove(userId: string, linkId: string, kakaoId: string): Promise<void> {
    this.links.get(`${userId}/${linkId}`)?.delete(kakaoId);
  }
}
