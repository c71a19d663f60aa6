import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliEnv, deletePrefix, testConfig } from '../daemon/helpers.js';
import { runCli } from './cli-run.js';

// Start-up: a command loads only what it uses. Timings are for bench/cli.ts; this checks the cause
// of a slow start (every command's dependencies imported for every command), without a clock.

/** The packages of node_modules a run of `talkcal <args>` loaded. */
async function packagesLoaded(
  env: Record<string, string>,
  args: string[],
  dir: string,
  entry?: string,
): Promise<Set<string>> {
  const file = join(dir, `${args.join('-')}-${randomUUID().slice(0, 8)}.txt`);
  const run = await runCli({ ...env, RECORD_IMPORTS_TO: file }, args, {
    nodeArgs: ['--import', './test/support/record-imports.mjs'],
    ...(entry ? { entry } : {}),
  });
  expect(run.code, run.stderr).toBe(0);
  const names = readFileSync(file, 'utf8')
    .split('\n')
    .map((url) => /.*\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1])
    .filter((name): name is string => name !== undefined);
  return new Set(names);
}

const daemonOnly = ['fastify', '@bull-board/api', 'undici', 'piscina', 'tsdav', 'ical-generator', 'rrule'];
const forData = ['bullmq', 'ioredis', 'zod', 'yaml', 'pino', 'prom-client', 'luxon', 'cli-progress'];

describe('talkcal start-up', () => {
  const config = testConfig();
  const dir = mkdtempSync(join(tmpdir(), 'talkcal-cli-startup-'));
  const env = cliEnv(config);
  afterAll(async () => {
    await deletePrefix(config.redis.keyPrefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it('--help and keys generate load commander and nothing heavy', async () => {
    for (const args of [['--help'], ['users', '--help'], ['keys', 'generate']]) {
      const loaded = await packagesLoaded(env, args, dir);
      expect(loaded.has('commander')).toBe(true);
      for (const name of [...daemonOnly, ...forData])
        expect(loaded.has(name), `${args.join(' ')} loads ${name}`).toBe(false);
    }
  });

  it('status loads Redis and config packages, not BullMQ, the logger or the daemon’s', async () => {
    const loaded = await packagesLoaded(env, ['status'], dir);
    for (const name of ['ioredis', 'zod', 'yaml']) expect(loaded.has(name), name).toBe(true);
    for (const name of [...daemonOnly, 'bullmq', 'pino', 'prom-client', 'cli-progress'])
      expect(loaded.has(name), name).toBe(false);
  });

  it('with the compile cache (bin/talkcal.js), the defaults are parsed once, then read as JSON', async () => {
    const cached = { ...env, NODE_COMPILE_CACHE: join(dir, 'compile-cache') };
    expect((await packagesLoaded(cached, ['status'], dir, 'bin/talkcal.js')).has('yaml')).toBe(true);
    expect((await packagesLoaded(cached, ['status'], dir, 'bin/talkcal.js')).has('yaml')).toBe(false);
  });
});
