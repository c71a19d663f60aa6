import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDaemonContext, type DaemonContext } from '../../../src/daemon/context.js';
import { healthAnswer, readinessAnswer } from '../../../src/http/public-routes.js';
import { buildHttpServer } from '../../../src/http/server.js';
import { SyncWorker } from '../../../src/queue/sync-worker.js';
import { adminInject, deletePrefix, testConfig } from './helpers.js';

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
    await worker.waitUntilReady();
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
    // What the routes answer is what their (generated) OpenAPI schemas say.
    expect(readinessAnswer.safeParse(ready.json()).success).toBe(true);
    expect(healthAnswer.safeParse((await app.inject('/healthz')).json()).success).toBe(true);
    const doc = (await app.inject('/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/api/users/{userId}/sync');
  });

  it('the admin API and the dashboard refuse requests without the right token', async () => {
    for (const url of ['/api/users', '/api/status', '/admin/queues']) {
      expect((await app.inject(url)).statusCode).toBe(401);
      expect((await app.inject({ url, headers: { authorization: 'Bearer wrong' } })).statusCode).toBe(401);
    }
    expect((await adminInject(app, 'GET', '/api/users')).statusCode).toBe(200);
    // A browser without a session is sent to the login page (scripts still get the 401 above).
    const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
    const browser = await app.inject({ url: '/admin/queues', headers: html });
    expect([browser.statusCode, browser.headers.location]).toEqual([303, '/admin/login']);
    expect((await app.inject({ url: '/api/users', headers: html })).statusCode).toBe(401);
    expect((await app.inject('/admin/login')).body).toContain('<form method="post" action="/admin/login">');
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
    const board = await adminInject(app, 'GET', '/admin/queues');
    expect(board.statusCode).toBe(200);
    expect(board.body).toContain('<html');
  });

  it('users and links CRUD, and no answer contains a secret', async () => {
    const created = await adminInject(app, 'POST', '/api/users', {
      id: '4242',
      timeZone: 'Asia/Seoul',
      tokens: { accessToken, refreshToken, expiresIn: 21600 },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ id: '4242', state: 'active', hasTokens: true });
    const link = await adminInject(app, 'POST', '/api/users/4242/links', {
      id: 'work',
      source: {
        type: 'caldav',
        url: 'https://dav.example.org/cal/',
        username: 'u',
        password: davPassword,
        component: 'event',
      },
      target: { kind: 'sub-calendar', name: 'Work' },
    });
    expect(link.statusCode).toBe(201);
    const bad = await adminInject(app, 'POST', '/api/users/4242/links', { id: 'x' });
    expect(bad.statusCode).toBe(400);
    expect((await adminInject(app, 'GET', '/api/users/999')).statusCode).toBe(404);
    const bodies = [
      created.body,
      link.body,
      (await adminInject(app, 'GET', '/api/users')).body,
      (await adminInject(app, 'GET', '/api/users/4242')).body,
      (await adminInject(app, 'GET', '/api/users/4242/links')).body,
      (await adminInject(app, 'GET', '/api/users/4242/links/work')).body,
    ];
    for (const body of bodies) {
      for (const secret of [accessToken, refreshToken, davPassword]) expect(body).not.toContain(secret);
    }
    expect((await adminInject(app, 'GET', '/api/users/4242')).json()).toMatchObject({
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
    const res = await adminInject(app, 'POST', '/api/users/4242/sync?wait=true');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      jobId: 'user-4242',
      outcome: { result: { links: [{ linkId: 'work' }] } },
    });
    const status = (await adminInject(app, 'GET', '/api/users/4242/links/work/status')).json();
    expect(status).toMatchObject({
      lastRun: { outcome: 'ok' },
      run: { linkId: 'work', counts: { kakao: { created: 2 } } },
    });
    const metrics = (await app.inject('/metrics')).body;
    expect(metrics).toContain('talkcal_users{state="active"} 1');
    expect(metrics).toContain('talkcal_quota_calls{kind="budget"} 30000');
    expect(metrics).toContain('talkcal_queue_lag_seconds');
    // Node's own: event-loop lag and memory, so an operator sees a stalled loop.
    expect(metrics).toContain('nodejs_eventloop_lag_seconds');
    expect(metrics).toContain('process_resident_memory_bytes');
  });

  it('pauses and removes a user, which stops the schedule', async () => {
    const paused = await adminInject(app, 'PATCH', '/api/users/4242', { state: 'paused' });
    expect(paused.json()).toMatchObject({ state: 'paused' });
    expect(await ctx.queue.isScheduled('4242')).toBe(false);
    // A sync of a paused user fails at once with the reason (409), not a generic 500.
    const refused = await adminInject(app, 'POST', '/api/users/4242/sync?wait=true');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatch(/is paused/);
    expect((await adminInject(app, 'DELETE', '/api/users/4242')).statusCode).toBe(204);
    expect((await adminInject(app, 'GET', '/api/users/4242')).statusCode).toBe(404);
  });

  it('takes webcal:// and webcals:// feed links as the README says, and refuses other schemes', async () => {
    const user = await adminInject(app, 'POST', '/api/users', {
      id: '4343',
      timeZone: 'Asia/Seoul',
      tokens: { accessToken, refreshToken, expiresIn: 21600 },
    });
    expect(user.statusCode).toBe(201);
    for (const [id, url] of [
      ['holidays', 'webcal://calendar.example/holidays.ics'],
      ['team', 'webcals://calendar.example/team.ics'],
    ]) {
      const added = await adminInject(app, 'POST', '/api/users/4343/links', {
        id,
        source: { type: 'ics', url },
        target: { kind: 'primary' },
      });
      expect(added.statusCode).toBe(201);
      expect((await adminInject(app, 'GET', `/api/users/4343/links/${id}`)).json().source).toMatchObject({
        url,
      });
    }
    const refused = await adminInject(app, 'POST', '/api/users/4343/links', {
      id: 'ftp',
      source: { type: 'ics', url: 'ftp://calendar.example/a.ics' },
      target: { kind: 'primary' },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toMatch(/source\.url: an http:\/\/, https:\/\/ or webcal:\/\/ URL/);
    expect((await adminInject(app, 'DELETE', '/api/users/4343')).statusCode).toBe(204);
  });
});
