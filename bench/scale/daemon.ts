import type { TsxProcess } from '../../test/support/tsx-process.js';
import { spawnNode, spawnTsx } from '../../test/support/tsx-process.js';
import { track } from '../chaos/children.js';

// `talkcal start` as a process on a free port, and how long it took until /readyz answered 200:
// compiled, as the container runs it (a built copy, bench/built-copy.ts), or from the sources (tsx).

export interface StartedDaemon {
  proc: TsxProcess;
  pid: number;
  base: string;
  readyMs: number;
}

/**
 * Spawns `talkcal start` with `env` (node flags first) and waits up to 120 s for /readyz: the build
 * in `builtDir` (bin/talkcal.js there), or the sources through tsx when it is undefined.
 */
export async function startDaemon(
  env: Record<string, string>,
  nodeFlags: string[],
  builtDir: string | undefined,
): Promise<StartedDaemon> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const started = Date.now();
  const daemonEnv = { ...env, TALKCAL_HTTP__PORT: String(port) };
  const proc = builtDir
    ? spawnNode([...nodeFlags, 'bin/talkcal.js', 'start'], daemonEnv, builtDir)
    : spawnTsx([...nodeFlags, 'src/cli/main.ts', 'start'], daemonEnv);
  track(proc.child);
  const base = `http://127.0.0.1:${port}`;
  while (Date.now() - started < 120_000 && proc.child.exitCode === null) {
    const ok = await fetch(`${base}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return { proc, pid: proc.child.pid ?? 0, base, readyMs: Date.now() - started };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`talkcal start was not ready within 120 s: ${proc.output()}`);
}

/** The main thread's heap in use and allocated, in MiB, as the daemon's /metrics reports it. */
export async function mainHeapMb(base: string): Promise<{ usedMb: number; totalMb: number }> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const mib = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? 0) / 1024 ** 2;
  return { usedMb: mib('nodejs_heap_size_used_bytes'), totalMb: mib('nodejs_heap_size_total_bytes') };
}

/** The main thread's event-loop delay since the previous scrape (prom-client resets it each time), ms. */
export async function eventLoopDelayMs(base: string): Promise<{ p50: number; p99: number; max: number }> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const ms = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? 0) * 1000;
  return {
    p50: ms('nodejs_eventloop_lag_p50_seconds'),
    p99: ms('nodejs_eventloop_lag_p99_seconds'),
    max: ms('nodejs_eventloop_lag_max_seconds'),
  };
}
