import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/log.js';
import { queueErrorLog } from '../../../src/queue/error-log.js';

describe('queueErrorLog', () => {
  it('logs one line per distinct message and source per interval, then the count held back', () => {
    const lines: { msg: string; source: string; repeats: number; err?: unknown }[] = [];
    const logger = createLogger(
      { level: 'error' },
      { write: (line: string) => lines.push(JSON.parse(line)) },
    );
    let now = 0;
    const watch = queueErrorLog(logger, 60_000, () => now);
    const queue = new EventEmitter();
    const worker = new EventEmitter();
    watch(queue, 'sync queue');
    watch(worker, 'sync worker');
    const refused = new Error('connect ECONNREFUSED 127.0.0.1:6390\n    at TCPConnectWrap.afterConnect');
    for (let i = 0; i < 50; i++) {
      now += 1_000;
      queue.emit('error', refused);
      worker.emit('error', refused);
    }
    expect(lines.map((l) => [l.source, l.msg])).toEqual([
      ['sync queue', 'sync queue: connect ECONNREFUSED 127.0.0.1:6390'],
      ['sync worker', 'sync worker: connect ECONNREFUSED 127.0.0.1:6390'],
    ]);
    expect(lines.every((l) => l.err === undefined)).toBe(true);
    now += 11_000;
    queue.emit('error', refused);
    expect(lines.at(-1)).toMatchObject({ source: 'sync queue', repeats: 49 });
    expect(lines.at(-1)?.msg).toBe('sync queue: connect ECONNREFUSED 127.0.0.1:6390 (49 more)');
    queue.emit('error', new Error('Connection is closed.'));
    expect(lines.at(-1)?.msg).toBe('sync queue: Connection is closed.');
  });
});
