import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openApiDocument } from '../../../src/http/openapi.js';
import { connectCallbackQuery, healthAnswer, readinessAnswer } from '../../../src/http/public-routes.js';

// The public routes' part of the OpenAPI document is generated from the zod schemas the handlers use.

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
