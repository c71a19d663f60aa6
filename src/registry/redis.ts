import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { Config } from '../config/schema.js';

// One factory for every Redis connection: a single URL, a Sentinel set or Cluster seed nodes.

export type RedisConnection = Redis | Cluster;

export interface RedisFactoryOptions {
  /** BullMQ workers and blocking connections need `maxRetriesPerRequest: null`. */
  blocking?: boolean;
  /** Fail fast instead of queueing commands while disconnected (health probes, the demo's probe). */
  lazyConnect?: boolean;
}

export function createRedis(redis: Config['redis'], options: RedisFactoryOptions = {}): RedisConnection {
  const common: RedisOptions = {
    maxRetriesPerRequest: options.blocking ? null : 3,
    enableReadyCheck: true,
    lazyConnect: options.lazyConnect ?? false,
  };
  if (redis.clusterNodes.length > 0) {
    const nodes = redis.clusterNodes.map((node) => {
      const [host, port] = node.split(':');
      return { host: host ?? '127.0.0.1', port: Number(port) };
    });
    return new Cluster(nodes, { redisOptions: common, lazyConnect: common.lazyConnect ?? false });
  }
  if (redis.sentinels.length > 0) {
    return new Redis({ ...common, sentinels: redis.sentinels, name: redis.sentinelName });
  }
  return new Redis(redis.url, common);
}

/** BullMQ's prefix: hash-tagged so that each queue's keys share one Cluster slot. */
export function bullPrefix(redis: Config['redis']): string {
  return `{${redis.keyPrefix}}`;
}
