import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDaemonContext, type DaemonContext } from '../../../src/daemon/context.js';
import { runDaemon } from '../../../src/daemon/run.js';
import { removeUser } from '../../../src/daemon/user-service.js';
import { buildHttpServer } from '../../../src/http/server.js';
import { SyncWorker } from '../../../src/queue/sync-worker.js';
import { adminInject, deletePrefix, testConfig } from './helpers.js';

// /metrics: a per-link last-success time, an optional bearer token, an optional port of its own;
// wrong published-feed tokens limited per client address.

const gaugeLines = (body: string) =>
  body.split('\n').filter((l) => l.startsWith('talkcal_link_last_success_timestamp_seconds{'));

describe('metrics and feed-token limits over HTTP (real Redis)', () => {
  const config = testConfig({
    http: {
      host: '127.0.0.1',
      port: 0,
      adminToken: 'admin-secret-token',
      metricsToken: 'scrape-secret',
      metricsRefreshSeconds: 0.2,
      feedTokenFailuresPerMinute: 3,
    },
  });
  let ctx: DaemonContext;
  let app: FastifyInstance;
  let worker: SyncWorker;
  const scrape = { authorization: 'Bearer scrape-secret' };
  const scrapeLines = async () => gaugeLines((await app.inject({ url: '/metrics', headers: scrape })).body);
  /** The gauge lines once `done` holds for them (they are re-read every 0.2 s), or the last seen. */
  async function linesUntil(done: (lines: string[]) => boolean): Promise<string[]> {
    let lines = await scrapeLines();
    for (let i = 0; i < 100 && !done(lines); i++) {
      await new Promise((r) => setTimeout(r, 100));
      lines = await scrapeLines();
    }
    return lines;
  }

  beforeAll(async () => {
    ctx = createDaemonContext(config);
    app = await buildHttpServer(ctx);
    // Link "ok" syncs, link "broken" fails: only the first gets a last-success time.
    worker = new SyncWorker({
      ...ctx,
      runner: async (req) => ({
        links: req.links.map((l) =>
          l.id === 'broken' ? { linkId: l.id, error: 'feed answered 500' } : { linkId: l.id },
        ),
      }),
    });
    await worker.waitUntilReady();
  });
  afterAll(async () => {
    await worker.close(1000);
    await app.close();
    await ctx.close();
    await deletePrefix(config.redis.keyPrefix);
  });

  it('/metrics asks for the metrics token when one is set', async () => {
    expect((await app.inject('/metrics')).statusCode).toBe(401);
    expect(
      (await app.inject({ url: '/metrics', headers: { authorization: 'Bearer nope' } })).statusCode,
    ).toBe(401);
    const ok = await app.inject({ url: '/metrics', headers: scrape });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('process_cpu_seconds_total');
  });

  it('each link that synced without error has its last-success time; a removed user’s go', async () => {
    const user = {
      id: '5151',
      timeZone: 'Asia/Seoul',
      tokens: { accessToken: 'ACC-1', refreshToken: 'REF-1', expiresIn: 21600 },
    };
    expect((await adminInject(app, 'POST', '/api/users', user)).statusCode).toBe(201);
    for (const id of ['ok', 'broken']) {
      const link = {
        id,
        source: { type: 'ics', url: 'https://example.com/a.ics' },
        target: { kind: 'primary' },
      };
      expect((await adminInject(app, 'PUT', `/api/users/5151/links/${id}`, link)).statusCode).toBeLessThan(
        300,
      );
    }
    const before = Math.floor(Date.now() / 1000);
    expect((await adminInject(app, 'POST', '/api/users/5151/sync?wait=true')).statusCode).toBe(200);
    const lines = await linesUntil((lines) => Number(lines[0]?.split(' ')[1]) >= before);
    expect(lines).toHaveLength(1);
    const [labels, value] = (lines[0] ?? '').split(' ');
    expect(labels).toBe('talkcal_link_last_success_timestamp_seconds{user_id="5151",link_id="ok"}');
    expect(Number(value)).toBeGreaterThanOrEqual(before - 1);
    expect(Number(value)).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));

    // A link removed by any means leaves the output; so do a removed user's.
    await ctx.registry.links.remove('5151', 'ok');
    expect(await linesUntil((lines) => lines.length === 0)).toEqual([]);
    await removeUser(ctx, '5151');
    expect(await ctx.redis.hlen(`${config.redis.keyPrefix}:link-last-success`)).toBe(0);
  });

  it('wrong feed tokens from one address are refused with 429 and Retry-After past the bound', async () => {
    const from = (remoteAddress: string, token = 'a'.repeat(40)) =>
      app.inject({ url: `/feeds/${token}.ics`, remoteAddress });
    for (let i = 0; i < 3; i++) expect((await from('203.0.113.7')).statusCode).toBe(404);
    const refused = await from('203.0.113.7');
    expect(refused.statusCode).toBe(429);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.body).toContain('http.feedTokenFailuresPerMinute');
    // Another address is not affected.
    expect((await from('198.51.100.9')).statusCode).toBe(404);
    // A client cannot pick another address with X-Forwarded-For (only a trusted proxy may say it).
    const spoofed = await app.inject({
      url: `/feeds/${'b'.repeat(40)}.ics`,
      remoteAddress: '203.0.113.7',
      headers: { 'x-forwarded-for': '192.0.2.55' },
    });
    expect(spoofed.statusCode).toBe(429);
  });
});

describe('http.metricsPort: /metrics on a port of its own', () => {
  const config = testConfig({ http: { host: '127.0.0.1', port: 0, adminToken: 'x', metricsPort: 0 } });
  afterAll(() => deletePrefix(config.redis.keyPrefix));

  it('serves /metrics there and not beside the API', async () => {
    const daemon = await runDaemon(config, { api: true, worker: false, holidaySchedule: false });
    try {
      expect(daemon.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(daemon.metricsUrl).not.toBe(daemon.url);
      const own = await fetch(`${daemon.metricsUrl}/metrics`);
      expect(own.status).toBe(200);
      expect(await own.text()).toContain('talkcal_queue_jobs');
      expect((await fetch(`${daemon.url}/metrics`)).status).toBe(404);
      expect((await fetch(`${daemon.url}/healthz`)).status).toBe(200);
    } finally {
      await daemon.stop();
    }
  });
});

describe('http.metricsRefreshSeconds: a scrape serves the gauges last read, not Redis', () => {
  const config = testConfig({
    http: { host: '127.0.0.1', port: 0, adminToken: 'admin-secret-token', metricsRefreshSeconds: 3600 },
  });
  afterAll(() => deletePrefix(config.redis.keyPrefix));

  it('a user added after the last refresh shows at the next one, not in a scrape before it', async () => {
    const ctx = createDaemonContext(config);
    const app = await buildHttpServer(ctx);
    const usersLines = async () =>
      (await app.inject('/metrics')).body.split('\n').filter((l) => l.startsWith('talkcal_users{'));
    try {
      const before = await usersLines();
      expect(before.length).toBeGreaterThan(0);
      expect(before.reduce((n, l) => n + Number(l.split(' ')[1]), 0)).toBe(0);
      expect((await adminInject(app, 'POST', '/api/users', { id: '7001' })).statusCode).toBe(201);
      expect(await ctx.registry.users.exists('7001')).toBe(true);
      expect(await usersLines()).toEqual(before);
    } finally {
      await app.close();
      await ctx.close();
    }
  });
});
