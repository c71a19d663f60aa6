import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { Config } from '../config/schema.js';
import { safeUrl } from '../safe-url.js';
import { RedisUnavailableError } from './errors.js';

// One factory for every Redis connection: a single URL, a Sentinel set or Cluster seed nodes.

export type RedisConnection = Redis | Cluster;

export interface RedisFactoryOptions {
  /** BullMQ workers and blocking connections need `maxRetriesPerRequest: null`. */
  blocking?: boolean;
  /** Fail fast instead of queueing commands while disconnected (health probes, the demo's probe). */
  lazyConnect?: boolean;
  /** One connection attempt, no reconnects, no queued commands (the start-up probe). */
  once?: boolean;
}

export function createRedis(redis: Config['redis'], options: RedisFactoryOptions = {}): RedisConnection {
  const once = options.once ?? false;
  const common: RedisOptions = {
    maxRetriesPerRequest: options.blocking ? null : once ? 0 : 3,
    enableReadyCheck: true,
    lazyConnect: options.lazyConnect ?? once,
    connectTimeout: redis.connectTimeoutMs,
    ...(once ? { retryStrategy: () => null, sentinelRetryStrategy: () => null } : {}),
  };
  if (redis.clusterNodes.length > 0) {
    const nodes = redis.clusterNodes.map((node) => {
      const [host, port] = node.split(':');
      return { host: host ?? '127.0.0.1', port: Number(port) };
    });
    return new Cluster(nodes, {
      redisOptions: common,
      lazyConnect: common.lazyConnect ?? false,
      ...(once ? { clusterRetryStrategy: () => null } : {}),
    });
  }
  if (redis.sentinels.length > 0) {
    return new Redis({ ...common, sentinels: redis.sentinels, name: redis.sentinelName });
  }
  return new Redis(redis.url, common);
}

/** Where the configuration points, for messages (credentials stripped). */
export function describeRedis(redis: Config['redis']): string {
  if (redis.clusterNodes.length > 0) return `the Redis Cluster at ${redis.clusterNodes.join(', ')}`;
  if (redis.sentinels.length > 0)
    return `Redis master "${redis.sentinelName}" via the Sentinels at ${redis.sentinels.map((s) => `${s.host}:${s.port}`).join(', ')}`;
  return safeUrl(redis.url);
}

/**
 * Connects once and sends PING; Redis that refuses, times out (redis.connectTimeoutMs) or answers
 * with an error is a RedisUnavailableError. Run before opening the long-lived connections, which
 * would otherwise retry for ever and print every attempt.
 */
export async function probeRedis(redis: Config['redis']): Promise<void> {
  const connection = createRedis(redis, { once: true });
  let failure: Error | undefined;
  // Without a listener ioredis prints each failed attempt with its stack.
  connection.on('error', (error: Error) => {
    failure ??= error;
  });
  try {
    await connection.connect();
    await connection.ping();
  } catch (error) {
    const cause = failure ?? (error as Error);
    throw new RedisUnavailableError(describeRedis(redis), reasonOf(cause), { cause });
  } finally {
    connection.disconnect();
  }
}

function reasonOf(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host name does not resolve';
  if (code === 'ETIMEDOUT' || /timeout/i.test(error.message)) return 'no answer in time';
  return error.message.split('\n')[0] ?? 'error';
}

/** BullMQ's prefix: hash-tagged so that each queue's keys share one Cluster slot. */
export function bullPrefix(redis: Config['redis']): string {
  return `{${redis.keyPrefix}}`;
}
