import { Validator } from '@seriousme/openapi-schema-validator';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDaemonContext, type DaemonContext } from '../../../src/daemon/context.js';
import { buildHttpServer } from '../../../src/http/server.js';
import { deletePrefix, testConfig } from './helpers.js';

// Every route the server registers (as fastify's onRoute hook sees them) is in the OpenAPI document it serves. Bull Board's own pages and
// API under /admin/queues/ are a third-party UI: the document names its entry page only.

describe('OpenAPI document of the HTTP server (real Redis)', () => {
  const config = testConfig();
  let ctx: DaemonContext;
  let app: FastifyInstance;
  const registered: string[] = [];

  beforeAll(async () => {
    ctx = createDaemonContext(config);
    app = await buildHttpServer(ctx, {
      onRoute: (route) => {
        for (const method of [route.method].flat())
          if (method !== 'HEAD') registered.push(`${method} ${route.url}`);
      },
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
    await deletePrefix(config.redis.keyPrefix);
  });

  it('documents every registered route with its method', async () => {
    const doc = (await app.inject('/openapi.json')).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, item]) =>
        Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`),
      ),
    );
    const routes = registered.filter((r) => !r.includes('/admin/queues/'));
    // The walk finds the routes (a broken walk must not pass by finding none).
    expect(routes).toEqual(
      expect.arrayContaining(['GET /api/users/:userId', 'POST /api/users/:userId/sync']),
    );
    const undocumented = routes
      .map((r) =>
        r.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/^GET \/feeds\/\*$/, 'GET /feeds/{token}.ics'),
      )
      .filter((r) => !documented.has(r));
    expect(undocumented).toEqual([]);
  });

  it('is a valid OpenAPI document (@seriousme/openapi-schema-validator)', async () => {
    const result = await new Validator().validate(JSON.parse((await app.inject('/openapi.json')).body));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });
});
