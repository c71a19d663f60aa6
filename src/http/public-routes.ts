import { z } from 'zod';
import { jsonAnswer, type RouteDoc, type RouteResponse } from './route-spec.js';

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

/** Every error answer (error-handler.ts): the message, the error's type, and zod's issues on bad input. */
export const errorAnswer = z.object({
  error: z.string(),
  kind: z.string().optional().meta({ description: 'the typed error' }),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/** Prometheus text exposition format. */
export const metricsAnswer = z.string().meta({ description: 'Prometheus text format (version 0.0.4)' });

/** What Kakao Login sends back to the redirect URI (any other parameter is ignored). */
export const connectCallbackQuery = z.object({
  code: z.string().optional().meta({ description: 'authorization code (on consent)' }),
  state: z.string().optional().meta({ description: 'the state /connect issued (single use, 10 minutes)' }),
  error: z.string().optional().meta({ description: 'set when the person refused consent' }),
  error_description: z.string().optional(),
});

/** The sign-in form's field (any other field is ignored). */
export const adminLoginBody = z.object({ token: z.string().meta({ description: 'the admin token' }) });

const htmlPage = z.string().meta({ description: 'an HTML page for the person' });

const json = jsonAnswer;
const html = (description: string): RouteResponse => ({
  description,
  contentType: 'text/html',
  schema: htmlPage,
});

export const publicRouteDocs: readonly RouteDoc[] = [
  {
    method: 'get',
    url: '/healthz',
    summary: 'Liveness',
    auth: 'none',
    responses: { '200': json('alive', healthAnswer) },
  },
  {
    method: 'get',
    url: '/readyz',
    auth: 'none',
    summary: 'Readiness: Redis and a live worker',
    responses: { '200': json('ready', readinessAnswer), '503': json('not ready', readinessAnswer) },
  },
  {
    method: 'get',
    url: '/metrics',
    summary:
      'Prometheus metrics (on http.metricsPort instead when set; behind the bearer http.metricsToken when set)',
    auth: 'metrics',
    responses: {
      '200': { description: 'metrics', contentType: 'text/plain', schema: metricsAnswer },
      '401': json('missing or wrong metrics token', errorAnswer),
    },
  },
  {
    method: 'get',
    url: '/connect',
    auth: 'none',
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
    url: '/connect/callback',
    auth: 'none',
    summary: "Kakao Login's redirect: stores the user's sealed tokens and queues the first sync",
    query: connectCallbackQuery,
    responses: {
      '200': html('connected: status and the new feed link'),
      '400': html('unknown or used state, or no code'),
      '403': html('consent refused or a scope missing'),
      '502': html('Kakao refused the code'),
    },
  },
  {
    method: 'get',
    url: '/openapi.json',
    summary: 'This document',
    auth: 'none',
    responses: { '200': { description: 'the OpenAPI 3.1 document', contentType: 'application/json' } },
  },
  {
    method: 'get',
    url: '/admin/login',
    summary: 'The sign-in page of the dashboard',
    auth: 'none',
    responses: { '200': html('a form asking for the admin token') },
  },
  {
    method: 'post',
    url: '/admin/login',
    summary: 'Trades the admin token for a dashboard session cookie (HttpOnly, SameSite=Strict, /admin only)',
    auth: 'none',
    body: adminLoginBody,
    bodyType: 'application/x-www-form-urlencoded',
    responses: {
      '303': {
        description: 'signed in: sent to the dashboard with the session cookie',
        contentType: 'text/plain',
        headers: { location: '/admin/queues', 'set-cookie': 'the session cookie' },
      },
      '401': html('wrong token: the form again'),
    },
  },
  {
    method: 'get',
    url: '/admin/queues',
    summary: 'Bull Board, the queue dashboard (its own pages and API live under /admin/queues/)',
    auth: 'admin',
    responses: {
      '200': html('the dashboard'),
      '303': { description: 'a browser without a session: sent to /admin/login', contentType: 'text/plain' },
      '401': json('missing or wrong admin token', errorAnswer),
    },
  },
];
