// Scale benchmark: what a whole app's users cost the machine, measured from outside.
// `npm run bench -- scale [-- --users N --events M --concurrency C --registered R --daemon-heap-mb H]`
// (defaults 1,000 × 20, as the scale issue measured). `--registered R` (≥ N) adds users up to R, with
// a link and a schedule each but not synced, after the Redis figures and before the daemon's
// start-up: the start-up and /metrics figures at R users without R first syncs. `--daemon-heap-mb`
// caps `talkcal start`'s main heap as the Dockerfile does (256; 0: no cap), `--worker-heap-mb` that of
// the first syncs' `talkcal worker` processes (256); `--daemon built|tsx`:
// `talkcal start` compiled, as the container runs it (default), or from the sources. The run's own
// redis-server, the Kakao emulator over HTTP, `talkcal worker` processes for the syncs and
// `talkcal start` for the polls, start-up and /metrics figures. It prints:
// - Redis bytes (INFO used_memory, and MEMORY USAGE of every key grouped by key family) after the
//   first syncs and an unchanged re-sync: per user, per synced event (mapping item + snapshot entry);
// - the daemon's own polling (`talkcal start`, a 1-minute interval, the default per-user offsets) of
//   the synced users with feeds answering 304: polls per fifteenth of the interval over two intervals
//   (max/mean), from the feed server's request log, and the daemon's CPU (/proc) per unchanged sync;
// - the daemon's start-up until /readyz answers 200, the /metrics scrape time, its resident memory;
// - Redis for 10,000 users × 200 events, extrapolated from the per-event and per-user figures, and
//   with `--clone-to 10000` measured: the synced users' keys copied under new ids up to that many.
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Redis } from 'ioredis';
import { buildCopy } from './built-copy.js';
import { killChildrenOnExit, stopChild } from './chaos/children.js';
import { initialEvents, renderIcs } from './chaos/feed-model.js';
import { startRig } from './chaos/rig.js';
import { seededRng } from './chaos/rng.js';
import { readMemory } from './chaos/rss.js';
import { cloneUsers } from './scale/clone-users.js';
import { eventLoopDelayMs, mainHeapMb, startDaemon } from './scale/daemon.js';
import { loggedFeed } from './scale/feed-log.js';
import { describeSpread, measurePollSpread } from './scale/poll-spread.js';

const { values: args } = parseArgs({
  options: {
    users: { type: 'string', default: '1000' },
    events: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '20' },
    registered: { type: 'string' },
    // After the rest: the synced users' keys copied under new ids up to this many users, and Redis
    // measured with all of them (0: not done).
    'clone-to': { type: 'string', default: '0' },
    // The main thread's heap cap of `talkcal start`, as the Dockerfile sets it (NODE_OPTIONS); 0: none.
    'daemon-heap-mb': { type: 'string', default: '256' },
    // The same for the `talkcal worker` processes of the first syncs (the image caps every process).
    'worker-heap-mb': { type: 'string', default: '256' },
    // `talkcal start` compiled as the container runs it (`built`), or from the sources (`tsx`).
    daemon: { type: 'string', default: 'built' },
  },
});
const users = Number(args.users);
const events = Number(args.events);
const concurrency = Number(args.concurrency);
const registered = Number(args.registered ?? users);
const daemonHeapMb = Number(args['daemon-heap-mb']);
const workerHeapMb = Number(args['worker-heap-mb']);
const cloneTo = Number(args['clone-to']);
if (args.daemon !== 'built' && args.daemon !== 'tsx') throw new Error('--daemon must be built or tsx');
const builtDir = args.daemon === 'built' ? buildCopy() : undefined;
if (!Number.isInteger(cloneTo) || cloneTo < 0) throw new Error('--clone-to must be a whole number of users');
for (const [name, mb] of Object.entries({ 'daemon-heap-mb': daemonHeapMb, 'worker-heap-mb': workerHeapMb }))
  if (!Number.isInteger(mb) || mb < 0) throw new Error(`--${name} must be a whole number of MB (0: no cap)`);
for (const [name, n] of Object.entries({ users, events, concurrency, registered }))
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
if (registered < users) throw new Error(`--registered ${registered} must be at least --users ${users}`);

killChildrenOnExit();
const rig = await startRig(seededRng(16), false);
const scope = rig.scope('scale', {
  sync: { jitterSeconds: 0 },
  worker: { admissionConcurrency: concurrency, manualConcurrency: concurrency },
});
const redis = scope.ctx.redis as Redis;
// BENCH_CPU_PROF=<dir>: V8 CPU profiles of the polling and the start-up daemons, written there as
// each exits.
const profile = process.env['BENCH_CPU_PROF'];
const profileFlags = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [];
const heapCap = (mb: number): Record<string, string> =>
  mb > 0 ? { NODE_OPTIONS: `--max-old-space-size=${mb}` } : {};
const daemonEnv = { ...scope.env, ...heapCap(daemonHeapMb) };

const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? 0);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** MEMORY USAGE of every key of the scope, by family (user and link ids replaced). */
async function keyFamilies(): Promise<Map<string, { keys: number; bytes: number; fields: number }>> {
  const families = new Map<string, { keys: number; bytes: number; fields: number }>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `*${scope.prefix}*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      const family = key
        .replace(scope.prefix, 'P')
        .replace(/\{\d+\}/, '{U}')
        .replace(/:link:[^:]+:/, ':link:L:')
        .replace(/:(repeat:)?user-\d+(:\d+)?$/, ':$1user-U')
        .replace(/:\d+$/, ':N');
      const [bytes, type] = await Promise.all([redis.memory('USAGE', key, 'SAMPLES', 0), redis.type(key)]);
      const fields = type === 'hash' ? await redis.hlen(key) : type === 'set' ? await redis.scard(key) : 1;
      const f = families.get(family) ?? { keys: 0, bytes: 0, fields: 0 };
      families.set(family, {
        keys: f.keys + 1,
        bytes: f.bytes + Number(bytes ?? 0),
        fields: f.fields + fields,
      });
    }
  } while (cursor !== '0');
  return families;
}

async function syncAll(ids: readonly string[], label: string): Promise<void> {
  const since = Date.now();
  await scope.trigger(ids);
  const result = await scope.converge(ids, since, 30 * 60_000);
  const s = (result.ms / 1000).toFixed(1);
  console.log(`  ${label}: ${ids.length - result.pending.length}/${ids.length} users in ${s} s`);
  if (!result.converged) throw new Error(`${label}: ${result.pending.length} users did not finish`);
}

/** Five /metrics scrapes one after another, in ms each, sorted. */
async function scrapes(base: string): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const res = await fetch(`${base}/metrics`);
    await res.text();
    ms.push(performance.now() - t0);
  }
  return ms.sort((a, b) => a - b);
}

/** Seconds between the scrapes at readiness and the later ones (start-up repairs done by then). */
const settleSeconds = 30;

async function daemonStartup(): Promise<{
  readyMs: number;
  scrapeMs: number[];
  settledMs: number[];
  rssMb: number;
  settledRssMb: number;
  peakRssMb: number;
  heap: { usedMb: number; totalMb: number };
  loopDelay: { p50: number; p99: number; max: number };
}> {
  const { proc, pid, base, readyMs } = await startDaemon(daemonEnv, profileFlags, builtDir);
  const scrapeMs = await scrapes(base);
  const rssMb = readMemory(pid)?.rssMb ?? 0;
  await eventLoopDelayMs(base);
  await new Promise((r) => setTimeout(r, settleSeconds * 1000));
  // The event loop's delay over those seconds (what a scrape waits before it is even read).
  const loopDelay = await eventLoopDelayMs(base);
  const settledMs = await scrapes(base);
  const settled = readMemory(pid);
  const heap = await mainHeapMb(base);
  await stopChild(proc.child, 'SIGTERM', 10_000);
  return {
    readyMs,
    scrapeMs,
    settledMs,
    rssMb,
    settledRssMb: settled?.rssMb ?? 0,
    peakRssMb: settled?.peakMb ?? 0,
    heap,
    loopDelay,
  };
}

console.log(
  `scale: ${users} users × ${events} events (one ICS link each), ${concurrency} syncs in parallel; talkcal start ${builtDir ? 'compiled (as in the container)' : 'from the sources (tsx)'}`,
);
// One feed for every user, with an ETag: every poll after a user's first fetch is a 304 (the daemon
// keeps a feed's validators only when its body changed).
const feed = loggedFeed(renderIcs(initialEvents('s', events)));
rig.feeds.handle('scale', feed.handler);
const before = await usedMemory();
const ids: string[] = [];
for (let i = 0; i < users; i++) ids.push(await scope.addUser({ type: 'ics', url: rig.feeds.url('scale') }));
const afterRegistering = await usedMemory();
const worker = await scope.startWorker({ concurrency, env: heapCap(workerHeapMb) });
await syncAll(ids, 'first sync');
await syncAll(ids, 're-sync, unchanged');
const cap = workerHeapMb > 0 ? `main heap cap ${workerHeapMb} MB` : 'no heap cap';
console.log(
  `  talkcal worker (${concurrency} syncs at once, ${cap}): peak RSS ${worker.rss.peakMb().toFixed(0)} MB`,
);
await worker.stop();
const after = await usedMemory();
const families = await keyFamilies();
const synced = users * events;

console.log(
  `  Redis used_memory: ${mb(before)} empty → ${mb(afterRegistering)} registered → ${mb(after)} synced`,
);
console.log(`  ${mb(after - before)} in all = ${((after - before) / users / 1024).toFixed(1)} KB per user`);
console.log('  key family                                     keys   fields     bytes   bytes/field');
const sorted = [...families].sort((a, b) => b[1].bytes - a[1].bytes);
for (const [family, f] of sorted) {
  const perField = Math.round(f.bytes / Math.max(f.fields, 1));
  console.log(
    `  ${family.padEnd(45)} ${String(f.keys).padStart(5)} ${String(f.fields).padStart(8)} ${String(f.bytes).padStart(10)} ${String(perField).padStart(8)}`,
  );
}
const bytesOf = (suffix: string) =>
  sorted.filter(([k]) => k.endsWith(suffix)).reduce((s, [, f]) => s + f.bytes, 0);
const perEvent = (bytesOf(':items') + bytesOf(':sync:snapshot')) / synced;
// Per-user keys carry the {U} tag; the rest (BullMQ's capped streams, the quota, the user sets) is
// shared and does not grow with the users' events.
const userBytes = sorted.filter(([k]) => k.includes('{U}')).reduce((s, [, f]) => s + f.bytes, 0);
const sharedBytes = sorted.reduce((s, [, f]) => s + f.bytes, 0) - userBytes;
const perUserFixed = (userBytes - perEvent * synced) / users;
console.log(`  per synced event (mapping item + snapshot entry): ${perEvent.toFixed(0)} B`);
console.log(
  `  per user besides those: ${(perUserFixed / 1024).toFixed(1)} KB; shared keys ${mb(sharedBytes)}`,
);
const projected = 10_000 * (200 * perEvent + perUserFixed);
console.log(
  `  → 10,000 users × 200 events ≈ ${(projected / 1024 ** 3).toFixed(2)} GB of per-user keys (goal ≤ 1 GB)`,
);

for (const line of describeSpread(
  await measurePollSpread(scope, daemonEnv, users, feed.requests, builtDir, profileFlags),
))
  console.log(line);
// As before the polling: the synced users unscheduled, for the start-up figures below.
for (const id of ids) await scope.ctx.queue.unschedule(id);

if (registered > users) {
  const t0 = Date.now();
  for (let i = users; i < registered; i++) {
    const id = await scope.addUser({ type: 'ics', url: rig.feeds.url('scale') });
    await scope.ctx.queue.schedule(id);
  }
  console.log(
    `  registered ${registered - users} more users (link + schedule, not synced) in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${registered} in all`,
  );
}
const daemon = await daemonStartup();
const range = (ms: number[]) =>
  `median ${ms[2]!.toFixed(0)} ms (min ${ms[0]!.toFixed(0)}, max ${ms[4]!.toFixed(0)})`;
console.log(
  `  talkcal start at ${registered} users: /readyz after ${(daemon.readyMs / 1000).toFixed(1)} s, RSS ${daemon.rssMb.toFixed(0)} MB (${daemon.settledRssMb.toFixed(0)} MB ${settleSeconds} s later, polling; peak ${daemon.peakRssMb.toFixed(0)} MB; main heap cap ${daemonHeapMb > 0 ? `${daemonHeapMb} MB` : 'none'})`,
);
console.log(
  `  main thread's heap ${settleSeconds} s later (its /metrics): ${daemon.heap.usedMb.toFixed(0)} MB in use of ${daemon.heap.totalMb.toFixed(0)} MB allocated`,
);
console.log(
  `  /metrics scrape: at ready ${range(daemon.scrapeMs)}; ${settleSeconds} s later ${range(daemon.settledMs)}`,
);
const lag = daemon.loopDelay;
console.log(
  `  main thread's event-loop delay over those ${settleSeconds} s: p50 ${lag.p50.toFixed(1)} ms, p99 ${lag.p99.toFixed(1)} ms, max ${lag.max.toFixed(0)} ms`,
);

if (cloneTo > users) {
  const before = await usedMemory();
  const t0 = Date.now();
  await cloneUsers(redis, scope.prefix, ids, cloneTo);
  const all = await usedMemory();
  console.log(
    `  ${cloneTo - users} more users with copies of the synced users' keys in ${((Date.now() - t0) / 1000).toFixed(0)} s: Redis used_memory ${mb(before)} → ${mb(all)} = ${(all / 1024 ** 3).toFixed(2)} GB for ${cloneTo} users × ${events} events (+ ${registered - users} registered, not synced) (goal ≤ 1 GB at 10,000 × 200)`,
  );
}

await rig.close();
if (builtDir) rmSync(builtDir, { recursive: true, force: true });
process.exit(0);
