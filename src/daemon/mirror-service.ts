import type { Link } from '../model/link.js';
import { applyMirror, MirrorStore, mirrorSpecs } from '../publish/caldav-mirror.js';
import { HolidayCache } from '../publish/holidays.js';
import { publishKeys } from '../publish/keys.js';
import type { Storage } from '../sources/storage.js';
import { KakaoSnapshot } from '../sync/store/kakao-snapshot.js';
import { syncKeys } from '../sync/store/keys.js';
import type { UserSyncResult } from '../sync/sync-user.js';
import type { DaemonContext } from './context.js';
import { subscriptionStoreOf } from './subscription-service.js';

// After a user's sync: the links that asked for holidays and subscribed calendars in their CalDAV
// collection get them (publish/caldav-mirror.ts). No Kakao call; a failure is the link's warning.

export async function mirrorPass(
  ctx: DaemonContext,
  userId: string,
  timeZone: string,
  links: readonly Link[],
  result: UserSyncResult,
  storageOf: (link: Link) => Storage,
): Promise<void> {
  const wanted = links.filter((l) => l.mirror && (l.mirror.holidays || l.mirror.subscribed) && l.enabled);
  if (wanted.length === 0) return;
  const { config } = ctx;
  const keys = syncKeys(config.redis.keyPrefix);
  const now = ctx.clock.now();
  const inputs = {
    holidaysRaw: await new HolidayCache(ctx.redis, publishKeys(config.redis.keyPrefix)).raw(),
    snapshot: await new KakaoSnapshot(ctx.redis, keys).read(userId),
    subscribedCalendars: (await subscriptionStoreOf(ctx).list(userId)).map((s) => s.calendarId),
    zone: timeZone,
    horizon: {
      from: new Date(now.getTime() - config.sync.horizonPastDays * 86_400_000),
      to: new Date(now.getTime() + config.sync.horizonFutureDays * 86_400_000),
    },
  };
  for (const link of wanted) {
    const summary = result.links.find((l) => l.linkId === link.id);
    try {
      const out = await applyMirror(
        {
          userId,
          link,
          storage: storageOf(link),
          store: new MirrorStore(ctx.redis, keys.mirror),
          now,
          maxItems: config.limits.maxItemsPerSource,
        },
        mirrorSpecs(link.mirror!, inputs),
      );
      if (summary) summary.mirror = out;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      summary?.warnings.push(`link ${link.id}: holidays/subscribed calendars not mirrored: ${message}`);
      ctx.logger.warn({ userId, linkId: link.id, err: message }, 'mirror not written');
    }
  }
}
