// Kakao client benchmark against the emulator: prints calls per operation (the quota cost),
// throughput and latency percentiles from the client's onCall records. No assertions.
// Run: npx tsx bench/kakao-client.ts
import { performance } from 'node:perf_hooks';
import { startEmulator } from '../src/emulator/server.js';
import { KakaoClient, type UserTokens } from '../src/kakao/client.js';
import type { CallRecord } from '../src/kakao/stats.js';

const day = 86_400_000;
const emu = await startEmulator({ port: 0 });
const records: CallRecord[] = [];
const client = new KakaoClient(
  {
    apiBaseUrl: emu.url,
    authBaseUrl: emu.url,
    restApiKey: 'emulator-rest-api-key',
    clientSecret: '',
    adminKey: 'emulator-admin-key',
    timeoutMs: 10_000,
    retry: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 1000 },
    tokenRefreshMarginSeconds: 300,
  },
  { onCall: (r) => records.push(r) },
);

async function newUser() {
  const res = await fetch(`${emu.url}/_emulator/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  const made = (await res.json()) as {
    userId: string;
    accessToken: string;
    refreshToken: string;
    expiresIn: number;
  };
  let tokens: UserTokens = {
    accessToken: made.accessToken,
    refreshToken: made.refreshToken,
    accessTokenExpiresAt: Date.now() + made.expiresIn * 1000,
  };
  return client.forUser(made.userId, {
    get: async () => tokens,
    save: async (t) => {
      tokens = t;
    },
  });
}

async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function report(label: string, from: number, ms: number) {
  const slice = records.slice(from);
  const durations = slice.map((r) => r.durationMs);
  const quota = slice.filter((r) => r.countsAgainstQuota).length;
  console.log(
    `${label.padEnd(46)} ${String(slice.length).padStart(6)} calls (${quota} quota)  ${ms.toFixed(0).padStart(6)} ms  ` +
      `${((slice.length / ms) * 1000).toFixed(0).padStart(6)} calls/s  p50 ${percentile(durations, 50).toFixed(1)} ms  ` +
      `p99 ${percentile(durations, 99).toFixed(1)} ms`,
  );
}

async function measure(label: string, fn: () => Promise<unknown>) {
  const from = records.length;
  const start = performance.now();
  await fn();
  report(label, from, performance.now() - start);
}

const user = await newUser();
const base = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() + 1, 1);
const count = 2000;
await measure(`create ${count} events (16 concurrent)`, () =>
  pool(
    Array.from({ length: count }, (_, i) => i),
    16,
    async (i) => {
      const start = base + (i % 395) * day + Math.floor(i / 395) * 3_600_000;
      await user.createEvent({
        event: {
          title: `event ${i}`,
          time: {
            start_at: new Date(start).toISOString().replace('.000', ''),
            end_at: new Date(start + 1_800_000).toISOString().replace('.000', ''),
          },
        },
      });
    },
  ),
);

let listed = 0;
await measure('list 395-day horizon (13 windows, limit 1000)', async () => {
  listed = (await user.listEvents({ from: base - day, to: base + 395 * day })).length;
});
console.log(`  → ${listed} events returned once each`);
await measure('list one 31-day window (verification read)', () =>
  user.listEventsWindow({ from: base, to: base + 31 * day }),
);

const users = await Promise.all(Array.from({ length: 50 }, () => newUser()));
await measure('50 users × 20 listCalendars (32 concurrent)', () =>
  pool(
    users.flatMap((u) => Array.from({ length: 20 }, () => u)),
    32,
    (u) => u.listCalendars(),
  ),
);

console.log('\nper endpoint:', JSON.stringify(client.stats.snapshot().byEndpoint));
console.log(`quota calls in total: ${client.stats.quotaCalls}`);
await emu.close();
