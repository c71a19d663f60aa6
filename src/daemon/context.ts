import { type Clock, systemClock } from '../clock.js';
import type { Config } from '../config/schema.js';
import { createLogger, type Logger } from '../log.js';
import { DaemonMetrics } from '../metrics.js';
import { queueErrorLog } from '../queue/error-log.js';
import { QuotaGovernor } from '../queue/quota-governor.js';
import { SyncQueue } from '../queue/sync-queue.js';
import { createSecretBox } from '../registry/crypto.js';
import { createRedis, type RedisConnection } from '../registry/redis.js';
import { Registry } from '../registry/registry.js';

// Everything the API, the CLI and the workers share in one process: one Redis connection, the
// registry, the queue's producer side, the quota governor, the metrics and the clock.

export interface DaemonContext {
  config: Config;
  logger: Logger;
  redis: RedisConnection;
  registry: Registry;
  queue: SyncQueue;
  governor: QuotaGovernor;
  metrics: DaemonMetrics;
  /** What scheduler, governor, verification and worker take for now (tests and benchmarks move it). */
  clock: Clock;
  close(): Promise<void>;
}

export function createDaemonContext(
  config: Config,
  logger?: Logger,
  options: { clock?: Clock } = {},
): DaemonContext {
  const clock = options.clock ?? systemClock;
  // A missing or malformed key stops here, before a connection is open that would keep the process up.
  const box = createSecretBox(config.security);
  const log = logger ?? createLogger({ level: config.log.level });
  const redis = createRedis(config.redis);
  // Unheard, ioredis prints a stack trace per failed reconnection during an outage.
  queueErrorLog(log, config.log.repeatedErrorEverySeconds * 1000)(redis, 'redis');
  const registry = new Registry(redis, config, box);
  const governor = new QuotaGovernor(redis, config.quota, config.redis.keyPrefix, {
    userCount: async () => (await registry.users.states.counts()).active,
    now: () => clock.now(),
  });
  const queue = new SyncQueue(config, redis, governor, clock, log);
  let metrics: DaemonMetrics | undefined;
  return {
    config,
    logger: log,
    redis,
    registry,
    queue,
    governor,
    clock,
    // Made on first use: CLI commands never use it.
    get metrics() {
      metrics ??= new DaemonMetrics();
      return metrics;
    },
    async close() {
      await queue.close();
      redis.disconnect();
    },
  };
}
