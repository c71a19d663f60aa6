import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// A TypeScript entry point of this repository as a real child process (`node --import tsx`), for
// the tests that run the daemon or the emulator as processes and for the chaos harness.

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface TsxProcess {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr. */
  output: () => string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/** `node --import tsx <args>` from the repository root with only PATH, HOME, TZ=UTC and `env`. */
export function spawnTsx(args: string[], env: Record<string, string> = {}): TsxProcess {
  return spawnNode(['--import', 'tsx', ...args], env, root);
}

/** `node <args>` in `cwd` with only PATH, HOME, TZ=UTC and `env` (a built copy's bin/talkcal.js). */
export function spawnNode(args: string[], env: Record<string, string>, cwd: string): TsxProcess {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', TZ: 'UTC', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** Resolves once the process printed `line`; rejects if it exits first or after `ms`. */
export function waitForLine(proc: TsxProcess, line: string, ms: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = (error?: Error) => {
      clearTimeout(timer);
      proc.child.stdout?.off('data', check);
      proc.child.stderr?.off('data', check);
      proc.child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    };
    const check = () => {
      if (proc.output().includes(line)) done();
    };
    const onExit = (code: number | null) =>
      done(new Error(`the process exited with ${code} before it printed "${line}":\n${proc.output()}`));
    const timer = setTimeout(
      () => done(new Error(`"${line}" not printed within ${ms} ms:\n${proc.output()}`)),
      ms,
    );
    proc.child.stdout?.on('data', check);
    proc.child.stderr?.on('data', check);
    proc.child.once('exit', onExit);
    check();
  });
}
