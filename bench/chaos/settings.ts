import { randomBytes } from 'node:crypto';
import { deepMerge, loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';

// The daemon configuration of a chaos run: the defaults (config/default.yaml) with the few keys an
// operator of this test bed would set, given once as overrides and handed to the worker processes
// as TALKCAL_* environment variables (exactly what an operator's environment would hold).

type Tree = Record<string, unknown>;

export interface Endpoints {
  redisUrl: string;
  emulatorUrl: string;
}

/** BullMQ lock of a worker's job: a killed worker's job is taken over this long after its last renewal. */
export const lockDurationMs = 2000;

export function daemonOverrides(endpoints: Endpoints, quick: boolean): Tree {
  return {
    log: { level: 'warn' },
    redis: { url: endpoints.redisUrl },
    security: { secretKeys: `chaos:${randomBytes(32).toString('base64')}`, activeKeyId: '' },
    kakao: {
      apiBaseUrl: endpoints.emulatorUrl,
      authBaseUrl: endpoints.emulatorUrl,
      restApiKey: 'emulator-rest-api-key',
    },
    // Kakao's per-second pacing is not under test: the default 20/s would make each 300-event first
    // sync take 15 s and the run last an hour.
    quota: { perSecond: 1000 },
    // A killed worker's sync lock expires after 2 s (with `--lock-duration 2000`), not 30 s.
    sync: { lockTtlMs: lockDurationMs, jitterSeconds: 0 },
    // The scenarios trigger their syncs (the manual queue): as many slots for them as for polls.
    worker: { shutdownGraceMs: 2000, manualConcurrency: 5 },
    // Feeds and the CalDAV server run on loopback, which the SSRF guard refuses unless allowed.
    sources: { allowHosts: ['127.0.0.1'], ics: { timeoutMs: 10_000 }, caldav: { timeoutMs: 10_000 } },
    // The quick run gives a hostile translation 5 s instead of 20 s (the defaults are kept otherwise).
    ...(quick ? { limits: { translateTimeoutMs: 5000 } } : {}),
  };
}

/** The configuration of one scenario (its own Redis key prefix), as the harness's own context uses it. */
export function configFor(overrides: Tree, prefix: string): Config {
  return loadConfig({
    env: {},
    overrides: deepMerge(overrides, { log: { level: 'silent' }, redis: { keyPrefix: prefix } }),
  });
}

const snake = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

/** The same configuration as the environment of a `talkcal worker` process. */
export function workerEnvFor(overrides: Tree, prefix: string): Record<string, string> {
  const env: Record<string, string> = { TALKCAL_REDIS__KEY_PREFIX: prefix };
  const walk = (tree: Tree, path: string[]) => {
    for (const [key, value] of Object.entries(tree)) {
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        walk(value as Tree, [...path, key]);
        continue;
      }
      env[`TALKCAL_${[...path, key].map(snake).join('__')}`] =
        typeof value === 'string' ? value : JSON.stringify(value);
    }
  };
  const { redis, security, ...rest } = overrides as { redis: { url: string }; security: Tree };
  walk(rest, []);
  // Shortcuts that are never read as JSON (secrets and URLs).
  env['REDIS_URL'] = redis.url;
  env['TALKCAL_SECRET_KEY'] = String(security['secretKeys']);
  env['LOG_LEVEL'] = 'warn';
  delete env['TALKCAL_LOG__LEVEL'];
  return env;
}
