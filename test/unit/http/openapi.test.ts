import Fastify from 'fastify';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { adminRouteDocs } from '../../../src/http/admin-route-docs.js';
import { errorHandler } from '../../../src/http/error-handler.js';
import { openApiDocument, routeDocs } from '../../../src/http/openapi.js';
import { openApiPathOf, openApiPaths } from '../../../src/http/openapi-from-zod.js';
import { connectCallbackQuery, healthAnswer, readinessAnswer } from '../../../src/http/public-routes.js';
import { addRoute, jsonAnswer, type RouteDoc } from '../../../src/http/route-spec.js';

// The OpenAPI document is generated from the zod schemas the routes parse and answer with.

type Operation = {
  security?: unknown[];
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
};

type Doc = {
  paths: Record<
    string,
    Record<
      string,
      {
        security?: unknown[];
        parameters?: { name: string }[];
        responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
      }
    >
  >;
};
const doc = openApiDocument as unknown as Doc;
const jsonSchema = (schema: z.ZodType) => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema) as Record<string, unknown>;
  return rest;
};

describe('OpenAPI of the public routes', () => {
  it('covers health, metrics and connect, with the schemas the handlers answer with', () => {
    for (const path of ['/healthz', '/readyz', '/metrics', '/connect', '/connect/callback'])
      expect(doc.paths[path]?.['get'], path).toBeDefined();
    const ready = doc.paths['/readyz']?.['get'];
    expect(ready?.responses['200']?.content?.['application/json']?.schema).toEqual(
      jsonSchema(readinessAnswer),
    );
    expect(ready?.responses['503']?.content?.['application/json']?.schema).toEqual(
      jsonSchema(readinessAnswer),
    );
    expect(doc.paths['/healthz']?.['get']?.responses['200']?.content?.['application/json']?.schema).toEqual(
      jsonSchema(healthAnswer),
    );
    expect(doc.paths['/connect/callback']?.['get']?.parameters?.map((p) => p.name)).toEqual(
      Object.keys(connectCallbackQuery.shape),
    );
    // /metrics may ask for the metrics token; health and connect never ask for one.
    expect(doc.paths['/metrics']?.['get']?.security).toEqual([{ metrics: [] }, {}]);
    expect(doc.paths['/healthz']?.['get']?.security).toEqual([]);
    expect(doc.paths['/connect']?.['get']?.security).toEqual([]);
  });

  it('the readiness schema refuses what the route must never answer', () => {
    expect(readinessAnswer.safeParse({ status: 'ready', redis: true, workers: 2 }).success).toBe(true);
    expect(readinessAnswer.safeParse({ status: 'ok', redis: true, workers: 2 }).success).toBe(false);
    expect(readinessAnswer.safeParse({ status: 'ready', redis: true, workers: -1 }).success).toBe(false);
  });
});

describe('OpenAPI of every route', () => {
  const paths = openApiDocument.paths as unknown as Record<string, Record<string, Operation>>;
  const input = (schema: z.ZodType) => {
    const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
    return rest;
  };
  const output = (schema: z.ZodType) => {
    const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' });
    return rest;
  };

  it("says of each route exactly what the route's zod schemas accept and answer", () => {
    for (const route of routeDocs) {
      const operation = paths[openApiPathOf(route)]?.[route.method];
      const where = `${route.method} ${route.url}`;
      expect(operation, where).toBeDefined();
      const names = (operation?.parameters ?? []).map((p) => `${p.in}:${p.name}`);
      expect(names, where).toEqual([
        ...Object.keys(route.params?.shape ?? {}).map((n) => `path:${n}`),
        ...Object.keys(route.query?.shape ?? {}).map((n) => `query:${n}`),
      ]);
      const body = operation?.requestBody?.content[route.bodyType ?? 'application/json']?.schema;
      expect(body, where).toEqual(route.body ? input(route.body) : undefined);
      for (const [status, answer] of Object.entries(route.responses)) {
        const documented = operation?.responses[status]?.content?.[answer.contentType]?.schema;
        expect(documented, `${where} ${status}`).toEqual(answer.schema ? output(answer.schema) : undefined);
      }
    }
  });

  it('follows a schema change with no edit of the document', () => {
    const route = adminRouteDocs.resolve;
    const changed = { ...route, body: route.body.extend({ reason: z.string() }) };
    const operation = openApiPaths([changed])['/api/users/{userId}/links/{linkId}/conflicts/resolve']?.[
      'post'
    ] as Operation;
    const schema = operation.requestBody?.content['application/json']?.schema as { properties: object };
    expect(Object.keys(schema.properties)).toEqual(['choice', 'items', 'reason']);
  });
});

describe('addRoute', () => {
  const answer = z.object({ count: z.number().int() });
  const doc = {
    method: 'post',
    url: '/things/:id',
    summary: 'a test route',
    auth: 'none',
    params: z.object({ id: z.string() }),
    query: z.object({ limit: z.coerce.number().int().max(10).optional() }),
    body: z.strictObject({ count: z.number() }),
    responses: { '200': jsonAnswer('the count', answer) },
  } as const satisfies RouteDoc;
  const app = Fastify();
  const logged: string[] = [];
  const logger = pino({ level: 'error' }, { write: (line: string) => logged.push(line) });
  app.setErrorHandler(errorHandler(logger));
  addRoute(app, doc, async ({ params, query, body }) => ({
    count: params.id === 'fraction' ? body.count / 2 : body.count + (query.limit ?? 0),
  }));

  it('hands the handler what its schemas parsed, and refuses what they refuse with a 400', async () => {
    const ok = await app.inject({ method: 'POST', url: '/things/a?limit=3', payload: { count: 4 } });
    expect([ok.statusCode, ok.json()]).toEqual([200, { count: 7 }]);
    for (const [url, payload] of [
      ['/things/a?limit=11', { count: 4 }],
      ['/things/a', { count: 4, extra: true }],
      ['/things/a', { count: 'four' }],
    ] as const) {
      const refused = await app.inject({ method: 'POST', url, payload });
      expect(refused.statusCode, url).toBe(400);
      expect(refused.json().error).toBe('invalid input');
    }
  });

  it('never answers what its answer schema refuses', async () => {
    const wrong = await app.inject({ method: 'POST', url: '/things/fraction', payload: { count: 3 } });
    expect(wrong.statusCode).toBe(500);
    expect(wrong.body).not.toContain('1.5');
    expect(logged.join('')).toContain('POST /things/:id answered 200 outside its schema (count');
  });
});
