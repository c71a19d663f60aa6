import Fastify, { type FastifyInstance } from 'fastify';
import type { DaemonContext } from '../daemon/context.js';
import { refreshGauges } from '../daemon/status.js';
import { sameSecret } from './admin-auth.js';
import { healthAnswer } from './public-routes.js';

// GET /metrics: beside the API (http.metricsPort null), or on a port of its own that only
// Prometheus reaches; behind `Authorization: Bearer <http.metricsToken>` when one is set. The API
// process refreshes the gauges that read Redis on each scrape; a worker serves its own counters.

export interface MetricsRouteOptions {
  /** Refresh the Redis-backed gauges (queue, users, quota, link successes) before answering. */
  refresh: boolean;
}

export function registerMetricsRoute(app: FastifyInstance, ctx: DaemonContext, options: MetricsRouteOptions) {
  const token = ctx.config.http.metricsToken;
  app.get('/metrics', async (request, reply) => {
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (token !== '' && (bearer === undefined || !sameSecret(bearer, token))) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ error: 'missing or wrong metrics token (http.metricsToken)' });
    }
    if (options.refresh) {
      await refreshGauges(ctx).catch((error) =>
        ctx.logger.warn({ err: error }, 'metrics: gauges not refreshed'),
      );
    }
    return reply.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics());
  });
}

/** A server of /healthz and /metrics alone (a worker's --metrics-port, the API's http.metricsPort). */
export function buildMetricsServer(ctx: DaemonContext, options: MetricsRouteOptions): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get('/healthz', async () => healthAnswer.parse({ status: 'ok' }));
  registerMetricsRoute(app, ctx, options);
  return app;
}
