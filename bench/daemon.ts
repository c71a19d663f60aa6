// Daemon benchmark.
// 1. User-syncs per minute through the whole daemon (BullMQ queue, worker, registry with sealed
//    tokens, quota governor, real engine, Kakao client over HTTP) for 1,000 users × 50 events,
//    emulator latency 20 ms, worker concurrency 1, 10 and 50 (as worker.manualConcurrency: the syncs
//    are triggered): first syncs (50 creates each) and
//    unchanged re-syncs, each measured over a time window (BENCH_SECONDS, default 20). The emulator
//    runs in its own process; the daemon's peak RSS is this process's. Each phase also prints what
//    limits it: the daemon's Redis commands per sync, its event-loop delay, and the CPU seconds the
//    daemon and the emulator spent (on a shared machine the CPU, not the rate, is the stable figure).
//    BENCH_USERS, BENCH_CONCURRENCY (1,10,50), BENCH_WRITE_CONCURRENCY (sync.writeConcurrency).
// The quota a user costs per day is measured by bench/quota.ts (the daemon over a simulated day).
// Run: npx tsx bench/daemon.ts   (needs Redis at REDIS_URL, default 127.0.0.1:6379)
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { type Cluster, Redis } from 'ioredis';
import { loadConfig } from '../src/config/load.js';
import { createDaemonContext } from '../src/daemon/context.js';
import { createSyncRunner } from '../src/daemon/sync-runner-factory.js';
import { tokensFromInput } from '../src/daemon/user-service.js';
import { createLogger } from '../src/log.js';
import { SyncWorker } from '../src/queue/sync-worker.js';
import { startEmulatorProcess } from './quota/emulator-process.js';

const users = Number(process.env['BENCH_USERS'] ?? 1000);
const eventsPerUser = 50;
const windowSeconds = Number(process.env['BENCH_SECONDS'] ?? 20);
const latencyMs = 20;
const triggerBatch = 50;
// Items one sync writes at once (BENCH_WRITE_CONCURRENCY, default sync.writeConcurrency).
const writeConcurrency = Number(
  process.env['BENCH_WRITE_CONCURRENCY'] ?? loadConfig({ env: {} }).sync.writeConcurrency,
);
const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 100);

const stamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
function feed(count: number): string {
  const day0 = Date.UTC(
    new Date().getUTCFullYear(),
    new Date().getUTCMonth(),
    new Date().getUTCDate() + 1,
    9,
  );
  const events = Array.from({ length: count }, (_, i) => {
    const start = new Date(day0 + i * 86_400_000 * 3);
    return `BEGIN:VEVENT\r\nUID:bench-${i}@talkcal\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:${stamp(start)}\r\nDTEND:${stamp(new Date(start.getTime() + 3_600_000))}\r\nSUMMARY:Bench event ${i}\r\nEND:VEVENT`;
  });
  return `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\n${events.join('\r\n')}\r\nEND:VCALENDAR\r\n`;
}

/** Counts the commands sent on one ioredis connection (bench instrumentation only). */
function countCommands(redis: Redis | Cluster): { count: number; byName: Map<string, number> } {
  const counter = { count: 0, byName: new Map<string, number>() };
  const send = redis.sendCommand.bind(redis) as (...a: unknown[]) => unknown;
  redis.sendCommand = ((...args: unknown[]) => {
    counter.count++;
    const name = (args[0] as { name?: string }).name ?? '?';
    counter.byName.set(name, (counter.byName.get(name) ?? 0) + 1);
    return send(...args);
  }) as typeof redis.sendCommand;
  return counter;
}

const ms = (ns: number) => (ns / 1e6).toFixed(0);

/** CPU seconds (user + system) a process has used so far, from /proc (0 where there is none). */
function cpuSecondsOf(pid: number | undefined): number {
  if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return 0;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  for (const pattern of [`${prefix}:*`, `{${prefix}}*`, `{${prefix}:*`]) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  }
  redis.disconnect();
}

async function measure(
  emulatorUrl: string,
  feedUrl: string,
  concurrency: number,
  emulatorPid: number | undefined,
): Promise<{ first: number; resync: number; firstDone: string[] }> {
  const prefix = `bench-${randomUUID().slice(0, 8)}`;
  const config = loadConfig({
    env: {},
    overrides: {
      log: { level: 'silent' },
      redis: { url: redisUrl, keyPrefix: prefix },
      security: { secretKeys: `b1:${randomBytes(32).toString('base64')}`, activeKeyId: '' },
      kakao: { apiBaseUrl: emulatorUrl, authBaseUrl: emulatorUrl, restApiKey: 'emulator-rest-api-key' },
      // The daemon's own throughput: Kakao's budget and rate are not the limit here.
      quota: { dailyBudget: 1_000_000_000, perSecond: 100_000 },
      sync: { writeConcurrency },
      // Triggered syncs run on the manual slots: give them the concurrency measured.
      worker: { manualConcurrency: concurrency },
      sources: { allowHosts: ['127.0.0.1'] },
    },
  });
  const ctx = createDaemonContext(config, createLogger({ level: 'silent' }));
  const ids: string[] = [];
  for (let i = 0; i < users; i++) {
    const res = await fetch(`${emulatorUrl}/_emulator/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const k = (await res.json()) as {
      userId: string;
      accessToken: string;
      refreshToken: string;
      expiresIn: number;
    };
    ids.push(k.userId);
    await ctx.registry.users.upsert({
      id: k.userId,
      timeZone: 'Asia/Seoul',
      tokens: tokensFromInput({
        accessToken: k.accessToken,
        refreshToken: k.refreshToken,
        expiresIn: k.expiresIn,
      }),
    });
    await ctx.registry.links.put(k.userId, {
      id: 'feed',
      source: { type: 'ics', url: feedUrl },
      target: { kind: 'primary' },
    });
  }
  const worker = new SyncWorker({ ...ctx, runner: createSyncRunner(ctx), concurrency });
  let completed = 0;
  const synced: string[] = [];
  worker.manualWorker.on('completed', (job, outcome) => {
    if (!('result' in outcome)) return;
    completed++;
    synced.push(job.data.userId);
  });
  // What limits it: the daemon's Redis commands (engine, governor, registry; BullMQ has its own
  // connections) and the event loop's delay while syncs run.
  const commands = countCommands(ctx.redis);
  const run = async (label: string, who: string[]): Promise<number> => {
    completed = 0;
    synced.length = 0;
    commands.count = 0;
    commands.byName.clear();
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const cpu = process.cpuUsage();
    const emulatorCpu = cpuSecondsOf(emulatorPid);
    const start = Date.now();
    // Triggered a batch at a time, as the scheduler and admission enqueue them: a serial loop of
    // round trips would measure the trigger loop beside 50 busy syncs, not the daemon.
    for (let i = 0; i < who.length; i += triggerBatch) {
      await Promise.all(who.slice(i, i + triggerBatch).map((id) => ctx.queue.trigger(id)));
    }
    const triggered = (Date.now() - start) / 1000;
    while (Date.now() - start < windowSeconds * 1000 && completed < who.length) {
      await new Promise((r) => setTimeout(r, 100));
    }
    loop.disable();
    const elapsed = (Date.now() - start) / 1000;
    const used = process.cpuUsage(cpu);
    const daemonCpu = (used.user + used.system) / 1e6;
    const emuCpu = cpuSecondsOf(emulatorPid) - emulatorCpu;
    const perMinute = (completed / elapsed) * 60;
    const perSync = completed > 0 ? (commands.count / completed).toFixed(0) : '-';
    console.log(
      `  concurrency ${String(concurrency).padStart(2)}  ${label.padEnd(18)} ${String(completed).padStart(4)} syncs in ${elapsed.toFixed(1)} s  →  ${perMinute.toFixed(0)} user-syncs/min` +
        `  (triggered in ${triggered.toFixed(1)} s; ${perSync} Redis commands per sync; event-loop delay p50 ${ms(loop.percentile(50))} / p99 ${ms(loop.percentile(99))} ms;` +
        ` CPU ${daemonCpu.toFixed(1)} s daemon, ${emuCpu.toFixed(1)} s emulator)`,
    );
    if (process.env['BENCH_COMMANDS'])
      console.log(
        '   ',
        [...commands.byName].sort((a, b) => b[1] - a[1]),
      );
    await ctx.queue.manual.drain();
    while ((await ctx.queue.manual.getJobCounts('active'))['active'])
      await new Promise((r) => setTimeout(r, 100));
    return perMinute;
  };
  const first = await run('first sync', ids);
  const firstDone = [...synced];
  const resync = await run('re-sync, unchanged', firstDone);
  await worker.close(5000);
  await ctx.close();
  await deleteKeys(prefix);
  return { first, resync, firstDone };
}

const feedServer = createServer((_req, res) =>
  res.writeHead(200, { 'content-type': 'text/calendar' }).end(feed(eventsPerUser)),
);
await new Promise<void>((r) => feedServer.listen(0, '127.0.0.1', r));
const feedUrl = `http://127.0.0.1:${(feedServer.address() as AddressInfo).port}/bench.ics`;

console.log(
  `daemon throughput: ${users} users × ${eventsPerUser} events, emulator latency ${latencyMs} ms, window ${windowSeconds} s, sync.writeConcurrency ${writeConcurrency}`,
);
// BENCH_CONCURRENCY=1,10 (default 1,10,50).
const concurrencies = (process.env['BENCH_CONCURRENCY'] ?? '1,10,50').split(',').filter(Boolean).map(Number);
for (const concurrency of concurrencies) {
  const emulator = await startEmulatorProcess(latencyMs);
  try {
    await measure(emulator.url, feedUrl, concurrency, emulator.pid);
  } finally {
    await emulator.stop();
  }
}
if (concurrencies.length > 0)
  console.log(`  daemon peak RSS: ${(peakRss / 1024 / 1024).toFixed(0)} MiB (emulator in its own process)`);

clearInterval(sampler);
feedServer.close();
process.exit(0);
