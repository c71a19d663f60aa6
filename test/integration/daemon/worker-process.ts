import type { Config } from '../../../src/config/schema.js';
import { spawnTsx, type TsxProcess, waitForLine } from '../../support/tsx-process.js';
import { redisUrl } from './helpers.js';

// `talkcal worker` as a real child process (for SIGTERM, scale-out and cluster tests).

export interface WorkerProcess extends TsxProcess {
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startWorkerProcess(
  env: Record<string, string>,
  args: string[] = [],
): Promise<WorkerProcess> {
  const { child, output, exited } = spawnTsx(['src/cli/main.ts', 'worker', ...args], {
    LOG_LEVEL: 'warn',
    ...env,
  });
  await waitForLine({ child, output, exited }, 'worker ready', 30_000);
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
