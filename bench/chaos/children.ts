import type { ChildProcess } from 'node:child_process';

// Every process the harness starts is registered here and killed when the harness ends — normally,
// on an error, or on Ctrl-C / SIGTERM — so a chaos run never leaves a worker or a redis-server behind.

const live = new Set<ChildProcess>();

/** Registers a child; it is forgotten once it exits. */
export function track(child: ChildProcess): ChildProcess {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** SIGKILL to every live child (synchronous: safe in an 'exit' handler). */
export function killAll(): number {
  let killed = 0;
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null && child.kill('SIGKILL')) killed++;
  }
  live.clear();
  return killed;
}

export function liveChildren(): number {
  return live.size;
}

/** Kills the children on process exit and turns SIGINT/SIGTERM into a clean, non-zero exit. */
export function killChildrenOnExit(): void {
  process.once('exit', () => {
    killAll();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      const n = killAll();
      console.error(`\nchaos: ${signal}: killed ${n} child process(es); no results written`);
      process.exit(130);
    });
  }
}

/** Sends `signal` and resolves once the child exited (SIGKILL after `graceMs` if it lingers). */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
