// Published feed under load: the daemon (HTTP server + worker, real Redis) syncs a generated ICS
// source of N events into the Kakao emulator, then autocannon requests one feed with C concurrent
// clients for D seconds (gzip accepted, like calendar clients). Prints requests/s, latencies, bytes
// and the number of Kakao calls made while serving (from the emulator's request log: must be 0).
// Run: npx tsx bench/feeds.ts [events=300] [connections=200] [seconds=10]
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { loadConfig } from '../src/config/load.js';
import { serveFeedFile } from '../src/daemon/demo-feed.js';
import { runDaemon } from '../src/daemon/run.js';
import { addUser } from '../src/daemon/user-service.js';
import { startEmulator } from '../src/emulator/server.js';

const events = Number(process.argv[2] ?? 300);
const connections = Number(process.argv[3] ?? 200);
const seconds = Number(process.argv[4] ?? 10);
const day = 86_400_000;
const stamp = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

function sourceIcs(n: number): string {
  const base = Math.floor(Date.now() / day) * day;
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//talkcal-bench//EN'];
  for (let i = 0; i < n; i++) {
    const start = base + (i % 300) * day + ((i * 7) % 12) * 3_600_000;
    lines.push('BEGIN:VEVENT', `UID:bench-${i}@talkcal`, 'DTSTAMP:20250101T000000Z');
    if (i % 5 === 0) {
      lines.push(
        `DTSTART;VALUE=DATE:${stamp(start).slice(0, 8)}`,
        `DTEND;VALUE=DATE:${stamp(start + day).slice(0, 8)}`,
      );
    } else {
      lines.push(`DTSTART:${stamp(start)}`, `DTEND:${stamp(start + 3_600_000)}`);
    }
    if (i % 7 === 0) lines.push('RRULE:FREQ=WEEKLY;COUNT=8');
    lines.push(`SUMMARY:Event ${i}`, 'END:VEVENT');
  }
  lines.push('END:VCALENDAR', '');
  return lines.join('\r\n');
}

const emulator = await startEmulator({ host: '127.0.0.1', port: 0 });
const dir = mkdtempSync(join(tmpdir(), 'talkcal-bench-feeds-'));
writeFileSync(join(dir, 'source.ics'), sourceIcs(events));
const source = await serveFeedFile(join(dir, 'source.ics'));
const prefix = `bench-${randomUUID().slice(0, 13)}`;
const config = loadConfig({
  env: {},
  overrides: {
    log: { level: 'silent' },
    redis: { url: 'redis://127.0.0.1:6379', keyPrefix: prefix },
    security: { secretKeys: `k1:${randomBytes(32).toString('base64')}`, activeKeyId: '' },
    http: { host: '127.0.0.1', port: 0, adminToken: 'bench-admin-token' },
    kakao: { apiBaseUrl: emulator.url, authBaseUrl: emulator.url, restApiKey: 'emulator-rest-api-key' },
    sources: { allowHosts: ['127.0.0.1'] },
  },
});
const daemon = await runDaemon(config, { api: true, worker: true });
try {
  const made = emulator.admin.createUser();
  await addUser(daemon.ctx, {
    id: made.userId,
    timeZone: 'Asia/Seoul',
    tokens: { accessToken: made.accessToken, refreshToken: made.refreshToken, expiresIn: made.expiresIn },
  });
  await daemon.ctx.registry.links.put(made.userId, {
    id: 'bench',
    source: { type: 'ics', url: source.url },
    target: { kind: 'primary' },
  });
  const synced = Date.now();
  await daemon.ctx.queue.triggerAndWait(made.userId);
  console.log(`synced ${events} source events into the emulator in ${Date.now() - synced} ms`);

  const res = await fetch(`${daemon.url}/api/users/${made.userId}/feeds`, {
    method: 'POST',
    headers: { authorization: 'Bearer bench-admin-token', 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'all' }),
  });
  const { token } = (await res.json()) as { token: string };
  const url = `${daemon.url}/feeds/${token}.ics`;
  const first = await fetch(url, { headers: { 'accept-encoding': 'identity' } });
  const body = await first.text();
  console.log(`feed: ${body.length} bytes, ${(body.match(/BEGIN:VEVENT/g) ?? []).length} VEVENTs`);

  emulator.admin.clearRequests();
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    headers: { 'accept-encoding': 'gzip' },
  });
  const kakaoCalls = emulator.admin.requests().length;
  console.log(`\n${connections} concurrent clients, ${seconds} s, one feed (gzip):`);
  console.table({
    'requests/s (mean)': result.requests.average,
    'requests total': result.requests.total,
    'latency p50 ms': result.latency.p50,
    'latency p99 ms': result.latency.p99,
    'latency max ms': result.latency.max,
    'non-2xx answers': result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    'bytes/s (mean)': result.throughput.average,
    'Kakao calls while serving': kakaoCalls,
  });
  if (kakaoCalls !== 0) process.exitCode = 1;
} finally {
  await daemon.stop();
  await source.close();
  await emulator.close();
  const redis = new Redis('redis://127.0.0.1:6379');
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
  redis.disconnect();
}
