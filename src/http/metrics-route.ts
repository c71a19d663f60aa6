import Fastify, { type FastifyInstance } from 'fastify';
import type { DaemonContext } from '../daemon/context.js';
import { GaugeRefresher } from '../daemon/gauge-refresher.js';
import { sameSecret } from './admin-auth.js';
import { healthAnswer } from './public-routes.js';

// GET /metrics: beside the API (http.metricsPort null), or on a port of its own that only
// Prometheus reaches; behind `Authorization: Bearer <http.metricsToken>` when one is set. The API
// process serves the gauges that read Redis as its refresher last read them (every
// http.metricsRefreshSeconds); a worker serves its own counters.

export interface MetricsRouteOptions {
  /** Serve the Redis-backed gauges (queue, users, quota, link successes), refreshed on a timer. */
  refresh: boolean;
}

export function registerMetricsRoute(app: FastifyInstance, ctx: DaemonContext, options: MetricsRouteOptions) {
  const token = ctx.config.http.metricsToken;
  const gauges = options.refresh ? new GaugeRefresher(ctx) : undefined;
  app.addHook('onClose', async () => gauges?.stop());
  app.get('/metrics', async (request, reply) => {
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (token !== '' && (bearer === undefined || !sameSecret(bearer, token))) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ error: 'missing or wrong metrics token (http.metricsToken)' });
    }
    await gauges?.ready();
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
