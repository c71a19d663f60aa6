import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualQueueName, userJobId } from '../../../src/queue/jobs.js';
import { QuotaGovernor } from '../../../src/queue/quota-governor.js';
import { bullPrefix, createRedis } from '../../../src/registry/redis.js';
import { cliEnv, deletePrefix, redisUrl, testConfig, untilWithin } from '../daemon/helpers.js';
import { expectShortError, runCli } from './cli-run.js';

// Hangs: every command that cannot go on ends by itself (the runs are killed, and fail, at 10 s).

const until = untilWithin(20_000, 100);

describe('talkcal never hangs on a failure', () => {
  const config = testConfig();
  const dir = mkdtempSync(join(tmpdir(), 'talkcal-cli-hangs-'));
  const env = cliEnv(config);
  const redis = new Redis(redisUrl);
  let busy: Server;
  let busyPort = 0;
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    busyPort = (busy.address() as { port: number }).port;
    const tokens = join(dir, 'tokens.json');
    writeFileSync(tokens, JSON.stringify({ access_token: 'A', refresh_token: 'R', expires_in: 3600 }));
    expect((await runCli(env, ['users', 'add', '7201', '--tokens-file', tokens])).code).toBe(0);
    // Adding tokens queues a first sync (admission queue); these tests queue their own.
  });
  afterAll(async () => {
    await new Promise((resolve) => busy.close(resolve));
    redis.disconnect();
    await deletePrefix(config.redis.keyPrefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it('ends on a malformed TALKCAL_SECRET_KEY', async () => {
    for (const key of ['not-a-key', `k1:${Buffer.alloc(16).toString('base64')}`]) {
      const run = await runCli({ ...env, TALKCAL_SECRET_KEY: key }, ['users', 'show', '7201']);
      expectShortError(run, 1, /TALKCAL_SECRET_KEY/);
    }
  });

  it('ends when the worker metrics port is in use', async () => {
    const run = await runCli(
      { ...env, TALKCAL_HTTP__HOST: '127.0.0.1', TALKCAL_KAKAO__REST_API_KEY: 'app-key' },
      ['worker', '--metrics-port', String(busyPort)],
    );
    expectShortError(run, 1, /port is in use.*--metrics-port/);
  });

  it('start ends when http.metricsPort is in use, naming the setting', async () => {
    const run = await runCli(
      {
        ...env,
        TALKCAL_HTTP__HOST: '127.0.0.1',
        TALKCAL_HTTP__PORT: '0',
        TALKCAL_HTTP__METRICS_PORT: String(busyPort),
        TALKCAL_KAKAO__REST_API_KEY: 'app-key',
      },
      ['start'],
    );
    expectShortError(run, 1, /port is in use.*http\.metricsPort/);
  });

  it('sync --wait and --dry-run without a worker say so at once and queue nothing', async () => {
    for (const flag of ['--wait', '--dry-run']) {
      const run = await runCli(env, ['sync', '7201', flag]);
      expectShortError(run, 1, /no worker is running.*talkcal start.*talkcal worker.*drop --wait/);
    }
    const queued = await redis.keys(`${bullPrefix(config.redis)}:${manualQueueName}:*7201*`);
    expect(queued).toEqual([]);
  });

  it('sync --wait ends when the last worker stops during the wait', async () => {
    const connection = createRedis(config.redis, { blocking: true });
    // A worker that takes the job and never finishes it, then goes away.
    const stuck = new Worker(manualQueueName, () => new Promise(() => {}), {
      connection,
      prefix: bullPrefix(config.redis),
    });
    await stuck.waitUntilReady();
    const running = runCli(env, ['sync', '7201', '--wait']);
    const { Queue } = await import('bullmq');
    const queue = new Queue(manualQueueName, { connection: redis, prefix: bullPrefix(config.redis) });
    try {
      await until(
        async () => (await queue.getJob(userJobId('7201')))?.isActive() ?? false,
        'the job to start',
      );
      await stuck.close(true);
      const run = await running;
      expectShortError(run, 1, /the last worker stopped while this sync waited/);
    } finally {
      await stuck.close(true);
      await queue.obliterate({ force: true });
      await queue.close();
      connection.disconnect();
    }
  });

  it('sync --wait after Kakao said the quota is spent prints the deferral in one line', async () => {
    const connection = createRedis(config.redis, { blocking: true });
    const idle = new Worker(manualQueueName, null, {
      connection,
      prefix: bullPrefix(config.redis),
      autorun: false,
    });
    await idle.waitUntilReady();
    const governor = new QuotaGovernor(redis, config.quota, config.redis.keyPrefix);
    await governor.noteExhausted();
    try {
      for (const args of [
        ['sync', '7201', '--wait'],
        ['sync', '7201'],
      ]) {
        const run = await runCli(env, args);
        expectShortError(
          run,
          1,
          /^talkcal: deferred until 00:00 KST \(.*\): the app's daily Kakao quota is used up/,
        );
      }
    } finally {
      await governor.clear();
      await idle.close(true);
      connection.disconnect();
    }
  });
});
