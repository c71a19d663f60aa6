import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import type { KakaoClient } from '../../../src/kakao/client.js';
import type { Link, LinkInput } from '../../../src/model/link.js';
import { parseLink } from '../../../src/model/link.js';
import { unlimitedQuota } from '../../../src/model/quota.js';
import { MemoryStorage } from '../../../src/sources/memory/storage.js';
import type { SourceItem } from '../../../src/sources/storage.js';
import { type KakaoPort, kakaoPortFor } from '../../../src/sync/kakao-port.js';
import { KakaoSnapshot } from '../../../src/sync/store/kakao-snapshot.js';
import { type SyncKeys, syncKeys } from '../../../src/sync/store/keys.js';
import { RedisMappingStore } from '../../../src/sync/store/redis-mapping-store.js';
import type { SyncSettings } from '../../../src/sync/sync-link.js';
import { type SyncUserDeps, syncUser, type UserSyncOptions } from '../../../src/sync/sync-user.js';
import { icsStamp, icsText } from '../../support/ics-text.js';
import { clientFor, createUser, type Emulator, startTestEmulator } from '../kakao/harness.js';

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
  oneWayDetailReadsPerDay: 0,
  // As the daemon runs (config/default.yaml: four at a time; the model tests prove it safe).
  writeConcurrency: loadConfig({ env: {} }).sync.writeConcurrency,
};

/**
 * fast-check parameters of the model tests: TALKCAL_MODEL_RUNS runs (default 200) and, to replay
 * or vary a run, TALKCAL_MODEL_SEED (default: fast-check's random seed, printed on a failure).
 */
export function modelRuns(): { runs: number; seed?: number } {
  const runs = Number(process.env['TALKCAL_MODEL_RUNS'] ?? 200);
  const seed = process.env['TALKCAL_MODEL_SEED'];
  return seed === undefined || seed === '' ? { runs } : { runs, seed: Number(seed) };
}

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

export type TestRedis = ReturnType<typeof testRedis>;

/** What a sync test file shares: its Redis prefix, one emulator and a client configured for it. */
export interface SyncEnv {
  readonly r: TestRedis;
  readonly emu: Emulator;
  readonly client: KakaoClient;
  /** A new emulator user, its port, and a fresh rig on the file's Redis prefix. */
  newUser: (readOnly?: boolean) => Promise<{ userId: string; port: KakaoPort; t: Rig }>;
}

/** Starts the emulator before the calling file's tests; closes it and deletes the keys after them. */
export function useSyncEnv(clientOverrides: Parameters<typeof clientFor>[1] = {}): SyncEnv {
  const r = testRedis();
  let started: { emu: Emulator; client: KakaoClient } | undefined;
  beforeAll(async () => {
    const emu = await startTestEmulator();
    started = { emu, client: clientFor(emu, clientOverrides).client };
  });
  afterAll(async () => {
    await started?.emu.close();
    await r.cleanup();
  });
  const get = () => {
    if (!started) throw new Error('the emulator is not started yet (use it inside a test or hook)');
    return started;
  };
  return {
    r,
    get emu() {
      return get().emu;
    },
    get client() {
      return get().client;
    },
    newUser: async (readOnly = true) => {
      const { emu, client } = get();
      const u = await createUser(emu);
      return {
        userId: u.userId,
        port: kakaoPortFor(client.forUser(u.userId, u.store)),
        t: rig(r.redis, r.keys, readOnly),
      };
    },
  };
}

export function feedLink(over: Partial<LinkInput> = {}): Link {
  return parseLink({
    id: 'feed',
    source: { type: 'ics', url: 'https://example.org/f.ics' },
    target: { kind: 'primary' },
    ...over,
  });
}

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
  const ics = icsText('VEVENT', uid, [
    `DTSTART:${icsStamp(start)}`,
    `DTEND:${icsStamp(end)}`,
    `SUMMARY:${title}`,
    ...(extra ? [extra] : []),
  ]);
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
    ...(inner.getTask ? { getTask: guard(inner.getTask.bind(inner)) } : {}),
  };
}

/**
 * A port whose first create (event or task) stalls like the request of a worker whose lock expires
 * while it is in flight: the lock key goes, `meanwhile` runs (another worker syncing the user), and
 * only then does the create reach Kakao.
 */
export function lockLostDuringCreate(
  inner: KakaoPort,
  redis: Redis,
  lockKey: string,
  meanwhile: () => Promise<unknown>,
): KakaoPort {
  let stalled = false;
  const stall = async () => {
    if (stalled) return;
    stalled = true;
    await redis.del(lockKey);
    await meanwhile();
  };
  return {
    ...inner,
    createEvent: async (calendarId, event) => {
      await stall();
      return inner.createEvent(calendarId, event);
    },
    createTask: async (task) => {
      await stall();
      return inner.createTask(task);
    },
  };
}
