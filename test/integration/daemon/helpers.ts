import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { loadConfig } from '../../../src/config/load.js';
import type { Config } from '../../../src/config/schema.js';
import type { DaemonContext } from '../../../src/daemon/context.js';
import { addUser } from '../../../src/daemon/user-service.js';
import type { RunningEmulator } from '../../../src/emulator/server.js';
import type { LinkInput } from '../../../src/model/link.js';

export const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

export function newKeySpec(kid: string): string {
  return `${kid}:${randomBytes(32).toString('base64')}`;
}

/** A configuration with a unique key prefix, so tests never touch each other's keys. */
export function testConfig(overrides: Record<string, unknown> = {}): Config {
  const prefix = `t-${randomUUID().slice(0, 13)}`;
  return loadConfig({
    env: {},
    overrides: {
      log: { level: 'silent' },
      redis: { url: redisUrl, keyPrefix: prefix },
      security: { secretKeys: newKeySpec('k1'), activeKeyId: '' },
      http: { host: '127.0.0.1', port: 0, adminToken: 'admin-secret-token' },
      ...overrides,
    },
  });
}

/** Every key of a test prefix (registry keys and the hash-tagged BullMQ and quota keys). */
export async function prefixKeys(redis: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  for (const pattern of [`${prefix}:*`, `{${prefix}}*`, `{${prefix}:*`]) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      found.push(...keys);
    } while (cursor !== '0');
  }
  return found;
}

export async function deletePrefix(prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    const keys = await prefixKeys(redis, prefix);
    for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
  } finally {
    redis.disconnect();
  }
}

export type Until = (check: () => Promise<boolean> | boolean, what: string, ms?: number) => Promise<void>;

/** A poller that resolves once `check` holds, checking every `stepMs`; it throws after `ms` (default `defaultMs`). */
export function untilWithin(defaultMs: number, stepMs: number): Until {
  return async (check, what, ms = defaultMs) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, stepMs));
    }
    throw new Error(`timed out waiting for ${what}`);
  };
}

/**
 * A new emulator user with one ICS link, registered and given its tokens (which schedules the user
 * and queues its first sync). `beforeTokens` runs right after the emulator made the user.
 */
export async function connectFeedUser(
  ctx: DaemonContext,
  emulator: RunningEmulator,
  link: { id: string; url: string; target?: LinkInput['target'] },
  beforeTokens?: (userId: string) => void,
): Promise<string> {
  const k = emulator.admin.createUser();
  beforeTokens?.(k.userId);
  await ctx.registry.users.upsert({ id: k.userId, timeZone: 'Asia/Seoul' });
  await ctx.registry.links.put(k.userId, {
    id: link.id,
    source: { type: 'ics', url: link.url },
    target: link.target ?? { kind: 'primary' },
  });
  await addUser(ctx, {
    id: k.userId,
    tokens: { accessToken: k.accessToken, refreshToken: k.refreshToken, expiresIn: k.expiresIn },
  });
  return k.userId;
}

/** The environment of a `talkcal` child process on a test config's Redis prefix (logs silenced). */
export function cliEnv(config: Config, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? '',
    TZ: 'UTC',
    LOG_LEVEL: 'silent',
    REDIS_URL: redisUrl,
    TALKCAL_REDIS__KEY_PREFIX: config.redis.keyPrefix,
    TALKCAL_SECRET_KEY: config.security.secretKeys,
    ...extra,
  };
}

const execFileAsync = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs `talkcal <args>` (the CLI from source) from the repository root; rejects on a non-zero exit. */
export function runTalkcal(
  env: Record<string, string>,
  args: string[],
): Promise<{ stdout: string; stderr: string }> {
  return execFileAsync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: repoRoot,
    env,
  });
}

/** The admin bearer header of testConfig's HTTP API. */
export const adminHeaders = { authorization: 'Bearer admin-secret-token' };

/** An admin request to the HTTP API (fastify's inject, no socket). */
export function adminInject(
  app: FastifyInstance,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  payload?: object,
) {
  return app.inject({ method, url, headers: adminHeaders, ...(payload === undefined ? {} : { payload }) });
}
