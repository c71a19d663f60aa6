import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, spawnRedisServer } from '../../src/daemon/private-redis.js';
import { stopChild, track } from './children.js';

// The run's own redis-server: loopback, its own port, append-only file in a temp directory (as
// docker-compose.yml runs Redis), so it can be SIGKILLed and restarted on the same port and data.

export interface AofRedis {
  url: string;
  port: number;
  dir: string;
  /** SIGKILL, no shutdown save: what survives is what the append-only file already holds. */
  kill9(): Promise<void>;
  /** Starts it again on the same port and directory; resolves once it accepts connections. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startAofRedis(): Promise<AofRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'talkcal-chaos-redis-'));
  // Also on Ctrl-C (the child is killed by then: children.ts handles 'exit' first, registered first).
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', removeDir);
  const args = ['--dir', dir, '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', ''];
  const spawnIt = async () => track(await spawnRedisServer(port, args));
  let child: ChildProcess = await spawnIt();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    kill9: () => stopChild(child, 'SIGKILL'),
    async restart() {
      child = await spawnIt();
    },
    async stop() {
      await stopChild(child, 'SIGTERM');
      removeDir();
      process.off('exit', removeDir);
    },
  };
}
