// The published-feed routes in the admin API's OpenAPI document (merged by src/http/openapi.ts).

const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const userId = { name: 'userId', in: 'path', required: true, schema: { type: 'string' } };
const feedId = { name: 'feedId', in: 'path', required: true, schema: { type: 'string' } };
const error = json({ type: 'object', properties: { error: { type: 'string' }, kind: { type: 'string' } } });
const errors = {
  '400': { description: 'invalid feed definition', ...error },
  '401': { description: 'missing or wrong admin token', ...error },
  '404': { description: 'no such user or feed', ...error },
};

const feed = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    userId: { type: 'string' },
    kind: { enum: ['all', 'calendar', 'tasks', 'holidays'] },
    calendarId: { type: 'string' },
    otherAppEvents: { enum: ['busy', 'hide'] },
    name: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    rotatedAt: { type: 'string', format: 'date-time' },
  },
};

const issued = json({
  type: 'object',
  description: 'The token is shown here only: the daemon stores its SHA-256.',
  properties: {
    feed,
    token: { type: 'string' },
    url: { type: 'string', format: 'uri' },
    webcal: { type: 'string', description: 'webcal:// link for one-click subscription' },
  },
});

export const feedApiPaths = {
  '/api/users/{userId}/feeds': {
    parameters: [userId],
    get: {
      summary: "The user's published ICS feeds (without links)",
      responses: {
        '200': {
          description: 'feeds',
          ...json({ type: 'object', properties: { feeds: { type: 'array', items: feed } } }),
        },
        ...errors,
      },
    },
    post: {
      summary: 'Publish a feed: all calendars, one calendar, tasks or Korean holidays',
      requestBody: json({
        type: 'object',
        properties: {
          kind: { enum: ['all', 'calendar', 'tasks', 'holidays'], default: 'all' },
          calendarId: { type: 'string', description: "for kind 'calendar': 'primary' or a sub-calendar id" },
          otherAppEvents: { enum: ['busy', 'hide'] },
          name: { type: 'string' },
        },
      }),
      responses: { '201': { description: 'created', ...issued }, ...errors },
    },
  },
  '/api/users/{userId}/feeds/{feedId}/rotate': {
    parameters: [userId, feedId],
    post: {
      summary: 'A new link for the feed (the old one answers 404)',
      responses: { '200': { description: 'rotated', ...issued }, ...errors },
    },
  },
  '/api/users/{userId}/feeds/{feedId}': {
    parameters: [userId, feedId],
    delete: {
      summary: 'Stop publishing the feed',
      responses: { '204': { description: 'revoked' }, ...errors },
    },
  },
  '/api/feeds/holidays/refresh': {
    post: {
      summary: 'Read the Korean holidays of the sync horizon from Kakao (admin key) for holidays feeds',
      responses: {
        '200': { description: 'stored' },
        '409': { description: 'publish.includeHolidays is off', ...error },
      },
    },
  },
  '/feeds/{token}.ics': {
    parameters: [{ name: 'token', in: 'path', required: true, schema: { type: 'string' } }],
    get: {
      summary:
        'A published feed (no admin token: the link is the credential); ETag/Last-Modified, 304, gzip, HEAD',
      security: [],
      responses: {
        '200': { description: 'the calendar', content: { 'text/calendar': { schema: { type: 'string' } } } },
        '304': { description: 'not modified' },
        '404': { description: 'unknown, rotated or revoked token' },
      },
    },
  },
} as const;
