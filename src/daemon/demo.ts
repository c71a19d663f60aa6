import { randomBytes, randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config/load.js';
import { startEmulator } from '../emulator/server.js';
import { createLogger } from '../log.js';
import { TalkcalError } from '../model/errors.js';
import { countsOf } from '../queue/sync-runner.js';
import type { JobOutcome } from '../queue/sync-worker.js';
import { generateSecretKeySpec } from '../registry/crypto.js';
import { startDemoChannel } from './demo-channel.js';
import { serveFeedFile, shiftToWeekOf } from './demo-feed.js';
import { type PrivateRedis, redisAnswers, redisServerInstalled, startPrivateRedis } from './private-redis.js';
import { runDaemon } from './run.js';
import { addUser } from './user-service.js';

// `talkcal demo`: the Kakao emulator, a local ICS feed and the daemon in one process tree; a demo
// user is connected and synced, then the scheduler keeps running until Ctrl-C.

export const sampleFeedPath = fileURLToPath(new URL('../../config/demo/sample.ics', import.meta.url));

/** Redis was wanted but neither answers nor can be started. */
export class DemoRedisUnavailableError extends TalkcalError {
  readonly scope = 'app';
}

export interface DemoOptions {
  env?: NodeJS.ProcessEnv;
  /** Minutes between scheduled syncs (default 1, so a feed edit shows quickly). */
  intervalMinutes?: number;
  print?: (line: string) => void;
  /** Also keep the demo feed as the public events of a demo Talk Channel (followed by the user). */
  channel?: boolean;
}

export interface RunningDemo {
  userId: string;
  apiUrl: string;
  emulatorUrl: string;
  feedFile: string;
  stop(): Promise<void>;
}

interface EventRow {
  title?: string;
  time: { start_at: string; end_at: string; all_day?: boolean; time_zone?: string };
  rrule?: string;
  reminders?: number[];
}

function describeEvent(e: EventRow): string {
  const t = e.time;
  const when = t.all_day
    ? `${t.start_at.slice(0, 10)} → ${t.end_at.slice(0, 10)} (all day)`
    : `${t.start_at.replace('T', ' ').slice(0, 16)} → ${t.end_at.slice(11, 16)} UTC (${t.time_zone ?? 'Asia/Seoul'})`;
  const extra = [
    e.rrule ? `repeats ${e.rrule}` : '',
    e.reminders?.length ? `alarm ${e.reminders.join(', ')} min` : '',
  ]
    .filter(Boolean)
    .join('; ');
  return `  • ${e.title ?? '(untitled)'}\n      ${when}${extra ? `  [${extra}]` : ''}`;
}

export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  const print = options.print ?? ((line: string) => console.log(line));
  const env = options.env ?? process.env;
  const base = loadConfig({ env });
  let privateRedis: PrivateRedis | undefined;
  let redisUrl = base.redis.url;
  if (!(await redisAnswers(redisUrl))) {
    if (!redisServerInstalled()) {
      throw new DemoRedisUnavailableError(
        `Redis is not answering at ${redisUrl} and redis-server is not installed. Install Redis 7 ` +
          '(Debian: apt-get install -y redis-server) or set REDIS_URL to a running one.',
      );
    }
    privateRedis = await startPrivateRedis();
    redisUrl = privateRedis.url;
    print(`Redis: started a private redis-server at ${redisUrl} (no persistence)`);
  } else {
    print(`Redis: using ${redisUrl}`);
  }

  const emulator = await startEmulator({ host: '127.0.0.1', port: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'talkcal-demo-'));
  const feedFile = join(dir, 'demo.ics');
  writeFileSync(feedFile, shiftToWeekOf(readFileSync(sampleFeedPath, 'utf8'), new Date()));
  copyFileSync(feedFile, join(dir, 'demo.original.ics'));
  const feed = await serveFeedFile(feedFile);
  const adminToken = randomBytes(18).toString('base64url');
  const configuredKey = env['TALKCAL_SECRET_KEY']?.trim() ?? '';
  // The demo's data is deleted when it stops, so a key that dies with it loses nothing.
  const secretKeys = configuredKey || generateSecretKeySpec('demo');
  if (!configuredKey)
    print('Secret key: TALKCAL_SECRET_KEY is not set, so the demo made a throw-away one for its own data');
  const keyPrefix = `talkcal-demo-${randomUUID().slice(0, 8)}`;
  const config = loadConfig({
    env,
    overrides: {
      log: { level: env['LOG_LEVEL'] ?? 'warn' },
      redis: { url: redisUrl, keyPrefix, sentinels: [], clusterNodes: [] },
      kakao: {
        apiBaseUrl: emulator.url,
        authBaseUrl: emulator.url,
        restApiKey: 'emulator-rest-api-key',
        clientSecret: '',
        ...(options.channel ? { adminKey: 'emulator-admin-key' } : {}),
      },
      sources: { allowHosts: ['127.0.0.1'] },
      sync: { intervalMinutes: options.intervalMinutes ?? 1, jitterSeconds: 0 },
      http: { host: '127.0.0.1', port: 0, adminToken, publicBaseUrl: 'http://127.0.0.1:8080' },
      worker: { shutdownGraceMs: 10_000 },
      security: { secretKeys, activeKeyId: '' },
    },
  });
  const daemon = await runDaemon(config, {
    api: true,
    worker: true,
    logger: createLogger({ level: config.log.level }),
  });
  const apiUrl = daemon.url ?? '';

  const kakaoUser = emulator.admin.createUser();
  const userId = kakaoUser.userId;
  await daemon.ctx.registry.users.upsert({ id: userId, timeZone: 'Asia/Seoul' });
  await daemon.ctx.registry.links.put(userId, {
    id: 'demo-feed',
    name: 'Demo ICS feed',
    source: { type: 'ics', url: feed.url },
    target: { kind: 'primary' },
  });
  // The tokens make the user active: scheduled, and a first sync queued.
  await addUser(daemon.ctx, {
    id: userId,
    tokens: {
      accessToken: kakaoUser.accessToken,
      refreshToken: kakaoUser.refreshToken,
      expiresIn: kakaoUser.expiresIn,
    },
  });
  print(`Kakao emulator: ${emulator.url}   demo user: ${userId}`);
  print(`Demo feed: ${feed.url}`);
  print('\nFirst sync…');
  const { jobId: firstJob, outcome: first } = await daemon.ctx.queue.triggerAndWait(userId);
  const c = countsOf((first as { result?: unknown }).result);
  print(
    `Created in Talk Calendar: ${c.kakao.created} event(s), ${c.kakao.updated} updated, ${c.kakao.deleted} deleted\n`,
  );
  const events = emulator.admin.events(userId) as unknown as EventRow[];
  for (const e of events.sort((a, b) => a.time.start_at.localeCompare(b.time.start_at)))
    print(describeEvent(e));

  if (options.channel) await startDemoChannel(daemon, emulator, feed.url, userId, print);

  daemon.worker?.worker.on('completed', (job, outcome: JobOutcome) => {
    if (job.data.userId !== userId || job.id === firstJob || !('result' in outcome)) return;
    const k = countsOf(outcome.result).kakao;
    const at = new Date().toISOString().slice(11, 19);
    print(
      `[${at}] scheduled sync: ${k.created} created, ${k.updated} updated, ${k.deleted} deleted in Talk Calendar`,
    );
  });

  print(`
The scheduler syncs every ${config.sync.intervalMinutes} minute(s). Try it:
  1. edit ${feedFile}
     (change a SUMMARY, move a DTSTART, or delete a VEVENT block) and save;
  2. watch the next scheduled sync report the change here.
Admin API: ${apiUrl}/api/users (Authorization: Bearer ${adminToken})
Dashboard: ${apiUrl}/admin/queues   Metrics: ${apiUrl}/metrics
Press Ctrl-C to stop.`);

  let stopped: Promise<void> | undefined;
  return {
    userId,
    apiUrl,
    emulatorUrl: emulator.url,
    feedFile,
    stop() {
      stopped ??= (async () => {
        await daemon.ctx.queue.unschedule(userId).catch(() => {});
        await daemon.stop();
        await deleteDemoKeys(redisUrl, keyPrefix);
        await feed.close();
        await emulator.close();
        await privateRedis?.stop();
        rmSync(dir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

async function deleteDemoKeys(url: string, prefix: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url);
  try {
    for (const pattern of [`${prefix}:*`, `{${prefix}}*`, `{${prefix}:*`]) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
}
