import type { ChildProcess } from 'node:child_process';
import { describe, expect, it, vi } from 'vitest';
import { createDaemonContext } from '../../../src/daemon/context.js';
import {
  freePort,
  redisServerInstalled,
  spawnRedisServer,
  stopChild,
} from '../../../src/daemon/private-redis.js';
import { createLogger } from '../../../src/log.js';
import { SyncWorker } from '../../../src/queue/sync-worker.js';
import { missing } from '../../support/prerequisite.js';
import { testConfig, untilWithin } from './helpers.js';

// A Redis that goes away under the queue, its events and the workers: the process stays up and logs
// one line per source and message, not a stack trace per reconnection attempt.

const until = untilWithin(60_000, 100);
const redisArgs = ['--save', '', '--appendonly', 'no'];

describe.skipIf(missing(redisServerInstalled()))(
  'queue objects when Redis stops (private redis-server)',
  () => {
    it('logs one line per source and message and does not crash', async () => {
      const port = await freePort();
      let server: ChildProcess = await spawnRedisServer(port, redisArgs);
      const config = testConfig({
        redis: { url: `redis://127.0.0.1:${port}`, keyPrefix: `t-outage-${port}` },
        log: { level: 'error', repeatedErrorEverySeconds: 600 },
      });
      const lines: string[] = [];
      const logger = createLogger({ level: 'error' }, { write: (line: string) => lines.push(line) });
      const printed = vi.spyOn(console, 'error');
      const ctx = createDaemonContext(config, logger);
      const worker = new SyncWorker({ ...ctx, runner: async () => ({ links: [] }) });
      try {
        await worker.waitUntilReady();
        await ctx.queue.listen();
        let reconnects = 0;
        ctx.redis.on('reconnecting', () => {
          reconnects += 1;
        });
        await stopChild(server);
        // Several reconnection attempts of every connection, and their errors heard.
        await until(() => reconnects >= 4, 'Redis to be tried again several times');
        const logged = lines.map(
          (line) => JSON.parse(line) as { msg: string; source?: string; err?: unknown },
        );
        const sources = new Set(logged.map((l) => l.source));
        expect(sources).toContain('sync worker');
        expect(sources).toContain('sync-manual queue events');
        for (const entry of logged) {
          expect(entry.msg).not.toContain('\n');
          expect(entry.err).toBeUndefined();
        }
        expect(sources).toContain('redis');
        // Nothing heard by no one: ioredis prints an unheard error with its stack to the console.
        expect(printed.mock.calls.flat().join('\n')).not.toContain('Unhandled error event');
        const messages = logged.map((l) => l.msg);
        expect(new Set(messages).size).toBe(messages.length);
      } finally {
        // Redis back, so that everything closes as it would.
        if (server.exitCode !== null || server.signalCode !== null)
          server = await spawnRedisServer(port, redisArgs);
        await worker.close(1000);
        await ctx.close();
        await stopChild(server);
        printed.mockRestore();
      }
    });
  },
);
