import type { Command } from 'commander';
import { ensureKakaoAppKey, ensurePortFree, portSettings } from '../../daemon/start-checks.js';
import { port, positiveInteger } from '../args.js';
import { checkedConfig } from '../daemon-context.js';

// talkcal start (API + schedules + a worker) and talkcal worker (a worker only; run any number, on
// any machine, against the same Redis). What can be checked cheaply (config, secret key, Redis, the
// port) is checked before the daemon's modules load.

export function register(program: Command): void {
  program
    .command('start')
    .description('run the HTTP API, the schedules and a worker')
    .action(async (_opts: unknown, cmd: Command) => {
      const config = await checkedConfig(cmd);
      ensureKakaoAppKey(config.kakao);
      await ensurePortFree(config.http.host, config.http.port, portSettings.http);
      if (config.http.metricsPort !== null)
        await ensurePortFree(config.http.host, config.http.metricsPort, portSettings.metrics);
      const { runDaemon, stopOnSignals } = await import('../../daemon/run.js');
      const daemon = await runDaemon(config, { api: true, worker: true });
      console.error(
        `talkcal: API on ${daemon.url}${daemon.metricsUrl ? `, metrics on ${daemon.metricsUrl}/metrics` : ''}`,
      );
      stopOnSignals(daemon);
    });

  program
    .command('worker')
    .description('run a sync worker (scale out by running more)')
    .option('--concurrency <n>', 'parallel user syncs (default config.worker.concurrency)', positiveInteger)
    .option(
      '--lock-duration <ms>',
      'how long a job of a dead worker stays locked before another worker takes it over (default 30000)',
      positiveInteger,
    )
    .option('--metrics-port <port>', 'serve /healthz and /metrics of this worker on a port', port)
    .action(
      async (opts: { concurrency?: number; lockDuration?: number; metricsPort?: number }, cmd: Command) => {
        const config = await checkedConfig(cmd);
        ensureKakaoAppKey(config.kakao);
        if (opts.metricsPort !== undefined)
          await ensurePortFree(config.http.host, opts.metricsPort, portSettings.workerMetrics);
        const { runDaemon, stopOnSignals } = await import('../../daemon/run.js');
        const daemon = await runDaemon(config, {
          api: false,
          worker: true,
          ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
          ...(opts.lockDuration ? { lockDurationMs: opts.lockDuration } : {}),
          ...(opts.metricsPort !== undefined ? { metricsPort: opts.metricsPort } : {}),
        });
        console.error(
          `talkcal: worker ready (pid ${process.pid})${daemon.url ? `, metrics on ${daemon.url}/metrics` : ''}`,
        );
        stopOnSignals(daemon);
      },
    );
}
