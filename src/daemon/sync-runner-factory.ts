import { channelOfUserId } from '../channel/channel-user.js';
import { publicEventPort } from '../channel/public-event-port.js';
import type { Config } from '../config/schema.js';
import { KakaoClient, type KakaoClientOptions } from '../kakao/client.js';
import { KakaoQuotaError } from '../kakao/errors.js';
import { chargeRequest } from '../model/granted-call.js';
import { isTwoWay, type Link } from '../model/link.js';
import { inProcessWork, type SourceWork } from '../pool/translation-pool.js';
import type { SyncRunner } from '../queue/sync-runner.js';
import { registryTokenStore } from '../registry/token-store.js';
import { listCollections } from '../sources/caldav/discovery.js';
import { caldavConnectionOf, caldavStorageFor } from '../sources/caldav/from-link.js';
import { icsStorageFor } from '../sources/ics-feed/from-link.js';
import type { Storage } from '../sources/storage.js';
import { RedisGuestStore } from '../sync/guest/guest-store.js';
import { kakaoPortFor } from '../sync/kakao-port.js';
import { KakaoSnapshot } from '../sync/store/kakao-snapshot.js';
import { syncKeys } from '../sync/store/keys.js';
import { RedisMappingStore } from '../sync/store/redis-mapping-store.js';
import { backoffPolicyFrom, syncSettingsFrom, syncUser } from '../sync/sync-user.js';
import { hexToKakaoColor } from '../translate/colour.js';
import type { DaemonContext } from './context.js';
import { audiencePassAfterSync, followDeps, followPassAfterSync } from './follow-service.js';
import { mirrorPass } from './mirror-service.js';
import { ensureSubCalendars, type SourceCalendar } from './sub-calendars.js';
import { refreshStaleSubscriptions } from './subscription-service.js';

// The runner the workers call: the real engine (`syncUser`) with the Kakao client (tokens from the
// registry), the link's source storage, the mapping store and the shared quota governor.

/** How long one read of a user's tokens serves a sync's calls (well inside any token's lifetime). */
const tokenReuseMs = 2000;

export interface SyncRunnerOptions {
  /** Transport overrides (tests). */
  kakao?: KakaoClientOptions;
  /** Where sources are parsed and translated (the daemon's translation threads); default in-process. */
  work?: SourceWork;
}

export function storageFor(
  config: Config,
  link: Link,
  ctx: DaemonContext,
  work: SourceWork = inProcessWork,
): Storage {
  return link.source.type === 'ics'
    ? icsStorageFor(link.source, config.sources, {
        logger: ctx.logger,
        limits: config.limits,
        split: (text, limits, near) => work.split(text, `the ICS feed of link ${link.id}`, limits, near),
      })
    : caldavStorageFor(link.source, config.sources, {
        readOnly: !isTwoWay(link),
        maxItems: config.limits.maxItemsPerSource,
      });
}

/**
 * The source collection's name and colour (nearest Kakao colour): a CalDAV collection's displayname
 * and calendar-color, an ICS feed's X-WR-CALNAME and X-APPLE-CALENDAR-COLOR / COLOR.
 */
export function sourceCalendar(config: Config, ctx: DaemonContext): SourceCalendar {
  const trim = (u: string) => u.replace(/\/+$/, '');
  return async (link) => {
    if (link.source.type === 'ics') {
      return icsStorageFor(link.source, config.sources, { logger: ctx.logger }).calendarLooks();
    }
    const source = link.source;
    const collections = await listCollections(caldavConnectionOf(source, config.sources));
    const found = collections.find((c) => trim(c.url) === trim(source.url));
    return {
      ...(found?.displayName?.trim() ? { name: found.displayName.trim() } : {}),
      ...(found?.color ? { color: hexToKakaoColor(found.color).color } : {}),
    };
  };
}

export function createSyncRunner(ctx: DaemonContext, options: SyncRunnerOptions = {}): SyncRunner {
  const { config } = ctx;
  const client = new KakaoClient(config.kakao, {
    // Token expiry and the quota reset are read on the daemon's clock.
    now: () => ctx.clock.now().getTime(),
    ...options.kakao,
    // Every API-host request is charged to the governor under the grant it belongs to.
    beforeRequest: (request) => chargeRequest(request),
    onCall: (record) => {
      ctx.metrics.kakaoCalls.inc({ endpoint: record.endpoint, outcome: record.outcome });
      if (record.countsAgainstQuota)
        ctx.metrics.kakaoRequests.inc({ purpose: record.purpose ?? 'unaccounted' });
      options.kakao?.onCall?.(record);
    },
  });
  const keys = syncKeys(config.redis.keyPrefix);
  const store = new RedisMappingStore(ctx.redis, keys);
  const snapshot = new KakaoSnapshot(ctx.redis, keys);
  const guests = new RedisGuestStore(ctx.redis, keys.guests);
  const settings = syncSettingsFrom(config.sync, config.kakao);
  const work = options.work ?? inProcessWork;

  return async (request) => {
    // A sync's burst of calls reuses one read of the user's tokens for a couple of seconds.
    const tokens = registryTokenStore(ctx.registry.users, request.userId, tokenReuseMs);
    const user = client.forUser(request.userId, tokens);
    const links = await ensureSubCalendars(
      request.userId,
      request.links,
      user,
      {
        setSubCalendarId: (userId, linkId, calendarId) =>
          ctx.registry.links.setSubCalendarId(userId, linkId, calendarId),
        calendarCreated: (userId, linkId) => store.markCalendarEmpty(userId, linkId),
      },
      ctx.governor,
      request.dryRun,
      sourceCalendar(config, ctx),
    );
    const result = await syncUser(
      { userId: request.userId, timeZone: request.timeZone, links },
      {
        redis: ctx.redis,
        keys,
        store,
        kakao: kakaoPortFor(user),
        // A channel link writes the channel's public events with the admin key.
        linkSetup: (link) =>
          link.target.kind === 'channel'
            ? { kakao: publicEventPort(client.admin, link.target), expandRecurrences: true }
            : undefined,
        storageFor: (link) => storageFor(config, link, ctx, work),
        work,
        backoff: backoffPolicyFrom(config.limits),
        quota: ctx.governor,
        settings,
        lockTtlMs: config.sync.lockTtlMs,
        snapshot,
        guests,
        limits: config.limits,
        now: () => ctx.clock.now(),
      },
      {
        force: request.force,
        dryRun: request.dryRun,
        manual: request.manual === true,
        onProgress: request.onProgress,
      },
    );
    const channel = channelOfUserId(request.userId);
    if (channel !== undefined && !request.dryRun) {
      await followPass(ctx, followDeps(ctx, client), store, channel, links);
      await audiencePassAfterSync(ctx, client, channel, links);
    } else if (!request.dryRun) {
      await subscriptionPass(ctx, client, request.userId);
      await mirrorPass(ctx, request.userId, request.timeZone, links, result, (link) =>
        storageFor(config, link, ctx, work),
      );
    }
    return result;
  };
}

/** Subscribed calendars due for a new listing; a failure is logged and tried again next run. */
async function subscriptionPass(ctx: DaemonContext, client: KakaoClient, userId: string): Promise<void> {
  try {
    await refreshStaleSubscriptions(ctx, client, userId);
  } catch (err) {
    if (err instanceof KakaoQuotaError) throw err;
    ctx.logger.warn(
      { userId, err: err instanceof Error ? err.message : String(err) },
      'subscribed calendars not refreshed',
    );
  }
}

/** The followers option of a channel's links; its failures never undo the channel's sync. */
async function followPass(
  ctx: DaemonContext,
  deps: ReturnType<typeof followDeps>,
  store: RedisMappingStore,
  channel: string,
  links: Link[],
): Promise<void> {
  try {
    await followPassAfterSync(deps, store, channel, links);
  } catch (err) {
    if (err instanceof KakaoQuotaError) throw err;
    const error = err instanceof Error ? err.message : String(err);
    ctx.logger.warn({ channel, err: error }, 'follow pass failed');
    await deps.store.saveReport({
      channelPublicId: channel,
      at: new Date().toISOString(),
      followed: {},
      skipped: [],
      failed: [],
      error,
    });
  }
}
