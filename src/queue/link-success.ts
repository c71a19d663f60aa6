import type { RedisConnection } from '../registry/redis.js';

// When each link last ran without error (its source read, its changes applied, or nothing to do),
// kept in one Redis hash by every worker, so the API process's /metrics shows every link's age
// whichever worker ran it: `talkcal_link_last_success_timestamp_seconds`. A link in backoff or
// whose run failed keeps its older time, which is what an alert on staleness looks at.

export interface LinkRunOutcome {
  linkId: string;
  error?: string;
  skipped?: unknown;
}

export class LinkSuccessStore {
  private readonly key: string;

  constructor(
    private readonly redis: RedisConnection,
    keyPrefix: string,
  ) {
    this.key = `${keyPrefix}:link-last-success`;
  }

  /** Records `at` for each link of the run that succeeded. */
  async record(userId: string, links: readonly LinkRunOutcome[], at: Date): Promise<void> {
    const ok = links.filter((l) => l.error === undefined && l.skipped !== 'backoff');
    if (ok.length === 0) return;
    const seconds = String(Math.floor(at.getTime() / 1000));
    await this.redis.hset(this.key, Object.fromEntries(ok.map((l) => [fieldOf(userId, l.linkId), seconds])));
  }

  /** Every link's last success, in seconds since the epoch. */
  async all(): Promise<{ userId: string; linkId: string; seconds: number }[]> {
    const raw = await this.redis.hgetall(this.key);
    return Object.entries(raw).map(([field, seconds]) => {
      const [userId, linkId] = JSON.parse(field) as [string, string];
      return { userId, linkId, seconds: Number(seconds) };
    });
  }

  /** Forgets these links' times (links removed since). */
  async drop(links: readonly { userId: string; linkId: string }[]): Promise<void> {
    if (links.length > 0) await this.redis.hdel(this.key, ...links.map((l) => fieldOf(l.userId, l.linkId)));
  }

  /** Forgets a removed user's times (their link ids read before the removal: no walk of every link). */
  async forget(userId: string, linkIds: readonly string[]): Promise<void> {
    await this.drop(linkIds.map((linkId) => ({ userId, linkId })));
  }
}

// JSON keeps any id apart from any other (ids may hold any separator).
const fieldOf = (userId: string, linkId: string) => JSON.stringify([userId, linkId]);

/** The links of a sync result (`{ links: [{ linkId, error?, skipped? }] }`); none for another shape. */
export function linksOfResult(result: unknown): LinkRunOutcome[] {
  const links = (result as { links?: unknown } | null)?.links;
  if (!Array.isArray(links)) return [];
  return links.filter(
    (l): l is LinkRunOutcome => typeof l === 'object' && l !== null && typeof l.linkId === 'string',
  );
}
