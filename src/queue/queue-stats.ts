import type { RedisConnection } from '../registry/redis.js';

// Read-only figures of a BullMQ queue — job counts, the oldest ready job's wait, live workers —
// read straight from BullMQ's keys. `talkcal status` needs nothing else of BullMQ, whose import
// alone costs about as much as two bare Node starts. The key layout and client names are BullMQ's
// (queue-stats.test.ts checks every figure against BullMQ's own getters).

export type QueueCounts = Record<
  'waiting' | 'active' | 'delayed' | 'prioritized' | 'failed' | 'completed',
  number
>;

export class QueueStats {
  /** `bullPrefix` is the queue's BullMQ prefix (`bullPrefix(config.redis)`). */
  constructor(
    private readonly redis: RedisConnection,
    private readonly bullPrefix: string,
    private readonly queueName: string,
  ) {}

  private key(part: string): string {
    return `${this.bullPrefix}:${this.queueName}:${part}`;
  }

  async counts(): Promise<QueueCounts> {
    const r = this.redis;
    const [waiting, active, delayed, prioritized, failed, completed] = await Promise.all([
      r.llen(this.key('wait')),
      r.llen(this.key('active')),
      r.zcard(this.key('delayed')),
      r.zcard(this.key('prioritized')),
      r.zcard(this.key('failed')),
      r.zcard(this.key('completed')),
    ]);
    return { waiting, active, delayed, prioritized, failed, completed };
  }

  /** Seconds the oldest job ready to run (prioritized or waiting) has been waiting. */
  async lagSeconds(now = Date.now()): Promise<number> {
    const [prioritized, waiting] = await Promise.all([
      this.redis.zrange(this.key('prioritized'), '0', '0'),
      // BullMQ pushes new jobs on the left: the oldest waiting job is the list's last.
      this.redis.lrange(this.key('wait'), -1, -1),
    ]);
    const readyAt = await Promise.all(
      [...prioritized, ...waiting].map(async (id) => {
        const [timestamp, delay] = await this.redis.hmget(this.key(id), 'timestamp', 'delay');
        return timestamp ? Number(timestamp) + Number(delay ?? 0) : now;
      }),
    );
    return Math.max(0, (now - Math.min(now, ...readyAt)) / 1000);
  }

  /** Live workers of the queue: Redis clients named as BullMQ names a worker's connection. */
  async workerCount(): Promise<number> {
    const name = `${this.bullPrefix}:${Buffer.from(this.queueName).toString('base64')}`;
    const isWorker = (client: string) => client === name || client.startsWith(`${name}:w:`);
    const lists = await this.clientLists();
    return Math.max(0, ...lists.map((list) => clientNames(list).filter(isWorker).length));
  }

  /** CLIENT LIST of the server, or of each master of a cluster (workers sit on one node). */
  private async clientLists(): Promise<string[]> {
    const r = this.redis;
    if ('nodes' in r && typeof r.nodes === 'function') {
      return Promise.all(r.nodes('master').map(async (node) => String(await node.client('LIST'))));
    }
    return [String(await r.client('LIST'))];
  }
}

function clientNames(list: string): string[] {
  return list
    .split(/\r?\n/)
    .map((line) => /(?:^| )name=(\S*)/.exec(line)?.[1] ?? '')
    .filter((name) => name !== '');
}
