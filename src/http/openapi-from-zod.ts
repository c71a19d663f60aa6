import { z } from 'zod';
import type { RouteDoc } from './public-routes.js';

// OpenAPI 3.1 path items generated from route descriptions whose inputs and answers are zod schemas
// (OpenAPI 3.1 takes JSON Schema 2020-12, which is what z.toJSONSchema writes).

type JsonSchema = Record<string, unknown>;

function schemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'output' }) as JsonSchema;
  return rest;
}

function parametersOf(query: z.ZodObject): JsonSchema[] {
  const input = z.toJSONSchema(query, { io: 'input' }) as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(input.properties ?? {}).map(([name, schema]) => {
    const { description, ...rest } = schema;
    return {
      name,
      in: 'query',
      required: input.required?.includes(name) ?? false,
      ...(description !== undefined ? { description } : {}),
      schema: rest,
    };
  });
}

export function openApiPaths(routes: readonly RouteDoc[]): Record<string, Record<string, unknown>> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const responses = Object.fromEntries(
      Object.entries(route.responses).map(([code, r]) => [
        code,
        {
          description: r.description,
          ...(r.schema ? { content: { [r.contentType]: { schema: schemaOf(r.schema) } } } : {}),
          ...(r.headers
            ? {
                headers: Object.fromEntries(
                  Object.entries(r.headers).map(([h, d]) => [
                    h,
                    { description: d, schema: { type: 'string' } },
                  ]),
                ),
              }
            : {}),
        },
      ]),
    );
    paths[route.path] = {
      ...paths[route.path],
      [route.method]: {
        summary: route.summary,
        // Public unless the route names the token it may ask for.
        security: route.security ? [{ [route.security]: [] }, {}] : [],
        ...(route.query ? { parameters: parametersOf(route.query) } : {}),
        responses,
      },
    };
  }
  return paths;
}
