import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Link, LinkInput } from '../../../src/model/link.js';
import { parseLink } from '../../../src/model/link.js';
import { unlimitedQuota } from '../../../src/model/quota.js';
import { MemoryStorage } from '../../../src/sources/memory/storage.js';
import type { SourceItem } from '../../../src/sources/storage.js';
import type { KakaoPort } from '../../../src/sync/kakao-port.js';
import { KakaoSnapshot } from '../../../src/sync/kakao-snapshot.js';
import { type SyncKeys, syncKeys } from '../../../src/sync/keys.js';
import { RedisMappingStore } from '../../../src/sync/redis-mapping-store.js';
import type { SyncSettings } from '../../../src/sync/sync-link.js';
import { type SyncUserDeps, syncUser, type UserSyncOptions } from '../../../src/sync/sync-user.js';

// Shared set-up of the sync integration tests: a private key prefix on the shared Redis (deleted
// afterwards), a MemoryStorage source, and syncUser wired like the daemon wires it.

export const settings: SyncSettings = {
  horizonPastDays: 30,
  horizonFutureDays: 365,
  massDeleteShare: 0.5,
  massDeleteMinItems: 5,
  verify: { nearDays: 31, nearEveryHours: 24, farEveryHours: 168, perRun: 1 },
  twoWayReadEveryMinutes: 60,
  detailBudgetPerRun: 0,
};

export function testRedis(): { redis: Redis; prefix: string; keys: SyncKeys; cleanup: () => Promise<void> } {
  const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 3 });
  const prefix = `t-${randomUUID()}`;
  const cleanup = async () => {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
    redis.disconnect();
  };
  return { redis, prefix, keys: syncKeys(prefix), cleanup };
}

export function feedLink(over: Partial<LinkInput> = {}): Link {
  return parseLink({
    id: 'feed',
    source: { type: 'ics', url: 'https://example.org/f.ics' },
    target: { kind: 'primary' },
    ...over,
  });
}

const stamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/** A minimal VEVENT object starting `days` from now at `hour`:00 UTC. */
export function vevent(
  uid: string,
  title: string,
  days: number,
  hour = 3,
  durationHours = 1,
  extra = '',
): SourceItem {
  const start = new Date(Date.now() + days * 86_400_000);
  start.setUTCHours(hour, 0, 0, 0);
  const end = new Date(start.getTime() + durationHours * 3600_000);
  const ics = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//talkcal-test//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTAMP:20250101T000000Z',
    `DTSTART:${stamp(start)}`,
    `DTEND:${stamp(end)}`,
    `SUMMARY:${title}`,
    ...(extra ? [extra] : []),
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
  return { uid, kind: 'event', ics };
}

export interface Rig {
  storage: MemoryStorage;
  store: RedisMappingStore;
  snapshot: KakaoSnapshot;
  deps: (kakao: KakaoPort, now?: () => Date) => SyncUserDeps;
  run: (
    userId: string,
    kakao: KakaoPort,
    links: Link[],
    opts?: UserSyncOptions,
    now?: () => Date,
  ) => ReturnType<typeof syncUser>;
}

export function rig(redis: Redis, keys: SyncKeys, readOnly = true): Rig {
  const storage = new MemoryStorage(readOnly, 'feed');
  const store = new RedisMappingStore(redis, keys);
  const snapshot = new KakaoSnapshot(redis, keys);
  const deps = (kakao: KakaoPort, now?: () => Date): SyncUserDeps => ({
    redis,
    keys,
    store,
    kakao,
    storageFor: () => storage,
    quota: unlimitedQuota,
    settings,
    lockTtlMs: 5000,
    snapshot,
    ...(now ? { now } : {}),
  });
  return {
    storage,
    store,
    snapshot,
    deps,
    run: (userId, kakao, links, opts = {}, now) =>
      syncUser({ userId, timeZone: 'Asia/Seoul', links }, deps(kakao, now), opts),
  };
}

/** A port wrapper that throws CrashError once `budget` calls have been made (a simulated kill). */
export class CrashError extends Error {}

export function crashingPort(inner: KakaoPort, budget: { left: number; afterCreate?: boolean }): KakaoPort {
  const guard =
    <A extends unknown[], R>(fn: (...a: A) => Promise<R>, isCreate = false) =>
    async (...args: A): Promise<R> => {
      if (budget.left <= 0) throw new CrashError('crash before the call');
      budget.left--;
      const r = await fn(...args);
      if (isCreate && budget.afterCreate) throw new CrashError('crash after the create, before the commit');
      return r;
    };
  return {
    createEvent: guard(inner.createEvent.bind(inner), true),
    updateEvent: guard(inner.updateEvent.bind(inner)),
    deleteEvent: guard(inner.deleteEvent.bind(inner)),
    getEvent: guard(inner.getEvent.bind(inner)),
    listEventsWindow: guard(inner.listEventsWindow.bind(inner)),
    createTask: guard(inner.createTask.bind(inner)),
    updateTask: guard(inner.updateTask.bind(inner)),
    completeTask: guard(inner.completeTask.bind(inner)),
    deleteTask: guard(inner.deleteTask.bind(inner)),
  };
}
