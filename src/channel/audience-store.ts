import type { RedisConnection } from '../registry/redis.js';
import { channelUserId } from './channel-user.js';

// The customer file a channel link keeps in step with its followers: its id, the users added to
// it, and the outcome of the last pass. Keys carry the channel pseudo-user's hash tag.

export interface AudienceReport {
  at: string;
  fileId?: number;
  added: number;
  /** Of `added`, how many Kakao took (only users who added the channel can be in a file). */
  accepted: number;
  removed: number;
  error?: string;
}

export class AudienceStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
  ) {}

  private key(channelPublicId: string, linkId: string): string {
    return `${this.prefix}:user:{${channelUserId(channelPublicId)}}:audience:${linkId}`;
  }

  async fileId(channelPublicId: string, linkId: string): Promise<number | undefined> {
    const raw = await this.redis.hget(this.key(channelPublicId, linkId), 'fileId');
    return raw ? Number(raw) : undefined;
  }

  async setFileId(channelPublicId: string, linkId: string, fileId: number): Promise<void> {
    await this.redis.hset(this.key(channelPublicId, linkId), 'fileId', String(fileId));
  }

  async members(channelPublicId: string, linkId: string): Promise<Set<string>> {
    return new Set(await this.redis.smembers(`${this.key(channelPublicId, linkId)}:members`));
  }

  async changeMembers(
    channelPublicId: string,
    linkId: string,
    add: string[],
    remove: string[],
  ): Promise<void> {
    const key = `${this.key(channelPublicId, linkId)}:members`;
    if (add.length > 0) await this.redis.sadd(key, ...add);
    if (remove.length > 0) await this.redis.srem(key, ...remove);
  }

  async saveReport(channelPublicId: string, linkId: string, report: AudienceReport): Promise<void> {
    await this.redis.hset(this.key(channelPublicId, linkId), 'last', JSON.stringify(report));
  }

  async lastReport(channelPublicId: string, linkId: string): Promise<AudienceReport | undefined> {
    const raw = await this.redis.hget(this.key(channelPublicId, linkId), 'last');
    return raw ? (JSON.parse(raw) as AudienceReport) : undefined;
  }
}
