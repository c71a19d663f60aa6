import { type ChildProcess, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, spawnRedisServer, stopChild } from '../../../src/daemon/private-redis.js';

// A throwaway three-master Redis Cluster on free loopback ports (no persistence, temp dirs).

export interface TestCluster {
  nodes: string[];
  stop(): Promise<void>;
}

export async function startRedisCluster(): Promise<TestCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'talkcal-cluster-'));
  const children: ChildProcess[] = [];
  const ports: number[] = [];
  for (let i = 0; i < 3; i++) {
    // Cluster bus port = port + 10000: keep both below 65536.
    let port = await freePort();
    while (port > 55_000) port = await freePort();
    ports.push(port);
    children.push(
      await spawnRedisServer(port, [
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        `nodes-${port}.conf`,
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'no',
      ]),
    );
  }
  const nodes = ports.map((p) => `127.0.0.1:${p}`);
  execFileSync('redis-cli', ['--cluster', 'create', ...nodes, '--cluster-replicas', '0', '--cluster-yes'], {
    stdio: 'ignore',
  });
  for (let i = 0; i < 100; i++) {
    const ok = ports.every((p) =>
      execFileSync('redis-cli', ['-p', String(p), 'cluster', 'info'])
        .toString()
        .includes('cluster_state:ok'),
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    nodes,
    async stop() {
      await Promise.all(children.map(stopChild));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
