import { z } from 'zod';

// The public routes' inputs and answers as zod schemas: the handlers parse and answer with them, and
// their part of the OpenAPI document is generated from them (openapi-from-zod.ts), so the two cannot
// drift apart.

export const healthAnswer = z.object({ status: z.literal('ok') }).meta({ description: 'the process is up' });

export const readinessAnswer = z
  .object({
    status: z.enum(['ready', 'not ready']),
    redis: z.boolean().meta({ description: 'Redis answered PING' }),
    workers: z.number().int().min(0).meta({ description: 'live sync workers' }),
  })
  .meta({ description: 'ready when Redis answers and at least one worker is alive' });

export const errorAnswer = z.object({ error: z.string() });

/** Prometheus text exposition format. */
export const metricsAnswer = z.string().meta({ description: 'Prometheus text format (version 0.0.4)' });

/** What Kakao Login sends back to the redirect URI (any other parameter is ignored). */
export const connectCallbackQuery = z.object({
  code: z.string().optional().meta({ description: 'authorization code (on consent)' }),
  state: z.string().optional().meta({ description: 'the state /connect issued (single use, 10 minutes)' }),
  error: z.string().optional().meta({ description: 'set when the person refused consent' }),
  error_description: z.string().optional(),
});

const htmlPage = z.string().meta({ description: 'an HTML page for the person' });

export interface RouteResponse {
  description: string;
  contentType: string;
  schema?: z.ZodType;
  headers?: Record<string, string>;
}

export interface RouteDoc {
  method: 'get';
  path: string;
  summary: string;
  query?: z.ZodObject;
  /** Which bearer token the route may ask for (none: public). */
  security?: 'metrics';
  responses: Record<string, RouteResponse>;
}

const json = (description: string, schema: z.ZodType): RouteResponse => ({
  description,
  contentType: 'application/json',
  schema,
});
const html = (description: string): RouteResponse => ({
  description,
  contentType: 'text/html',
  schema: htmlPage,
});

export const publicRouteDocs: RouteDoc[] = [
  { method: 'get', path: '/healthz', summary: 'Liveness', responses: { '200': json('alive', healthAnswer) } },
  {
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: Redis and a live worker',
    responses: { '200': json('ready', readinessAnswer), '503': json('not ready', readinessAnswer) },
  },
  {
    method: 'get',
    path: '/metrics',
    summary:
      'Prometheus metrics (on http.metricsPort instead when set; behind the bearer http.metricsToken when set)',
    security: 'metrics',
    responses: {
      '200': { description: 'metrics', contentType: 'text/plain', schema: metricsAnswer },
      '401': json('missing or wrong metrics token', errorAnswer),
    },
  },
  {
    method: 'get',
    path: '/connect',
    summary: 'Starts Kakao Login (scopes talk_calendar, talk_calendar_task) for a person',
    responses: {
      '302': {
        description: "redirect to Kakao's authorize page with redirect_uri = kakao.redirectUri",
        contentType: 'text/plain',
        headers: { location: 'the authorize URL' },
      },
    },
  },
  {
    method: 'get',
    path: '/connect/callback',
    summary: "Kakao Login's redirect: stores the user's sealed tokens and queues the first sync",
    query: connectCallbackQuery,
    responses: {
      '200': html('connected: status and the new feed link'),
      '400': html('unknown or used state, or no code'),
      '403': html('consent refused or a scope missing'),
      '502': html('Kakao refused the code'),
    },
  },
];
