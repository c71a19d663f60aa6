// The OpenAPI 3.1 document. The public routes (health, metrics, connect) are generated from their
// zod schemas (public-routes.ts); the admin API's part is still written by hand next to its routes.

import { feedApiPaths } from '../publish/openapi-paths.js';
import { channelApiPaths } from './channel-openapi.js';
import { openApiPaths } from './openapi-from-zod.js';
import { publicRouteDocs } from './public-routes.js';

const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const userId = { name: 'userId', in: 'path', required: true, schema: { type: 'string' } };
const linkId = { name: 'linkId', in: 'path', required: true, schema: { type: 'string' } };
const ok = (description: string, schema?: object) => ({ description, ...(schema ? json(schema) : {}) });
const errors = {
  '400': ok('invalid input', ref('Error')),
  '401': ok('missing or wrong admin token', ref('Error')),
  '404': ok('no such user or link', ref('Error')),
};

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'talkcal-sync admin API',
    version: '0.1.0',
    description:
      'Users, links, syncs, status and conflicts of the talkcal-sync daemon. Every /api route needs ' +
      '`Authorization: Bearer <TALKCAL_ADMIN_TOKEN>`. No answer ever contains a token or a source credential.',
  },
  security: [{ admin: [] }],
  components: {
    securitySchemes: {
      admin: { type: 'http', scheme: 'bearer' },
      metrics: { type: 'http', scheme: 'bearer', description: 'http.metricsToken, when set' },
    },
    schemas: {
      Error: { type: 'object', properties: { error: { type: 'string' }, kind: { type: 'string' } } },
      User: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          timeZone: { type: 'string' },
          state: { enum: ['active', 'needs_reauth', 'paused'] },
          intervalMinutes: { type: 'integer' },
          hasTokens: { type: 'boolean' },
          stateReason: { type: 'string' },
          createdAt: { type: 'string', format: 'date-time' },
          updatedAt: { type: 'string', format: 'date-time' },
        },
      },
      NewUser: {
        type: 'object',
        required: ['id'],
        properties: {
          id: { type: 'string', description: 'Kakao user id' },
          timeZone: { type: 'string' },
          intervalMinutes: { type: 'integer', minimum: 1 },
          tokens: {
            type: 'object',
            required: ['accessToken', 'refreshToken', 'expiresIn'],
            properties: {
              accessToken: { type: 'string' },
              refreshToken: { type: 'string' },
              expiresIn: { type: 'integer' },
              refreshTokenExpiresIn: { type: 'integer' },
            },
          },
        },
      },
      Link: {
        type: 'object',
        description:
          'See src/model/link.ts (linkSchema). In answers `source` is redacted: {type, url, component, hasCredentials}.',
        required: ['id', 'source', 'target'],
        properties: {
          id: { type: 'string' },
          name: { type: 'string' },
          source: { type: 'object' },
          target: { type: 'object' },
          direction: { enum: ['to-kakao', 'two-way'] },
          conflict: { enum: ['source-wins', 'kakao-wins', 'manual'] },
          enabled: { type: 'boolean' },
        },
      },
      Trigger: {
        type: 'object',
        properties: {
          jobId: { type: 'string' },
          deduplicated: { type: 'boolean' },
          outcome: { type: 'object' },
        },
      },
      UserStatus: {
        type: 'object',
        properties: {
          user: ref('User'),
          scheduled: { type: 'boolean' },
          links: { type: 'array', items: ref('Link') },
          lastRun: { type: 'object' },
          linkRuns: { type: 'array', items: { type: 'object' } },
          backoff: {
            type: 'object',
            description: 'links that failed, by id: failures, retryAt, reason, since',
            additionalProperties: { type: 'object' },
          },
        },
      },
    },
  },
  paths: {
    ...openApiPaths(publicRouteDocs),
    '/api/status': {
      get: { summary: 'Users by state, queue depth and lag, quota', responses: { '200': ok('status') } },
    },
    '/api/users': {
      get: {
        summary:
          'One page of users in id order: { users, next } (next = cursor of the following page, or null)',
        parameters: [
          {
            name: 'limit',
            in: 'query',
            schema: { type: 'integer', minimum: 1 },
            description: 'default limits.listPageSize, at most limits.maxListPageSize',
          },
          {
            name: 'cursor',
            in: 'query',
            schema: { type: 'string' },
            description: '`next` of the previous page',
          },
        ],
        responses: {
          '200': ok('users'),
          '400': ok('bad limit or cursor', ref('Error')),
          '401': errors['401'],
        },
      },
      post: {
        summary: 'Add or update a user (tokens optional; stored encrypted)',
        requestBody: json(ref('NewUser')),
        responses: { '201': ok('the user', ref('User')), ...errors },
      },
    },
    '/api/users/{userId}': {
      parameters: [userId],
      get: { summary: 'User status', responses: { '200': ok('status', ref('UserStatus')), ...errors } },
      patch: {
        summary: 'Change time zone, interval or state (active/paused)',
        requestBody: json({ type: 'object' }),
        responses: { '200': ok('the user', ref('User')), ...errors },
      },
      delete: { summary: 'Remove the user and their links', responses: { '204': ok('removed'), ...errors } },
    },
    '/api/users/{userId}/status': {
      parameters: [userId],
      get: {
        summary: 'Last run, per-link counts, warnings, quarantined, conflicts',
        responses: { '200': ok('status', ref('UserStatus')), ...errors },
      },
    },
    '/api/users/{userId}/links': {
      parameters: [userId],
      get: { summary: 'List links', responses: { '200': ok('links'), ...errors } },
      post: {
        summary: 'Add a link (a fourth own sub-calendar is refused with 409)',
        requestBody: json(ref('Link')),
        responses: {
          '201': ok('the link', ref('Link')),
          '409': ok('sub-calendar limit', ref('Error')),
          ...errors,
        },
      },
    },
    '/api/users/{userId}/links/{linkId}': {
      parameters: [userId, linkId],
      get: { summary: 'One link', responses: { '200': ok('the link', ref('Link')), ...errors } },
      put: {
        summary: 'Replace a link',
        requestBody: json(ref('Link')),
        responses: { '200': ok('the link', ref('Link')), ...errors },
      },
      patch: {
        summary: 'Rename the link and, in Talk Calendar, the sub-calendar it fills ({name})',
        requestBody: json({ type: 'object', required: ['name'], properties: { name: { type: 'string' } } }),
        responses: { '200': ok('the link and whether its calendar was renamed'), ...errors },
      },
      delete: {
        summary:
          'Remove a link; ?deleteCalendar=true also deletes the sub-calendar the daemon created for it ' +
          '(with no link left, the calendar a removal left behind)',
        parameters: [
          { name: 'deleteCalendar', in: 'query', schema: { type: 'string', enum: ['true', 'false'] } },
        ],
        responses: {
          '200': ok('removed; what happened to its sub-calendar (deleted, or left) and a one-line message'),
          '204': ok('removed (no sub-calendar)'),
          '409': ok(
            'the calendar is not deleted (not created by the daemon, or another link fills it)',
            ref('Error'),
          ),
          ...errors,
        },
      },
    },
    '/api/users/{userId}/links/{linkId}/status': {
      parameters: [userId, linkId],
      get: { summary: "The link's part of the last run", responses: { '200': ok('status'), ...errors } },
    },
    '/api/users/{userId}/sync': {
      parameters: [
        userId,
        { name: 'wait', in: 'query', schema: { enum: ['true', 'false'] } },
        { name: 'force', in: 'query', schema: { enum: ['true', 'false'] } },
      ],
      post: {
        summary: 'Trigger a sync ahead of the schedule (deduplicated); wait=true returns the result',
        responses: { '202': ok('queued', ref('Trigger')), '200': ok('finished', ref('Trigger')), ...errors },
      },
    },
    '/api/users/{userId}/dry-run': {
      parameters: [userId],
      post: {
        summary: 'The plan of a sync without applying it',
        responses: { '200': ok('plan'), ...errors },
      },
    },
    '/api/users/{userId}/conflicts': {
      parameters: [userId, { name: 'linkId', in: 'query', schema: { type: 'string' } }],
      get: { summary: 'Pending conflicts of manual links', responses: { '200': ok('conflicts'), ...errors } },
    },
    '/api/users/{userId}/links/{linkId}/conflicts/resolve': {
      parameters: [userId, linkId],
      post: {
        summary: 'Keep the source or the Kakao version, for some items or all',
        requestBody: json({
          type: 'object',
          required: ['choice'],
          properties: {
            choice: { enum: ['source', 'kakao'] },
            items: { oneOf: [{ const: 'all' }, { type: 'array', items: { type: 'string' } }] },
          },
        }),
        responses: { '200': ok('resolved'), ...errors },
      },
    },
    ...feedApiPaths,
    ...channelApiPaths,
  },
} as const;
