import type { DaemonContext } from '../daemon/context.js';
import { KakaoClient } from '../kakao/client.js';
import { splitTimeWindows } from '../kakao/windows.js';
import type { QuotaGate } from '../model/quota.js';
import { syncKeys } from '../sync/store/keys.js';
import { horizonWindows } from '../sync/verification/windows.js';
import { HolidayRefreshDeferredError, InvalidFeedInputError } from './errors.js';
import { type FeedRecord, feedUrls } from './feed.js';
import { FeedBuilder } from './feed-builder.js';
import { FeedStore } from './feed-store.js';
import { HolidayCache, type StoredHolidays } from './holidays.js';
import { publishKeys } from './keys.js';

// The publisher of one daemon process, wired from its context: the feed store, the body builder
// (with its in-memory cache), links, and the holiday refresher (the only Kakao call of publish/).

export interface Publisher {
  store: FeedStore;
  builder: FeedBuilder;
  urls(token: string): { url: string; webcal: string };
  /** Reads the Korean holidays of the sync horizon from Kakao (admin key) into Redis. */
  refreshHolidays(): Promise<StoredHolidays>;
}

/** The quota governor's user id for app-wide calls (the scheduled holidays refresh). */
export const appQuotaUser = 'app';

/**
 * Holidays of the sync horizon from Kakao (admin key) into Redis: the only Kakao call here. With a
 * gate, the calls (one per 31-day window) are drawn first as purpose 'verify'; a refusal throws
 * HolidayRefreshDeferredError and nothing is read.
 */
export function holidayRefresher(ctx: DaemonContext, gate?: QuotaGate): () => Promise<StoredHolidays> {
  const { config } = ctx;
  const cache = new HolidayCache(ctx.redis, publishKeys(config.redis.keyPrefix));
  return async () => {
    const now = new Date();
    const windows = horizonWindows(now, config.sync.horizonPastDays, config.sync.horizonFutureDays);
    const range = { from: new Date(windows[0]!.from), to: new Date(windows.at(-1)!.to) };
    const calls = splitTimeWindows(range.from.getTime(), range.to.getTime()).length;
    if (gate && !(await gate.acquire(appQuotaUser, 'verify', calls)))
      throw new HolidayRefreshDeferredError(calls);
    const client = new KakaoClient(config.kakao);
    return cache.refresh((r) => client.admin.listHolidays(r), range, now);
  };
}

export function createPublisher(ctx: DaemonContext, options: { revalidateMs?: number } = {}): Publisher {
  const { config } = ctx;
  const keys = publishKeys(config.redis.keyPrefix);
  const store = new FeedStore(ctx.redis, keys);
  const builder = new FeedBuilder({
    redis: ctx.redis,
    syncKeys: syncKeys(config.redis.keyPrefix),
    publishKeys: keys,
    links: ctx.registry.links,
    users: ctx.registry.users,
    publish: config.publish,
    horizon: { pastDays: config.sync.horizonPastDays, futureDays: config.sync.horizonFutureDays },
    ...(options.revalidateMs !== undefined ? { revalidateMs: options.revalidateMs } : {}),
  });
  return {
    store,
    builder,
    urls: (token) => feedUrls(config.http.publicBaseUrl, token),
    refreshHolidays: holidayRefresher(ctx),
  };
}

/** The holidays feed only when config.publish.includeHolidays is on. */
export function checkAllowed(ctx: DaemonContext, body: unknown): void {
  const kind = (body as Partial<FeedRecord> | undefined)?.kind;
  if (kind === 'holidays' && !ctx.config.publish.includeHolidays)
    throw new InvalidFeedInputError(
      'the holidays feed is off: set publish.includeHolidays (and kakao.adminKey)',
    );
}
