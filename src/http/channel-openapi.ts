// The channel-link routes in the admin API's OpenAPI document (merged by src/http/openapi.ts).

const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const channel = {
  name: 'channelPublicId',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^_[A-Za-z0-9]{1,30}$' },
  description: 'The Talk Channel ID (the end of its pf.kakao.com URL, e.g. _ZeUTxl)',
};
const linkId = { name: 'linkId', in: 'path', required: true, schema: { type: 'string' } };
const error = json({ type: 'object', properties: { error: { type: 'string' }, kind: { type: 'string' } } });
const errors = {
  '400': { description: 'invalid link, channel or button', ...error },
  '401': { description: 'missing or wrong admin token', ...error },
  '404': { description: 'no such channel or link', ...error },
  '409': { description: 'kakao.adminKey is not configured', ...error },
};
const button = {
  type: 'object',
  required: ['title'],
  properties: {
    title: { enum: ['시청하기', '예매하기', '예약하기', '참여하기', '상세보기'] },
    webUrl: { type: 'string', format: 'uri' },
    mobileWebUrl: { type: 'string', format: 'uri' },
  },
  description: 'webUrl or mobileWebUrl is required',
};
const channelLink = {
  type: 'object',
  required: ['id', 'source'],
  description: 'A link (see Link) whose target is the channel; the channel comes from the path.',
  properties: {
    id: { type: 'string' },
    source: { type: 'object' },
    target: {
      type: 'object',
      properties: {
        buttons: {
          type: 'object',
          properties: { before: button, after: button, display: { type: 'boolean' } },
        },
        followers: {
          type: 'array',
          items: { type: 'string' },
          description: 'users for whom every public event of the link is followed',
        },
        audience: {
          type: 'object',
          properties: { fileName: { type: 'string', maxLength: 50 } },
          description: "a customer file kept in step with the link's followers (needs kakao.restApiKey)",
        },
      },
    },
  },
};

const followBody = {
  type: 'object',
  required: ['userIds'],
  description: 'eventIds, or linkId for every public event of that link',
  properties: {
    userIds: { type: 'array', items: { type: 'string' } },
    eventIds: { type: 'array', items: { type: 'string' } },
    linkId: { type: 'string' },
    calendarId: { type: 'string', description: "the follower's calendar (default primary)" },
  },
};
const followReport = {
  type: 'object',
  properties: {
    followed: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
    skipped: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          userId: { type: 'string' },
          reason: {
            description: 'blocked, not-added, no-consent, not-talk-user, unchecked, or a token error',
          },
        },
      },
    },
    failed: { type: 'array', items: { type: 'object' } },
  },
};

const userId = { name: 'userId', in: 'path', required: true, schema: { type: 'string' } };
const calendarId = { name: 'calendarId', in: 'path', required: true, schema: { type: 'string' } };

export const channelApiPaths = {
  '/api/subscribable': {
    parameters: [
      { name: 'category', in: 'query', schema: { type: 'string' } },
      { name: 'subcategory', in: 'query', schema: { type: 'string' }, description: 'needs category' },
    ],
    get: {
      summary: 'Subscribable calendars by category (admin key)',
      responses: { '200': { description: 'calendars' }, ...errors },
    },
  },
  '/api/users/{userId}/subscriptions': {
    parameters: [userId],
    get: {
      summary: "A user's subscribed calendars",
      responses: { '200': { description: 'subscriptions' }, ...errors },
    },
    post: {
      summary: 'Subscribe the user; the calendar then appears read-only in their published feeds',
      requestBody: json({
        type: 'object',
        required: ['calendarId'],
        properties: { calendarId: { type: 'string' } },
      }),
      responses: { '201': { description: 'the subscription' }, ...errors },
    },
  },
  '/api/users/{userId}/subscriptions/{calendarId}': {
    parameters: [userId, calendarId],
    delete: {
      summary: 'Unsubscribe the user',
      responses: { '204': { description: 'unsubscribed' }, ...errors },
    },
  },
  '/api/channels': {
    get: { summary: 'Channels with links', responses: { '200': { description: 'channels' }, ...errors } },
  },
  '/api/channels/{channelPublicId}': {
    parameters: [channel],
    get: {
      summary: "A channel's pseudo-user and links",
      responses: { '200': { description: 'channel' }, ...errors },
    },
  },
  '/api/channels/{channelPublicId}/links': {
    parameters: [channel],
    post: {
      summary: 'Bind a feed or CalDAV collection to the Talk Channel (kept as public events)',
      requestBody: json(channelLink),
      responses: { '201': { description: 'the link' }, ...errors },
    },
  },
  '/api/channels/{channelPublicId}/links/{linkId}': {
    parameters: [channel, linkId],
    put: {
      summary: 'Replace a channel link',
      requestBody: json(channelLink),
      responses: { '200': { description: 'the link' }, ...errors },
    },
    delete: { summary: 'Remove a channel link', responses: { '204': { description: 'removed' }, ...errors } },
  },
  '/api/channels/{channelPublicId}/follow': {
    parameters: [channel],
    post: {
      summary: "Add public events to users' calendars (their channel relationship is checked first)",
      requestBody: json(followBody),
      responses: {
        '200': { description: 'followed, skipped (with reasons) and failed', ...json(followReport) },
        ...errors,
      },
    },
  },
  '/api/channels/{channelPublicId}/unfollow': {
    parameters: [channel],
    post: {
      summary: "Remove public events from users' calendars",
      requestBody: json(followBody),
      responses: { '200': { description: 'unfollowed, skipped and failed' }, ...errors },
    },
  },
  '/api/channels/{channelPublicId}/sync': {
    parameters: [
      channel,
      { name: 'wait', in: 'query', schema: { enum: ['true', 'false'] } },
      { name: 'force', in: 'query', schema: { enum: ['true', 'false'] } },
    ],
    post: {
      summary: "Sync the channel's links now",
      responses: { '202': { description: 'queued' }, ...errors },
    },
  },
} as const;
