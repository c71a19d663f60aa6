import { z } from 'zod';
import type { RouteDoc, RouteResponse } from './route-spec.js';

// OpenAPI 3.1 path items generated from route descriptions whose inputs and answers are zod schemas
// (OpenAPI 3.1 takes JSON Schema 2020-12, which is what z.toJSONSchema writes). Requests are
// described as zod reads them (io: input: defaults optional), answers as the route writes them.

type JsonSchema = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const written = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  const { $schema: _dialect, ...rest } = written;
  return rest;
}

function parametersOf(object: z.ZodObject, where: 'query' | 'path'): JsonSchema[] {
  const input = schemaOf(object, 'input') as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(input.properties ?? {}).map(([name, schema]) => {
    const { description, ...rest } = schema;
    return {
      name,
      in: where,
      required: where === 'path' || (input.required?.includes(name) ?? false),
      ...(description !== undefined ? { description } : {}),
      schema: rest,
    };
  });
}

/** `/api/users/:userId` → `/api/users/{userId}`. */
export function openApiPathOf(route: Pick<RouteDoc, 'url' | 'openApiPath'>): string {
  return route.openApiPath ?? route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function responseOf(r: RouteResponse): JsonSchema {
  return {
    description: r.description,
    ...(r.schema ? { content: { [r.contentType]: { schema: schemaOf(r.schema, 'output') } } } : {}),
    ...(r.headers
      ? {
          headers: Object.fromEntries(
            Object.entries(r.headers).map(([h, d]) => [h, { description: d, schema: { type: 'string' } }]),
          ),
        }
      : {}),
  };
}

const securityOf = {
  none: [],
  // The metrics token is asked for only when http.metricsToken is set.
  metrics: [{ metrics: [] }, {}],
  admin: [{ admin: [] }],
} as const;

function operationOf(route: RouteDoc): JsonSchema {
  const parameters = [
    ...(route.params ? parametersOf(route.params, 'path') : []),
    ...(route.query ? parametersOf(route.query, 'query') : []),
  ];
  return {
    summary: route.summary,
    security: securityOf[route.auth],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { [route.bodyType ?? 'application/json']: { schema: schemaOf(route.body, 'input') } },
          },
        }
      : {}),
    responses: Object.fromEntries(Object.entries(route.responses).map(([code, r]) => [code, responseOf(r)])),
  };
}

export function openApiPaths(routes: readonly RouteDoc[]): Record<string, Record<string, unknown>> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = openApiPathOf(route);
    paths[path] = { ...paths[path], [route.method]: operationOf(route) };
  }
  return paths;
}
