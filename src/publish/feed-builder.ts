import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Cluster, Redis } from 'ioredis';
import type { SyncKeys } from '../sync/store/keys.js';
import { horizonWindows } from '../sync/verification/windows.js';
import type { FeedRecord } from './feed.js';
import { buildFeed, type FeedInputs, type FeedSettings, inputsDigest, lastVerified } from './feed-content.js';
import type { PublishKeys } from './keys.js';
import type { EventVersion } from './versions.js';

// Serves feed bodies from Redis only (the sync engine's snapshot and mappings; never Kakao). A
// body is rebuilt only when its inputs' digest changes; in between it is served from memory, and
// concurrent requests for one feed share one build. Within `revalidateMs` of the last check the
// cached body is served without reading Redis at all.

export interface RenderedFeed {
  body: Buffer;
  gzipped: Buffer;
  /** base64url SHA-256 of the body (the strong ETag). */
  hash: string;
  lastModified: Date;
  /** When Kakao was last read for this user (ISO), for the X-Talkcal-Verified-At header. */
  verifiedAt?: string;
}

export interface FeedLinkView {
  id: string;
  target: { kind: string; calendarId?: string };
}

export interface FeedBuilderDeps {
  redis: Redis | Cluster;
  syncKeys: SyncKeys;
  publishKeys: PublishKeys;
  links: { list(userId: string): Promise<FeedLinkView[]> };
  users: { get(userId: string): Promise<{ timeZone: string }> };
  publish: { refreshIntervalMinutes: number; otherAppEvents: 'busy' | 'hide' };
  horizon: { pastDays: number; futureDays: number };
  now?: () => Date;
  revalidateMs?: number;
  /** Feeds kept in memory at most (least recently built dropped first). */
  maxCached?: number;
}

interface CacheEntry {
  digest: string;
  checkedAt: number;
  rendered: RenderedFeed;
}

const feedStateField = '#feed';

export class FeedBuilder {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly inflight = new Map<string, Promise<RenderedFeed>>();
  private readonly now: () => Date;
  /** Builds done (not cache hits): for tests and the benchmark. */
  builds = 0;

  constructor(private readonly deps: FeedBuilderDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async render(feed: FeedRecord): Promise<RenderedFeed> {
    const key = `${feed.userId}\u0000${feed.id}`;
    const cached = this.cache.get(key);
    if (cached && this.now().getTime() - cached.checkedAt < (this.deps.revalidateMs ?? 1000))
      return cached.rendered;
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.refresh(key, feed).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return pending;
  }

  private async refresh(key: string, feed: FeedRecord): Promise<RenderedFeed> {
    const now = this.now();
    const inputs = await this.readInputs(feed.userId);
    const settings = this.settings(now);
    const digest = inputsDigest(feed, inputs, settings);
    const cached = this.cache.get(key);
    const verifiedAt = lastVerified(inputs);
    if (cached && cached.digest === digest) {
      cached.checkedAt = now.getTime();
      return cached.rendered;
    }
    const rendered = await this.build(feed, inputs, settings, now);
    if (verifiedAt) rendered.verifiedAt = verifiedAt;
    this.cache.delete(key);
    this.cache.set(key, { digest, checkedAt: now.getTime(), rendered });
    const max = this.deps.maxCached ?? 1000;
    while (this.cache.size > max) this.cache.delete(this.cache.keys().next().value as string);
    return rendered;
  }

  private settings(now: Date): FeedSettings {
    const windows = horizonWindows(now, this.deps.horizon.pastDays, this.deps.horizon.futureDays);
    return {
      refreshMinutes: this.deps.publish.refreshIntervalMinutes,
      otherAppEvents: this.deps.publish.otherAppEvents,
      horizon: { from: new Date(windows[0]!.from), to: new Date(windows.at(-1)!.to) },
    };
  }

  private async readInputs(userId: string): Promise<FeedInputs> {
    const { redis, syncKeys: k } = this.deps;
    const [user, links, snapshot, windows] = await Promise.all([
      this.deps.users.get(userId),
      this.deps.links.list(userId),
      redis.hgetall(k.snapshot(userId)),
      redis.hgetall(k.snapshotWindows(userId)),
    ]);
    const items = await Promise.all(links.map((l) => redis.hgetall(k.items(userId, l.id))));
    const records = await Promise.all(
      links.map((l) => (l.target.kind === 'tasks' ? redis.hgetall(k.taskRecords(userId, l.id)) : {})),
    );
    const holidays = (await redis.get(this.deps.publishKeys.holidays())) ?? '';
    return {
      userId,
      zone: user.timeZone,
      snapshot,
      windows,
      links: links.map((l, i) => ({
        id: l.id,
        calendarId: l.target.kind === 'sub-calendar' ? (l.target.calendarId ?? 'primary') : 'primary',
        tasks: l.target.kind === 'tasks',
        items: items[i] ?? {},
        ...(l.target.kind === 'tasks' ? { taskRecords: records[i] ?? {} } : {}),
      })),
      holidays,
    };
  }

  private async build(
    feed: FeedRecord,
    inputs: FeedInputs,
    settings: FeedSettings,
    now: Date,
  ): Promise<RenderedFeed> {
    const { redis, publishKeys } = this.deps;
    const versionsKey = publishKeys.versions(feed.userId, feed.id);
    const raw = await redis.hgetall(versionsKey);
    const versions = new Map<string, EventVersion>();
    for (const [uid, json] of Object.entries(raw))
      if (uid !== feedStateField) versions.set(uid, JSON.parse(json) as EventVersion);
    const built = buildFeed(feed, inputs, settings, versions, now);
    this.builds++;
    const body = Buffer.from(built.body, 'utf8');
    const hash = createHash('sha256').update(body).digest('base64url');
    // Last-Modified moves only when the bytes change (shared by every process through Redis).
    const state = raw[feedStateField]
      ? (JSON.parse(raw[feedStateField]) as { hash: string; at: string })
      : undefined;
    const lastModified =
      state && state.hash === hash ? new Date(state.at) : new Date(Math.floor(now.getTime() / 1000) * 1000);
    const writes: Record<string, string> = {};
    for (const [uid, v] of built.changed) writes[uid] = JSON.stringify(v);
    if (!state || state.hash !== hash)
      writes[feedStateField] = JSON.stringify({ hash, at: lastModified.toISOString() });
    if (Object.keys(writes).length > 0) await redis.hset(versionsKey, writes);
    return { body, gzipped: gzipSync(body), hash, lastModified };
  }
}
