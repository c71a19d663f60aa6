import { randomBytes, randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config/load.js';
import { startEmulator } from '../emulator/server.js';
import { createLogger, type Logger } from '../log.js';
import { TalkcalError } from '../model/errors.js';
import { admissionJobId } from '../queue/jobs.js';
import { countsOf } from '../queue/sync-runner.js';
import type { JobOutcome } from '../queue/sync-worker.js';
import { generateSecretKeySpec } from '../registry/crypto.js';
import { startDemoChannel } from './demo-channel.js';
import { serveFeedFile, shiftToWeekOf } from './demo-feed.js';
import {
  freePort,
  type PrivateRedis,
  redisAnswers,
  redisServerInstalled,
  startPrivateRedis,
} from './private-redis.js';
import { runDaemon } from './run.js';
import { syncSummary } from './sync-summary.js';
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
  /** Ctrl-C during start-up: stops what was started and rejects. */
  signal?: AbortSignal;
  /** stop() gives up on parts still stopping after this long (default 20 s). */
  stopWithinMs?: number;
  /** Called once the demo has stopped because its private redis-server went away. */
  onRedisLost?: () => void;
  /** Then also silence console.error (the CLI: the cause is printed once, not per reconnect). */
  muteConsoleOnRedisLoss?: boolean;
}

export interface RunningDemo {
  userId: string;
  apiUrl: string;
  emulatorUrl: string;
  feedFile: string;
  /** The temporary folder (feed file and its original); removed by stop(). */
  dir: string;
  stop(): Promise<void>;
}

interface EventRow {
  title?: string;
  time: { start_at: string; end_at: string; all_day?: boolean; time_zone?: string };
  rrule?: string;
  reminders?: number[];
  /** Instances of a series edited on their own (the moved meeting), by original start. */
  overrides?: Record<string, { title?: string; time?: { start_at: string; end_at: string } }>;
}

const utcMinute = (kakaoTime: string) => `${kakaoTime.replace('T', ' ').slice(0, 16)} UTC`;

function describeOverrides(e: EventRow): string[] {
  return Object.entries(e.overrides ?? {}).map(([original, o]) => {
    const was = `${original.slice(0, 4)}-${original.slice(4, 6)}-${original.slice(6, 8)} ${original.slice(9, 11)}:${original.slice(11, 13)} UTC`;
    const now = o.time ? utcMinute(o.time.start_at) : 'same time';
    return `      instance of ${was} moved to ${now}${o.title ? ` as "${o.title}"` : ''}`;
  });
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
  return [
    `  • ${e.title ?? '(untitled)'}`,
    `      ${when}${extra ? `  [${extra}]` : ''}`,
    ...describeOverrides(e),
  ].join('\n');
}

export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  const print = options.print ?? ((line: string) => console.log(line));
  const env = options.env ?? process.env;
  // What was started so far, undone in reverse order by stop() or by a failed or aborted start.
  const cleanups: Cleanup[] = [];
  const finals: Cleanup[] = [];
  const stop = stopper(cleanups, finals, options.stopWithinMs ?? 20_000);
  try {
    return await startParts(options, env, print, { cleanups, finals }, stop);
  } catch (error) {
    await stop();
    throw error;
  }
}

type Cleanup = () => Promise<void> | void;

/**
 * Runs the cleanups newest first, each at most once, within `withinMs` in all (a part that does not
 * stop in time, say with its Redis gone, is left); then the finals (the private redis-server, the
 * temporary folder), always.
 */
function stopper(cleanups: Cleanup[], finals: Cleanup[], defaultWithinMs: number) {
  let stopped: Promise<void> | undefined;
  return (withinMs = defaultWithinMs): Promise<void> => {
    stopped ??= (async () => {
      const deadline = Date.now() + withinMs;
      for (const cleanup of cleanups.splice(0).reverse()) {
        const left = deadline - Date.now();
        if (left <= 0) break;
        await withinTime(cleanup, left);
      }
      for (const cleanup of finals.splice(0).reverse()) await withinTime(cleanup, 5_000);
    })();
    return stopped;
  };
}

async function withinTime(cleanup: Cleanup, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([
    Promise.resolve()
      .then(cleanup)
      .catch(() => {}),
    timeout,
  ]);
  clearTimeout(timer);
}

async function startParts(
  options: DemoOptions,
  env: NodeJS.ProcessEnv,
  print: (line: string) => void,
  { cleanups, finals }: { cleanups: Cleanup[]; finals: Cleanup[] },
  stop: (withinMs?: number) => Promise<void>,
): Promise<RunningDemo> {
  const aborted = () => options.signal?.throwIfAborted();
  const base = loadConfig({ env });
  const dir = mkdtempSync(join(tmpdir(), 'talkcal-demo-'));
  // Whatever else fails to stop in time, the folder goes.
  finals.push(() => rmSync(dir, { recursive: true, force: true }));
  let privateRedis: PrivateRedis | undefined;
  let redisUrl = base.redis.url;
  let redisLost = false;
  let logger: Logger | undefined;
  if (!(await redisAnswers(redisUrl))) {
    if (!redisServerInstalled()) {
      throw new DemoRedisUnavailableError(
        `Redis is not answering at ${redisUrl} and redis-server is not installed. Install Redis 7 ` +
          '(Debian: apt-get install -y redis-server) or set REDIS_URL to a running one.',
      );
    }
    privateRedis = await startPrivateRedis();
    const started = privateRedis;
    finals.push(() => started.stop());
    redisUrl = privateRedis.url;
    print(`Redis: started a private redis-server at ${redisUrl} (no persistence)`);
    // Without its Redis nothing of the demo can work: one line, then a quick stop, not minutes of
    // connection errors.
    let stopping = false;
    finals.push(() => {
      stopping = true;
    });
    void started.exited.then(() => {
      if (stopping || cleanups.length === 0) return;
      print(`Redis: the private redis-server at ${redisUrl} stopped; stopping the demo`);
      // The cause is said; every connection's retries would only repeat it.
      redisLost = true;
      if (logger) logger.level = 'silent';
      // ioredis and BullMQ print a connection's errors with console.error when nothing listens.
      if (options.muteConsoleOnRedisLoss) console.error = console.warn = () => {};
      void stop(3_000).then(() => options.onRedisLost?.());
    });
  } else {
    print(`Redis: using ${redisUrl}`);
  }
  aborted();

  const emulator = await startEmulator({ host: '127.0.0.1', port: 0 });
  cleanups.push(() => emulator.close());
  const feedFile = join(dir, 'demo.ics');
  writeFileSync(feedFile, shiftToWeekOf(readFileSync(sampleFeedPath, 'utf8'), new Date()));
  copyFileSync(feedFile, join(dir, 'demo.original.ics'));
  const feed = await serveFeedFile(feedFile);
  cleanups.push(() => feed.close());
  const adminToken = randomBytes(18).toString('base64url');
  const configuredKey = env['TALKCAL_SECRET_KEY']?.trim() ?? '';
  // The demo's data is deleted when it stops, so a key that dies with it loses nothing.
  const secretKeys = configuredKey || generateSecretKeySpec('demo');
  if (!configuredKey)
    print('Secret key: TALKCAL_SECRET_KEY is not set, so the demo made a throw-away one for its own data');
  const keyPrefix = `talkcal-demo-${randomUUID().slice(0, 8)}`;
  // The API's port is chosen before the configuration, so that the public base URL and the connect
  // flow's redirect_uri name the port the demo really listens on.
  const port = await freePort();
  const apiBase = `http://127.0.0.1:${port}`;
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
        redirectUri: `${apiBase}/connect/callback`,
        ...(options.channel ? { adminKey: 'emulator-admin-key' } : {}),
      },
      sources: { allowHosts: ['127.0.0.1'] },
      sync: { intervalMinutes: options.intervalMinutes ?? 1, jitterSeconds: 0 },
      http: { host: '127.0.0.1', port, adminToken, publicBaseUrl: apiBase },
      worker: { shutdownGraceMs: 10_000 },
      security: { secretKeys, activeKeyId: '' },
    },
  });
  aborted();
  cleanups.push(() => (redisLost ? undefined : deleteDemoKeys(redisUrl, keyPrefix)));
  logger = createLogger({ level: config.log.level });
  const daemon = await runDaemon(config, { api: true, worker: true, logger });
  cleanups.push(() => daemon.stop());
  const apiUrl = daemon.url ?? apiBase;

  const kakaoUser = emulator.admin.createUser();
  const userId = kakaoUser.userId;
  cleanups.push(() => daemon.ctx.queue.unschedule(userId));
  await daemon.ctx.registry.users.upsert({ id: userId, timeZone: 'Asia/Seoul' });
  await daemon.ctx.registry.links.put(userId, {
    id: 'demo-feed',
    name: 'Demo ICS feed',
    source: { type: 'ics', url: feed.url },
    target: { kind: 'primary' },
  });
  // The tokens make the user active: scheduled, and a first sync queued (the admission queue).
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
  const firstJob = admissionJobId(userId);
  const first = await daemon.ctx.queue.waitFor(firstJob, 10 * 60_000, options.signal);
  // Counts, link errors and the translation's warnings (the long Korean title cut to Kakao's limit).
  print(syncSummary(first, { userId, dryRun: false }));
  print('\nIn Talk Calendar now:');
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
Dashboard: ${apiUrl}/admin/login (admin token: ${adminToken})   Metrics: ${apiUrl}/metrics
Admin API: ${apiUrl}/api/users (Authorization: Bearer ${adminToken})
Connect a Kakao account (emulated): ${apiUrl}/connect
Press Ctrl-C to stop.`);

  return { userId, apiUrl, emulatorUrl: emulator.url, feedFile, dir, stop };
}

async function deleteDemoKeys(url: string, prefix: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on('error', () => {});
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
