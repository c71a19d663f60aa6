import type { RedisConnection } from '../registry/redis.js';

// How far the start-up check of every user's schedule has got (daemon/run.ts): the API answers from
// the start while the check runs in the background, so `talkcal status` and GET /api/status say
// whether it is still running, how many users it has checked of how many, and how many schedules it
// had to write again (lost with Redis data, or a changed interval). Kept in one small Redis hash,
// written once per batch of users, so any process (the CLI too) reads it.

export interface ScheduleCheck {
  startedAt: string;
  /** Users registered when the check started. */
  total: number;
  checked: number;
  /** Schedules written again because they were missing or no longer matched. */
  repaired: number;
  finishedAt?: string;
  /** Why the check stopped early (it runs again at the next start). */
  error?: string;
}

export class StartupProgress {
  private readonly key: string;

  constructor(
    private readonly redis: RedisConnection,
    keyPrefix: string,
  ) {
    this.key = `${keyPrefix}:startup:schedules`;
  }

  async start(total: number, at: Date): Promise<void> {
    await this.redis
      .multi()
      .del(this.key)
      .hset(this.key, { startedAt: at.toISOString(), total, checked: 0, repaired: 0 })
      .exec();
  }

  async advance(checked: number, repaired: number): Promise<void> {
    await this.redis.hset(this.key, { checked, repaired });
  }

  async finish(at: Date, error?: string): Promise<void> {
    await this.redis.hset(this.key, { finishedAt: at.toISOString(), ...(error ? { error } : {}) });
  }

  /** The last start's check, or undefined before any daemon recorded one. */
  async read(): Promise<ScheduleCheck | undefined> {
    const raw = await this.redis.hgetall(this.key);
    if (raw['startedAt'] === undefined) return undefined;
    return {
      startedAt: raw['startedAt'],
      total: Number(raw['total'] ?? 0),
      checked: Number(raw['checked'] ?? 0),
      repaired: Number(raw['repaired'] ?? 0),
      ...(raw['finishedAt'] ? { finishedAt: raw['finishedAt'] } : {}),
      ...(raw['error'] ? { error: raw['error'] } : {}),
    };
  }
}
