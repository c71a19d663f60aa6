import Fastify, { type FastifyInstance } from 'fastify';
import type { DaemonContext } from '../daemon/context.js';

// A worker process's own small HTTP face (`talkcal worker --metrics-port N`): /healthz and /metrics
// (its sync durations, operations and Kakao calls live in its own process, so each worker is scraped).

export async function buildWorkerMetricsServer(ctx: DaemonContext): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/metrics', async (_request, reply) =>
    reply.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics()),
  );
  return app;
}
