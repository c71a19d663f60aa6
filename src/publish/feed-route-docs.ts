import { z } from 'zod';
import { userParams } from '../http/api-answers.js';
import { errorAnswer } from '../http/public-routes.js';
import { jsonAnswer as json, type RouteDoc } from '../http/route-spec.js';
import { feedInputSchema, feedKinds } from './feed.js';

// The published-feed routes (routes.ts registers them with their handlers).

const errors = {
  '400': json('invalid feed definition', errorAnswer),
  '401': json('missing or wrong admin token', errorAnswer),
  '404': json('no such user or feed', errorAnswer),
};
const admin = 'admin' as const;
const feedParams = userParams.extend({ feedId: z.string() });

export const feedAnswer = z.looseObject({
  id: z.string(),
  userId: z.string(),
  kind: z.enum(feedKinds),
  calendarId: z.string().optional(),
  otherAppEvents: z.enum(['busy', 'hide']).optional(),
  name: z.string().optional(),
  createdAt: z.string(),
  rotatedAt: z.string().optional(),
});
export const issuedAnswer = z
  .object({
    feed: feedAnswer,
    token: z.string(),
    url: z.string(),
    webcal: z.string().meta({ description: 'webcal:// link for one-click subscription' }),
  })
  .meta({ description: 'The token is shown here only: the daemon stores its SHA-256.' });
const holidaysAnswer = z.object({
  fetchedAt: z.string(),
  from: z.string(),
  to: z.string(),
  count: z.number().int(),
});

export const feedRouteDocs = {
  list: {
    method: 'get',
    url: '/api/users/:userId/feeds',
    summary: "The user's published ICS feeds (without links)",
    auth: admin,
    params: userParams,
    responses: { '200': json('feeds', z.object({ feeds: z.array(feedAnswer) })), ...errors },
  },
  create: {
    method: 'post',
    url: '/api/users/:userId/feeds',
    summary: 'Publish a feed: all calendars, one calendar, tasks or Korean holidays',
    auth: admin,
    params: userParams,
    body: feedInputSchema,
    bodyParsedByService: true,
    responses: { '201': json('created', issuedAnswer), ...errors },
  },
  rotate: {
    method: 'post',
    url: '/api/users/:userId/feeds/:feedId/rotate',
    summary: 'A new link for the feed (the old one answers 404)',
    auth: admin,
    params: feedParams,
    responses: { '200': json('rotated', issuedAnswer), ...errors },
  },
  revoke: {
    method: 'delete',
    url: '/api/users/:userId/feeds/:feedId',
    summary: 'Stop publishing the feed',
    auth: admin,
    params: feedParams,
    responses: { '204': { description: 'revoked', contentType: 'application/json' }, ...errors },
  },
  refreshHolidays: {
    method: 'post',
    url: '/api/feeds/holidays/refresh',
    summary: 'Read the Korean holidays of the sync horizon from Kakao (admin key) for holidays feeds',
    auth: admin,
    responses: {
      '200': json('stored', holidaysAnswer),
      '401': errors['401'],
      '409': json('publish.includeHolidays is off', errorAnswer),
    },
  },
  feed: {
    method: 'get',
    url: '/feeds/*',
    openApiPath: '/feeds/{token}.ics',
    summary:
      'A published feed (no admin token: the link is the credential); ETag/Last-Modified, 304, gzip, HEAD',
    auth: 'none',
    params: z.object({ token: z.string() }),
    responses: {
      '200': { description: 'the calendar', contentType: 'text/calendar', schema: z.string() },
      '304': { description: 'not modified', contentType: 'text/calendar' },
      '404': { description: 'unknown, rotated or revoked token', contentType: 'text/plain' },
      '429': {
        description: 'too many wrong feed links from this address (http.feedTokenFailuresPerMinute)',
        contentType: 'text/plain',
        headers: { 'retry-after': 'seconds until the address may try again' },
      },
    },
  },
} as const satisfies Record<string, RouteDoc>;
