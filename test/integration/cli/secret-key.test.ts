import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { cliEnv, deletePrefix, prefixKeys, redisUrl, testConfig } from '../daemon/helpers.js';
import { expectShortError, runCli, without } from './cli-run.js';

// Silent secret loss: a process without TALKCAL_SECRET_KEY used to seal with a throw-away key that
// no other process could open. Now every command that seals or opens secrets refuses to start.

describe('talkcal without TALKCAL_SECRET_KEY', () => {
  const config = testConfig();
  const dir = mkdtempSync(join(tmpdir(), 'talkcal-cli-key-'));
  const env = without(cliEnv(config), 'TALKCAL_SECRET_KEY');
  const noKey = /no secret key: set TALKCAL_SECRET_KEY .*`talkcal keys generate`/;
  afterAll(async () => {
    await deletePrefix(config.redis.keyPrefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses users add, links add, start and worker in one line and stores nothing', async () => {
    const tokens = join(dir, 'tokens.json');
    writeFileSync(tokens, JSON.stringify({ accessToken: 'A', refreshToken: 'R', expiresIn: 3600 }));
    const password = join(dir, 'password');
    writeFileSync(password, 'dav-secret\n');
    const commands = [
      ['users', 'add', '7001', '--tokens-file', tokens],
      [
        'links',
        'add',
        '7001',
        'work',
        '--caldav',
        'https://dav.example.org/cal/',
        '--password-file',
        password,
      ],
      ['start'],
      ['worker'],
    ];
    // One after the other: the CI machine is loaded, and each run has the 10 s bound to itself.
    const runs = [];
    for (const args of commands) runs.push(await runCli(env, args));
    for (const run of runs) expectShortError(run, 1, noKey);
    const redis = new Redis(redisUrl);
    try {
      expect(await prefixKeys(redis, config.redis.keyPrefix)).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });

  it('still generates a key without one (that is how a person gets one)', async () => {
    const run = await runCli(env, ['keys', 'generate', 'k1']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^k1:[A-Za-z0-9+/]{43}=$/);
  });
});
