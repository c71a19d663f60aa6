import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

// `talkcal` as a subprocess that may fail or hang: the run resolves whatever the exit code, and a
// run past its time limit is killed and reported as a hang.

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Killed at the time limit: the process would have kept running. */
  hung: boolean;
}

export interface CliRunOptions {
  /**
   * Kill the process after this long. A hang is what this catches: an error path that ends by itself
   * takes a second or two, but a CLI start on a loaded CI machine can take ten, so the bound is 30 s.
   */
  limitMs?: number;
  /** Extra node flags before the entry point (e.g. `--import` of a test hook). */
  nodeArgs?: string[];
  /** The entry point, relative to the repository root. */
  entry?: string;
  /** The node binary (default: the one running the tests). */
  node?: string;
}

export function runCli(
  env: Record<string, string>,
  args: string[],
  options: CliRunOptions = {},
): Promise<CliRun> {
  const { limitMs = 30_000, nodeArgs = [], entry = 'src/cli/main.ts', node = process.execPath } = options;
  const entryArgs = entry.endsWith('.ts') ? ['--import', 'tsx', entry] : [entry];
  return new Promise((resolve, reject) => {
    const child = spawn(node, [...nodeArgs, ...entryArgs, ...args], { cwd: repoRoot, env });
    let stdout = '';
    let stderr = '';
    let hung = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, limitMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, hung });
    });
  });
}

/** The non-empty lines of a run's stderr. */
export function stderrLines(run: CliRun): string[] {
  return run.stderr.split('\n').filter((line) => line.trim() !== '');
}

/** The run ended by itself with `code` and at most three lines on stderr matching `pattern`. */
export function expectShortError(run: CliRun, code: number, pattern: RegExp): void {
  expect(run.hung, `still running after the time limit; stderr: ${run.stderr}`).toBe(false);
  expect(run.code, run.stderr).toBe(code);
  expect(stderrLines(run).length, run.stderr).toBeGreaterThan(0);
  expect(stderrLines(run).length, run.stderr).toBeLessThanOrEqual(3);
  expect(run.stderr).toMatch(pattern);
}

/** The environment of `cliEnv` without the named variables. */
export function without(env: Record<string, string>, ...names: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !names.includes(name)));
}
