// Sync engine benchmark: plan time per item, Kakao calls per sync (first, unchanged, 1% changed)
// and peak memory, for 1 user × 5,000 events and 1,000 users × 50 events. Kakao is an in-memory
// port (calls counted, no HTTP); the mapping store is the real Redis one under a private prefix.
// Run: npx tsx bench/sync.ts [--users N --events M]
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { parseLink } from '../src/model/link.js';
import { unlimitedQuota } from '../src/model/quota.js';
import { MemoryStorage } from '../src/sources/memory/storage.js';
import type { SourceItem } from '../src/sources/storage.js';
import { planLink } from '../src/sync/events/plan.js';
import { syncKeys } from '../src/sync/store/keys.js';
import { RedisMappingStore } from '../src/sync/store/redis-mapping-store.js';
import { syncUser } from '../src/sync/sync-user.js';
import { horizonWindows } from '../src/sync/verification/windows.js';
import { translateEvent } from '../src/translate/event.js';
import { defaultLimits } from '../src/translate/limits.js';
import { MemoryKakao } from '../test/support/memory-kakao.js';

const settings = {
  horizonPastDays: 30,
  horizonFutureDays: 365,
  massDeleteShare: 0.5,
  massDeleteMinItems: 5,
  verify: { nearDays: 31, nearEveryHours: 24, farEveryHours: 168, perRun: 1 },
  twoWayReadEveryMinutes: 60,
  detailBudgetPerRun: 2,
  oneWayDetailReadsPerDay: 0,
};

let peakRss = 0;
let peakHeap = 0;
const sample = () => {
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
};
const sampler = setInterval(sample, 20);

const stamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
function item(uid: string, title: string, n: number): SourceItem {
  const start = new Date(Date.now() + ((n % 360) + 1) * 86_400_000);
  start.setUTCHours(n % 12, (n % 12) * 5, 0, 0);
  const end = new Date(start.getTime() + 3600_000);
  const ics = `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\nBEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20250101T000000Z\r\nDTSTART:${stamp(start)}\r\nDTEND:${stamp(end)}\r\nSUMMARY:${title}\r\nDESCRIPTION:Event number ${n}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
  return { uid, kind: 'event', ics };
}

const redis = new Redis('redis://127.0.0.1:6379');
const prefix = `bench-${randomUUID()}`;
const keys = syncKeys(prefix);
const store = new RedisMappingStore(redis, keys);
const link = parseLink({
  id: 'feed',
  source: { type: 'ics', url: 'https://example.org/f.ics' },
  target: { kind: 'primary' },
});

interface Scenario {
  users: number;
  events: number;
}

async function scenario({ users, events }: Scenario) {
  const tag = `${users}x${events}`;
  // One Talk Calendar per user.
  const calendars = Array.from({ length: users }, () => new MemoryKakao());
  const sources: MemoryStorage[] = [];
  for (let u = 0; u < users; u++) {
    const s = new MemoryStorage(true, `u${u}`);
    for (let n = 0; n < events; n++) s.set(item(`${u}-${n}@bench`, `Event ${n}`, n));
    sources.push(s);
  }
  const run = async (label: string, now?: () => Date, quiet = false) => {
    for (const k of calendars) k.resetCalls();
    const t0 = performance.now();
    for (let u = 0; u < users; u++) {
      await syncUser(
        { userId: `${tag}-u${u}`, timeZone: 'Asia/Seoul', links: [link] },
        {
          redis,
          keys,
          store,
          kakao: calendars[u]!,
          storageFor: () => sources[u]!,
          quota: unlimitedQuota,
          settings,
          lockTtlMs: 30_000,
          ...(now ? { now } : {}),
        },
      );
    }
    const ms = performance.now() - t0;
    const byMethod: Record<string, number> = {};
    for (const k of calendars)
      for (const [m, n] of Object.entries(k.calls)) byMethod[m] = (byMethod[m] ?? 0) + n;
    const calls = Object.values(byMethod).reduce((a, b) => a + b, 0);
    if (quiet) return calls;
    console.log(
      `  ${label.padEnd(12)} Kakao calls: ${String(calls).padStart(6)} total, ${(calls / users).toFixed(1).padStart(6)} per user ` +
        `(${JSON.stringify(byMethod)})  wall ${ms.toFixed(0)} ms`,
    );
    return calls;
  };
  console.log(
    `\n${users} user(s) × ${events} events (horizon windows: ${horizonWindows(new Date(), 30, 365).length})`,
  );
  await run('first sync');
  await run('unchanged');
  for (let u = 0; u < users; u++) {
    const changed = Math.max(1, Math.round(events * 0.01));
    for (let n = 0; n < changed; n++) sources[u]!.set(item(`${u}-${n}@bench`, `Event ${n} (changed)`, n));
  }
  await run('1% changed');

  // A quiet week of 15-minute runs (no source change): verification reads only.
  if (users * events <= 5000) {
    let clock = Date.now();
    let week = 0;
    for (let i = 0; i < 7 * 96; i++) {
      clock += 15 * 60_000;
      week += await run('', () => new Date(clock), true);
    }
    console.log(
      `  quiet week   Kakao calls: ${(week / users / 7).toFixed(1)} per user per day (verification reads)`,
    );
  }

  // Pure planning cost: re-plan user 0 against its stored mapping with the full snapshot.
  const state = await store.load(`${tag}-u0`, link.id);
  const now = new Date();
  const horizon = {
    from: new Date(now.getTime() - 30 * 86_400_000),
    to: new Date(now.getTime() + 365 * 86_400_000),
  };
  const desired = sources[0]!.all().map((s) =>
    translateEvent(s, {
      userTimeZone: 'Asia/Seoul',
      horizon,
      suppressDefaultReminders: false,
      now,
      limits: defaultLimits,
    }),
  );
  const windows = horizonWindows(now, 30, 365);
  const briefs = (
    await Promise.all(windows.map((w) => calendars[0]!.listEventsWindow('primary', w.from, w.to)))
  ).flat();
  const reps = Math.max(3, Math.round(20_000 / events));
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) {
    planLink({
      link,
      state,
      source: { full: true, items: desired, deletedKeys: [] },
      kakao: { windows, events: briefs },
      horizon: { from: windows[0]!.from, to: windows.at(-1)!.to },
      now: now.toISOString(),
      massDelete: { share: 0.5, minItems: 5 },
    });
  }
  const perItemUs = ((performance.now() - t0) * 1000) / (reps * events);
  console.log(`  plan time: ${perItemUs.toFixed(2)} µs per item (full snapshot + every window read)`);
  sample();
}

async function cleanup() {
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (found.length > 0) await redis.del(...found);
  } while (cursor !== '0');
}

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : undefined;
};

try {
  const custom = arg('users') !== undefined || arg('events') !== undefined;
  const runs: Scenario[] = custom
    ? [{ users: arg('users') ?? 1, events: arg('events') ?? 100 }]
    : [
        { users: 1, events: 5000 },
        { users: 1000, events: 50 },
      ];
  for (const s of runs) await scenario(s);
  console.log(
    `\npeak memory: rss ${(peakRss / 2 ** 20).toFixed(0)} MiB, heap ${(peakHeap / 2 ** 20).toFixed(0)} MiB`,
  );
} finally {
  clearInterval(sampler);
  await cleanup();
  redis.disconnect();
}
