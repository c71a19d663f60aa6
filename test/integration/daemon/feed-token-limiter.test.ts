import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDaemonContext, type DaemonContext } from '../../../src/daemon/context.js';
import { FailureLimiter, feedTokenFailuresKey } from '../../../src/http/failure-limiter.js';
import { buildHttpServer } from '../../../src/http/server.js';
import { deletePrefix, testConfig, untilWithin } from './helpers.js';

const until = untilWithin(30_000, 100);

// Wrong published-feed tokens are counted in Redis: two daemons (two HTTP servers on one Redis) share
// the count of an address, and the count's key goes away with its window.

describe('wrong feed tokens counted in Redis (two servers, real Redis)', () => {
  const config = testConfig({ http: { adminToken: 'x', feedTokenFailuresPerMinute: 4 } });
  const prefix = config.redis.keyPrefix;
  const contexts: DaemonContext[] = [];
  const apps: FastifyInstance[] = [];
  const guess = (app: FastifyInstance, remoteAddress: string) =>
    app.inject({ url: `/feeds/${'c'.repeat(40)}.ics`, remoteAddress });

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const ctx = createDaemonContext(config);
      contexts.push(ctx);
      apps.push(await buildHttpServer(ctx));
    }
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    for (const ctx of contexts) await ctx.close();
    await deletePrefix(prefix);
  });

  it('refuses an address past the bound whichever server its guesses reached', async () => {
    const [a, b] = apps as [FastifyInstance, FastifyInstance];
    // Two guesses on each server: four in all, the bound.
    for (const app of [a, b, a, b]) expect((await guess(app, '203.0.113.20')).statusCode).toBe(404);
    for (const app of [a, b]) {
      const refused = await guess(app, '203.0.113.20');
      expect(refused.statusCode).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    }
    expect((await guess(b, '198.51.100.20')).statusCode).toBe(404);
    // One key per address, under the prefix, never without an expiry of at most the window.
    const redis = contexts[0]?.redis;
    const key = feedTokenFailuresKey(prefix, '203.0.113.20');
    expect(await redis?.get(key)).toBe('4');
    const ttl = (await redis?.pttl(key)) ?? -1;
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('starts counting again once the window is over', async () => {
    const redis = contexts[0]?.redis;
    if (!redis) throw new Error('no context');
    const limiter = new FailureLimiter(redis, { keyPrefix: prefix, limit: 1, windowMs: 800 });
    await limiter.fail('192.0.2.30');
    await limiter.fail('192.0.2.30');
    expect(await limiter.blockedFor('192.0.2.30')).toBeGreaterThanOrEqual(1);
    // A later failure does not stretch the window (its expiry is set by the first one only).
    const ttl = await redis.pttl(feedTokenFailuresKey(prefix, '192.0.2.30'));
    await limiter.fail('192.0.2.30');
    expect(await redis.pttl(feedTokenFailuresKey(prefix, '192.0.2.30'))).toBeLessThanOrEqual(ttl);
    // The window ends when the key expires: the address may try again, and nothing is left.
    await until(async () => (await limiter.blockedFor('192.0.2.30')) === undefined, 'the window to end');
    expect(await redis.exists(feedTokenFailuresKey(prefix, '192.0.2.30'))).toBe(0);
  });
});
