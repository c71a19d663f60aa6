import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Config } from '../../../src/config/schema.js';
import { redisUrl } from './helpers.js';

// `talkcal worker` as a real child process (for SIGTERM, scale-out and cluster tests).

const root = fileURLToPath(new URL('../../../', import.meta.url));

export interface WorkerProcess extends TsxProcess {
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface TsxProcess {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr. */
  output: () => string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/** `node --import tsx <args>` from the repository root with only PATH, HOME, TZ=UTC and `env`. */
export function spawnTsx(args: string[], env: Record<string, string> = {}): TsxProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: root,
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

export async function startWorkerProcess(
  env: Record<string, string>,
  args: string[] = [],
): Promise<WorkerProcess> {
  const { child, output, exited } = spawnTsx(['src/cli/main.ts', 'worker', ...args], {
    LOG_LEVEL: 'warn',
    ...env,
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`worker did not start within 30 s:\n${output()}`)),
      30_000,
    );
    const check = () => {
      if (output().includes('worker ready')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stderr?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code} before it was ready:\n${output()}`));
    });
  });
  return {
    child,
    output,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** The environment that gives a worker process the same configuration as a test's `config`. */
export function workerEnv(
  config: Config,
  kakaoUrl: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    REDIS_URL: redisUrl,
    TALKCAL_REDIS__KEY_PREFIX: config.redis.keyPrefix,
    TALKCAL_SECRET_KEY: config.security.secretKeys,
    TALKCAL_KAKAO__API_BASE_URL: kakaoUrl,
    TALKCAL_KAKAO__AUTH_BASE_URL: kakaoUrl,
    TALKCAL_KAKAO__REST_API_KEY: 'emulator-rest-api-key',
    TALKCAL_SOURCES__ALLOW_HOSTS: '["127.0.0.1"]',
    ...extra,
  };
}
