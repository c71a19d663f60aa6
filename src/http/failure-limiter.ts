import type { RedisConnection } from '../registry/redis.js';

// Counts failures per client (wrong published-feed tokens per address) in Redis, so every daemon
// behind one load balancer sees the same count: one key per client, INCR'd, whose expiry (set by the
// first failure of a window, PEXPIRE NX in the same MULTI) ends the window. A client past `limit`
// failures is refused until the key expires; the keys held are the clients that failed in the last
// window.

export interface FailureLimiterOptions {
  keyPrefix: string;
  /** Failures a client may make in one window (http.feedTokenFailuresPerMinute). */
  limit: number;
  windowMs?: number;
}

export const feedTokenFailuresKey = (prefix: string, client: string) =>
  `${prefix}:feed-token-failures:${client}`;

export class FailureLimiter {
  private readonly windowMs: number;

  constructor(
    private readonly redis: RedisConnection,
    private readonly options: FailureLimiterOptions,
  ) {
    this.windowMs = options.windowMs ?? 60_000;
  }

  private key(client: string): string {
    return feedTokenFailuresKey(this.options.keyPrefix, client);
  }

  /** Seconds until `client` may try again, or undefined when it may now. */
  async blockedFor(client: string): Promise<number | undefined> {
    const key = this.key(client);
    const [[, count] = [], [, ttlMs] = []] = (await this.redis.multi().get(key).pttl(key).exec()) ?? [];
    if (Number(count ?? 0) < this.options.limit) return undefined;
    // A key without an expiry (-1) cannot stay: a window is never longer than windowMs.
    const left = typeof ttlMs === 'number' && ttlMs > 0 ? ttlMs : this.windowMs;
    return Math.max(1, Math.ceil(left / 1000));
  }

  async fail(client: string): Promise<void> {
    const key = this.key(client);
    await this.redis.multi().incr(key).pexpire(key, this.windowMs, 'NX').exec();
  }
}
