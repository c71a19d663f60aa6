import type { Config } from '../config/schema.js';
import { KakaoClient, type KakaoClientOptions } from '../kakao/client.js';
import { isTwoWay, type Link } from '../model/link.js';
import type { SyncRunner } from '../queue/sync-runner.js';
import { registryTokenStore } from '../registry/token-store.js';
import { listCollections } from '../sources/caldav/discovery.js';
import { authOf, caldavStorageFor } from '../sources/caldav/from-link.js';
import { icsStorageFor } from '../sources/ics-feed/from-link.js';
import type { Storage } from '../sources/storage.js';
import { kakaoPortFor } from '../sync/kakao-port.js';
import { KakaoSnapshot } from '../sync/kakao-snapshot.js';
import { syncKeys } from '../sync/keys.js';
import { RedisMappingStore } from '../sync/redis-mapping-store.js';
import { syncSettingsFrom, syncUser } from '../sync/sync-user.js';
import { hexToKakaoColor } from '../translate/colour.js';
import type { DaemonContext } from './context.js';
import { ensureSubCalendars, type SourceCalendar } from './sub-calendars.js';

// The runner the workers call: the real engine (`syncUser`) with the Kakao client (tokens from the
// registry), the link's source storage, the mapping store and the shared quota governor.

export interface SyncRunnerOptions {
  /** Transport overrides (tests). */
  kakao?: KakaoClientOptions;
}

export function storageFor(config: Config, link: Link, ctx: DaemonContext): Storage {
  return link.source.type === 'ics'
    ? icsStorageFor(link.source, config.sources.ics, { logger: ctx.logger, limits: config.limits })
    : caldavStorageFor(link.source, config.sources.caldav, { readOnly: !isTwoWay(link) });
}

/**
 * The source collection's name and colour (nearest Kakao colour): a CalDAV collection's displayname
 * and calendar-color, an ICS feed's X-WR-CALNAME and X-APPLE-CALENDAR-COLOR / COLOR.
 */
export function sourceCalendar(config: Config, ctx: DaemonContext): SourceCalendar {
  const trim = (u: string) => u.replace(/\/+$/, '');
  return async (link) => {
    if (link.source.type === 'ics') {
      return icsStorageFor(link.source, config.sources.ics, { logger: ctx.logger }).calendarLooks();
    }
    const source = link.source;
    const collections = await listCollections({
      url: source.url,
      auth: authOf(source),
      timeoutMs: config.sources.caldav.timeoutMs,
    });
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
    ...options.kakao,
    onCall: (record) => {
      ctx.metrics.kakaoCalls.inc({ endpoint: record.endpoint, outcome: record.outcome });
      options.kakao?.onCall?.(record);
    },
  });
  const keys = syncKeys(config.redis.keyPrefix);
  const store = new RedisMappingStore(ctx.redis, keys);
  const snapshot = new KakaoSnapshot(ctx.redis, keys);
  const settings = syncSettingsFrom(config.sync);

  return async (request) => {
    const user = client.forUser(request.userId, registryTokenStore(ctx.registry.users, request.userId));
    const links = await ensureSubCalendars(
      request.userId,
      request.links,
      user,
      ctx.registry.links,
      ctx.governor,
      request.dryRun,
      sourceCalendar(config, ctx),
    );
    return syncUser(
      { userId: request.userId, timeZone: request.timeZone, links },
      {
        redis: ctx.redis,
        keys,
        store,
        kakao: kakaoPortFor(user),
        storageFor: (link) => storageFor(config, link, ctx),
        quota: ctx.governor,
        settings,
        lockTtlMs: config.sync.lockTtlMs,
        snapshot,
        limits: config.limits,
      },
      { force: request.force, dryRun: request.dryRun, onProgress: request.onProgress },
    );
  };
}
