import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import type { ConflictPort } from '../daemon/conflicts.js';
import type { DaemonContext } from '../daemon/context.js';
import { createPublisher, type Publisher } from '../publish/publisher.js';
import { registerFeedAdminRoutes, registerFeedRoutes } from '../publish/routes.js';
import { adminAuth, registerAdminLogin } from './admin-auth.js';
import { registerAdminRoutes } from './admin-routes.js';
import { registerChannelRoutes } from './channel-routes.js';
import { type ConnectOptions, registerConnectRoutes } from './connect.js';
import { errorHandler } from './error-handler.js';
import { registerMetricsRoute } from './metrics-route.js';
import { openApiDocument } from './openapi.js';
import { healthAnswer, readinessAnswer } from './public-routes.js';
import { registerSubscriptionRoutes } from './subscription-routes.js';

// The daemon's HTTP face. Public: /healthz, /readyz, /metrics, /openapi.json and the Kakao Login
// connect flow. Behind the admin token: /api/* and the Bull Board dashboard at /admin/queues.

export interface HttpServerOptions {
  conflicts?: ConflictPort;
  connect?: ConnectOptions;
  /** Published ICS feeds (default: one built from ctx). */
  publisher?: Publisher;
  /** Sees every route as it is registered (a test walks them against the OpenAPI document). */
  onRoute?: (route: RouteOptions) => void;
}

export async function buildHttpServer(
  ctx: DaemonContext,
  options: HttpServerOptions = {},
): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, trustProxy: ctx.config.http.trustProxy });
  if (options.onRoute) app.addHook('onRoute', options.onRoute);
  app.setErrorHandler(errorHandler(ctx.logger));
  await app.register(formbody);

  app.get('/healthz', async () => healthAnswer.parse({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    let redis = false;
    let workers = 0;
    try {
      redis = (await ctx.redis.ping()) === 'PONG';
      workers = await ctx.queue.workerCount();
    } catch {
      redis = false;
    }
    const ready = redis && workers > 0;
    const answer = readinessAnswer.parse({ status: ready ? 'ready' : 'not ready', redis, workers });
    return reply.code(ready ? 200 : 503).send(answer);
  });
  // With http.metricsPort set, /metrics is served on that port instead (daemon/run.ts).
  if (ctx.config.http.metricsPort === null) registerMetricsRoute(app, ctx, { refresh: true });
  app.get('/openapi.json', async () => openApiDocument);

  const publisher = options.publisher ?? createPublisher(ctx);
  registerConnectRoutes(app, ctx, {
    // A newly connected user gets a feed of everything, shown once on the page.
    feed: async (userId) => {
      if ((await publisher.store.list(userId)).length > 0) return 'existing';
      return { url: publisher.urls((await publisher.store.create(userId, { kind: 'all' })).token).url };
    },
    ...options.connect,
  });
  registerFeedRoutes(app, ctx, publisher);

  await app.register(async (admin) => {
    admin.addHook('onRequest', adminAuth(ctx.config.http.adminToken));
    registerAdminRoutes(admin, ctx, options.conflicts);
    registerChannelRoutes(admin, ctx);
    registerSubscriptionRoutes(admin, ctx);
    registerFeedAdminRoutes(admin, ctx, publisher);
  });
  registerAdminLogin(app, ctx.config.http.adminToken);
  await app.register(async (dashboard) => {
    dashboard.addHook('onRequest', adminAuth(ctx.config.http.adminToken, { allowSessionCookie: true }));
    const board = new FastifyAdapter();
    // @bull-board/fastify pins its own copy of @bull-board/api; the two types differ only nominally.
    type BoardAdapter = Parameters<typeof createBullBoard>[0]['serverAdapter'];
    createBullBoard({
      queues: [new BullMQAdapter(ctx.queue.queue), new BullMQAdapter(ctx.queue.manual)],
      serverAdapter: board as unknown as BoardAdapter,
    });
    board.setBasePath('/admin/queues');
    await dashboard.register(board.registerPlugin(), { prefix: '/admin/queues' });
  });
  return app;
}
