import type { FastifyInstance } from 'fastify';
import type { Clock } from '../clock.js';
import type { Config } from '../config/schema.js';
import { buildMetricsServer } from '../http/metrics-route.js';
import { buildHttpServer } from '../http/server.js';
import type { Logger } from '../log.js';
import { TranslationPool } from '../pool/translation-pool.js';
import { SyncWorker } from '../queue/sync-worker.js';
import { createDaemonContext, type DaemonContext } from './context.js';
import { portError } from './errors.js';
import { type HolidaySchedule, startHolidaySchedule, wantsHolidaySchedule } from './holiday-schedule.js';
import { portSettings } from './start-checks.js';
import { StartupProgress } from './startup-progress.js';
import { createSyncRunner, type SyncRunnerOptions } from './sync-runner-factory.js';
import { createConflictPort } from './sync-wiring.js';
import { syncSchedule } from './user-service.js';

// A daemon process: the HTTP API and the schedules (`start`), a worker (`start` and `worker`), or
// both. SIGTERM/SIGINT stop taking jobs, give running syncs config.worker.shutdownGraceMs, then exit.

export interface RunOptions {
  api: boolean;
  worker: boolean;
  logger?: Logger;
  runner?: SyncRunnerOptions;
  concurrency?: number;
  lockDurationMs?: number;
  /** Worker-only processes: serve /healthz and /metrics on this port (0 = a free one). */
  metricsPort?: number;
  /** `start` schedules the holidays refresh when configured; false leaves it off (tests). */
  holidaySchedule?: boolean;
  /** The daemon's clock (benchmarks run a day in minutes); real time by default. */
  clock?: Clock;
}

export interface RunningDaemon {
  ctx: DaemonContext;
  http?: FastifyInstance;
  url?: string;
  /** Where /metrics listens when http.metricsPort is set. */
  metricsUrl?: string;
  worker?: SyncWorker;
  /** The daily Korean holidays refresh (`start` with publish.includeHolidays and an admin key). */
  holidays?: HolidaySchedule;
  stop(): Promise<void>;
}

export async function runDaemon(config: Config, options: RunOptions): Promise<RunningDaemon> {
  const ctx = createDaemonContext(config, options.logger, options.clock ? { clock: options.clock } : {});
  const parts: Parts = {};
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      ctx.logger.info('shutting down: no new jobs; running syncs get the grace period');
      const outcome = await parts.worker?.close(config.worker.shutdownGraceMs);
      if (outcome === 'forced')
        ctx.logger.warn('grace period over: unfinished syncs resume on another worker');
      await parts.http?.close();
      await parts.metricsHttp?.close();
      await parts.reconciling;
      await parts.holidays?.close();
      await parts.pool?.close();
      await ctx.close();
    })();
    return stopping;
  };
  try {
    await startParts(ctx, options, parts);
  } catch (error) {
    // Whatever did start is stopped, so a failed start (a busy port) ends the process.
    await stop().catch(() => {});
    throw error;
  }
  const { worker, http, url, metricsUrl, holidays } = parts;
  ctx.logger.info({ api: url, metrics: metricsUrl, worker: Boolean(worker) }, 'talkcal daemon started');
  return {
    ctx,
    ...(http ? { http } : {}),
    ...(url ? { url } : {}),
    ...(metricsUrl ? { metricsUrl } : {}),
    ...(worker ? { worker } : {}),
    ...(holidays ? { holidays } : {}),
    stop,
  };
}

/**
 * Start-up repairs, after the API already answers: the users-by-state sets of a registry older than
 * them, and every active user's schedule (repairs schedules lost with Redis data; an intact one is only
 * read, not rewritten). Its progress is recorded for `talkcal status` (startup-progress.ts).
 */
async function reconcileInBackground(ctx: DaemonContext, progress: StartupProgress): Promise<void> {
  const started = Date.now();
  try {
    await ctx.registry.users.ensureStateIndex();
    let users = 0;
    let repaired = 0;
    for await (const ids of ctx.registry.users.idBatches()) {
      for (const id of ids) {
        const user = await ctx.registry.users.get(id).catch(() => undefined);
        if (user && (await syncSchedule(ctx, user, { keepIntact: true }))) repaired++;
      }
      users += ids.length;
      await progress.advance(users, repaired);
    }
    await progress.finish(new Date());
    ctx.logger.info({ users, repaired, durationMs: Date.now() - started }, 'schedules reconciled');
  } catch (error) {
    ctx.logger.error({ err: error }, 'reconciling schedules failed; they are repaired at the next start');
    await progress.finish(new Date(), error instanceof Error ? error.message : String(error)).catch(() => {});
  }
}

/** What a daemon process has started so far (all of it is stopped on shutdown or a failed start). */
interface Parts {
  worker?: SyncWorker;
  http?: FastifyInstance;
  url?: string;
  /** /metrics on http.metricsPort. */
  metricsHttp?: FastifyInstance;
  metricsUrl?: string;
  holidays?: HolidaySchedule;
  pool?: TranslationPool;
  /** Start-up repairs running in the background. */
  reconciling?: Promise<void>;
}

async function startParts(ctx: DaemonContext, options: RunOptions, parts: Parts): Promise<void> {
  const config = ctx.config;
  if (options.worker) {
    // Sources are parsed and translated on their own threads: one costly calendar cannot block the
    // loop that renews locks and serves every other user.
    parts.pool = new TranslationPool(config.limits);
    parts.worker = new SyncWorker({
      ...ctx,
      runner: createSyncRunner(ctx, { ...options.runner, work: parts.pool }),
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      ...(options.lockDurationMs ? { lockDurationMs: options.lockDurationMs } : {}),
    });
    await parts.worker.waitUntilReady();
  }
  if (options.api) {
    // Recorded as started before the API answers, so no status shows the previous start's check.
    const progress = new StartupProgress(ctx.redis, config.redis.keyPrefix);
    await progress.start(await ctx.redis.scard(ctx.registry.keys.users()), new Date());
    parts.reconciling = reconcileInBackground(ctx, progress);
    if (options.holidaySchedule !== false && wantsHolidaySchedule(config))
      parts.holidays = await startHolidaySchedule(ctx);
    parts.http = await buildHttpServer(ctx, { conflicts: createConflictPort(ctx) });
    parts.url = await listen(parts.http, config.http.host, config.http.port, portSettings.http);
    if (config.http.metricsPort !== null) {
      parts.metricsHttp = buildMetricsServer(ctx, { refresh: true });
      parts.metricsUrl = await listen(
        parts.metricsHttp,
        config.http.host,
        config.http.metricsPort,
        portSettings.metrics,
      );
    }
  } else if (options.metricsPort !== undefined) {
    parts.http = buildMetricsServer(ctx, { refresh: false });
    parts.url = await listen(parts.http, config.http.host, options.metricsPort, portSettings.workerMetrics);
  }
}

async function listen(http: FastifyInstance, host: string, port: number, setting: string): Promise<string> {
  try {
    return await http.listen({ host, port });
  } catch (error) {
    throw portError(error, host, port, setting);
  }
}

/** Stops the daemon on SIGTERM/SIGINT (a second signal exits at once). */
export function stopOnSignals(daemon: RunningDaemon, exit: (code: number) => void = process.exit): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) exit(130);
    signalled = true;
    daemon.ctx.logger.info({ signal }, 'signal received');
    daemon.stop().then(
      () => exit(0),
      (error: unknown) => {
        daemon.ctx.logger.error({ err: error }, 'shutdown failed');
        exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
