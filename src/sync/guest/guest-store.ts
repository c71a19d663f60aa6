import type { RedisConnection } from '../../registry/redis.js';
import { LinkRecordHash } from '../store/link-record-hash.js';
import type { GuestRecord } from './guest-plan.js';

// The guest events a two-way link mirrors into its CalDAV collection: one hash per link, Kakao
// event id → GuestRecord JSON (key built in store/keys.ts, dropped with the link's other keys).

export interface GuestStore {
  load(userId: string, linkId: string): Promise<Map<string, GuestRecord>>;
  put(userId: string, linkId: string, record: GuestRecord): Promise<void>;
  remove(userId: string, linkId: string, kakaoId: string): Promise<void>;
}

export class RedisGuestStore implements GuestStore {
  private readonly hash: LinkRecordHash<GuestRecord>;

  constructor(redis: RedisConnection, key: (userId: string, linkId: string) => string) {
    this.hash = new LinkRecordHash(redis, key, 'guest event record');
  }

  load(userId: string, linkId: string): Promise<Map<string, GuestRecord>> {
    return this.hash.load(userId, linkId);
  }

  put(userId: string, linkId: string, record: GuestRecord): Promise<void> {
    return this.hash.put(userId, linkId, record.kakaoId, record);
  }

  remove(userId: string, linkId: string, kakaoId: string): Promise<void> {
    return this.hash.remove(userId, linkId, [kakaoId]);
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
