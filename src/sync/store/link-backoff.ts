import type { Cluster, Redis } from 'ioredis';
import type { SyncKeys } from './keys.js';

// A link that fails (its source unreachable or too costly, a bound broken) is retried after a
// delay that doubles with each consecutive failure, not at every poll: a poisoned link costs its
// limit once per backoff period, and its Kakao state stays as it was meanwhile. A success clears it.

export interface LinkBackoff {
  /** Consecutive failed runs. */
  failures: number;
  /** ISO time before which scheduled runs skip the link. */
  retryAt: string;
  /** The last failure, one line. */
  reason: string;
  /** ISO time of the first failure of this series. */
  since: string;
}

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

/** The backoff after one more failure (pure). */
export function nextBackoff(
  previous: LinkBackoff | undefined,
  reason: string,
  now: Date,
  policy: BackoffPolicy,
): LinkBackoff {
  const failures = (previous?.failures ?? 0) + 1;
  const delay = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(failures - 1, 30));
  return {
    failures,
    retryAt: new Date(now.getTime() + delay).toISOString(),
    reason,
    since: previous?.since ?? now.toISOString(),
  };
}

/** Whether a run at `now` skips the link. */
export function isBackingOff(backoff: LinkBackoff | undefined, now: Date): backoff is LinkBackoff {
  return backoff !== undefined && Date.parse(backoff.retryAt) > now.getTime();
}

function parse(raw: string): LinkBackoff | undefined {
  try {
    const v = JSON.parse(raw) as Partial<LinkBackoff>;
    if (typeof v.failures !== 'number' || typeof v.retryAt !== 'string') return undefined;
    return {
      failures: v.failures,
      retryAt: v.retryAt,
      reason: String(v.reason ?? ''),
      since: String(v.since ?? v.retryAt),
    };
  } catch {
    return undefined;
  }
}

/** Per user, one hash: link id → LinkBackoff JSON. */
export class LinkBackoffStore {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly keys: SyncKeys,
  ) {}

  async all(userId: string): Promise<Map<string, LinkBackoff>> {
    const raw = await this.redis.hgetall(this.keys.backoff(userId));
    const out = new Map<string, LinkBackoff>();
    for (const [linkId, value] of Object.entries(raw)) {
      const parsed = parse(value);
      if (parsed) out.set(linkId, parsed);
    }
    return out;
  }

  async set(userId: string, linkId: string, backoff: LinkBackoff): Promise<void> {
    await this.redis.hset(this.keys.backoff(userId), linkId, JSON.stringify(backoff));
  }

  async clear(userId: string, linkId: string): Promise<void> {
    await this.redis.hdel(this.keys.backoff(userId), linkId);
  }
}
