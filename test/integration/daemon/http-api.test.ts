import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDaemonContext, type DaemonContext } from '../../../src/daemon/context.js';
import { buildHttpServer } from '../../../src/http/server.js';
import { SyncWorker } from '../../../src/queue/sync-worker.js';
import { deletePrefix, testConfig } from './helpers.js';

const admin = { authorization: 'Bearer admin-secret-token' };
const accessToken = 'ACC-d1e2f3a4b5c6';
const refreshToken = 'REF-a9b8c7d6e5f4';
const davPassword = 'pw-5566778899';

describe('admin HTTP API (real Redis)', () => {
  const config = testConfig();
  let ctx: DaemonContext;
  let app: FastifyInstance;
  let worker: SyncWorker;

  beforeAll(async () => {
    ctx = createDaemonContext(config);
    app = await buildHttpServer(ctx);
    worker = new SyncWorker({
      ...ctx,
      runner: async (req) => ({
        links: req.links.map((l) => ({ linkId: l.id, counts: { kakao: { created: 2 } } })),
      }),
    });
    await worker.worker.waitUntilReady();
  });
  afterAll(async () => {
    await worker.close(1000);
    await app.close();
    await ctx.close();
    await deletePrefix(config.redis.keyPrefix);
  });

  it('public endpoints answer without auth', async () => {
    expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ redis: true });
    const doc = (await app.inject('/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/api/users/{userId}/sync');
  });

  it('the admin API and the dashboard refuse requests without the right token', async () => {
    for (const url of ['/api/users', '/api/status', '/admin/queues']) {
      expect((await app.inject(url)).statusCode).toBe(401);
      expect((await app.inject({ url, headers: { authorization: 'Bearer wrong' } })).statusCode).toBe(401);
    }
    expect((await app.inject({ url: '/api/users', headers: admin })).statusCode).toBe(200);
    // Browsers reach the dashboard through a session cookie from /admin/login; it opens /admin only.
    const wrongLogin = await app.inject({ method: 'POST', url: '/admin/login', payload: { token: 'nope' } });
    expect(wrongLogin.statusCode).toBe(401);
    const login = await app.inject({
      method: 'POST',
      url: '/admin/login',
      payload: { token: 'admin-secret-token' },
    });
    expect(login.statusCode).toBe(303);
    const cookie = String(login.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toContain('admin-secret-token');
    const session = { cookie: cookie.split(';')[0] ?? '' };
    expect((await app.inject({ url: '/admin/queues', headers: session })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/users', headers: session })).statusCode).toBe(401);
    const board = await app.inject({ url: '/admin/queues', headers: admin });
    expect(board.statusCode).toBe(200);
    expect(board.body).toContain('<html');
  });

  it('users and links CRUD, and no answer contains a secret', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/users',
      headers: admin,
      payload: {
        id: '4242',
        timeZone: 'Asia/Seoul',
        tokens: { accessToken, refreshToken, expiresIn: 21600 },
      },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ id: '4242', state: 'active', hasTokens: true });
    const link = await app.inject({
      method: 'POST',
      url: '/api/users/4242/links',
      headers: admin,
      payload: {
        id: 'work',
        source: {
          type: 'caldav',
          url: 'https://dav.example.org/cal/',
          username: 'u',
          password: davPassword,
          component: 'event',
        },
        target: { kind: 'sub-calendar', name: 'Work' },
      },
    });
    expect(link.statusCode).toBe(201);
    const bad = await app.inject({
      method: 'POST',
      url: '/api/users/4242/links',
      headers: admin,
      payload: { id: 'x' },
    });
    expect(bad.statusCode).toBe(400);
    expect((await app.inject({ url: '/api/users/999', headers: admin })).statusCode).toBe(404);
    const bodies = [
      created.body,
      link.body,
      (await app.inject({ url: '/api/users', headers: admin })).body,
      (await app.inject({ url: '/api/users/4242', headers: admin })).body,
      (await app.inject({ url: '/api/users/4242/links', headers: admin })).body,
      (await app.inject({ url: '/api/users/4242/links/work', headers: admin })).body,
    ];
    for (const body of bodies) {
      for (const secret of [accessToken, refreshToken, davPassword]) expect(body).not.toContain(secret);
    }
    expect((await app.inject({ url: '/api/users/4242', headers: admin })).json()).toMatchObject({
      scheduled: true,
    });
  });

  it('triggers a sync and waits for its result; status shows the run per link', async () => {
    // The sync queued when the tokens arrived (before the link existed) must be over first: a
    // trigger during it would be answered by it.
    for (let i = 0; i < 400; i++) {
      const busy =
        (await ctx.queue.marker.holder('4242')) !== null ||
        (await ctx.queue.getJob('user-4242')) !== undefined;
      if (!busy) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const res = await app.inject({ method: 'POST', url: '/api/users/4242/sync?wait=true', headers: admin });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      jobId: 'user-4242',
      outcome: { result: { links: [{ linkId: 'work' }] } },
    });
    const status = (await app.inject({ url: '/api/users/4242/links/work/status', headers: admin })).json();
    expect(status).toMatchObject({
      lastRun: { outcome: 'ok' },
      run: { linkId: 'work', counts: { kakao: { created: 2 } } },
    });
    const metrics = (await app.inject('/metrics')).body;
    expect(metrics).toContain('talkcal_users{state="active"} 1');
    expect(metrics).toContain('talkcal_quota_calls{kind="budget"} 30000');
    expect(metrics).toContain('talkcal_queue_lag_seconds');
  });

  it('pauses and removes a user, which stops the schedule', async () => {
    const paused = await app.inject({
      method: 'PATCH',
      url: '/api/users/4242',
      headers: admin,
      payload: { state: 'paused' },
    });
    expect(paused.json()).toMatchObject({ state: 'paused' });
    expect(await ctx.queue.isScheduled('4242')).toBe(false);
    // A sync of a paused user fails at once with the reason (409), not a generic 500.
    const refused = await app.inject({
      method: 'POST',
      url: '/api/users/4242/sync?wait=true',
      headers: admin,
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatch(/is paused/);
    expect((await app.inject({ method: 'DELETE', url: '/api/users/4242', headers: admin })).statusCode).toBe(
      204,
    );
    expect((await app.inject({ url: '/api/users/4242', headers: admin })).statusCode).toBe(404);
  });
});
