import { z } from 'zod';
import { followInputSchema } from '../daemon/follow-service.js';
import { channelTargetSchema } from '../model/channel-target.js';
import { linkSchema, sourceConfigSchema } from '../model/link.js';
import { finishedAnswer, linkAnswer, syncQuery, triggerAnswer, userAnswer } from './api-answers.js';
import { errorAnswer } from './public-routes.js';
import { jsonAnswer as json, type RouteDoc } from './route-spec.js';

// The channel-link part of the admin API (channel-routes.ts registers them with their handlers).

const channelErrors = {
  '400': json('invalid link, channel or button', errorAnswer),
  '401': json('missing or wrong admin token', errorAnswer),
  '404': json('no such channel or link', errorAnswer),
  '409': json('kakao.adminKey is not configured', errorAnswer),
};
const none = (description: string) => ({ description, contentType: 'application/json' });
const admin = 'admin' as const;

export const channelParams = z.object({
  channelPublicId: z.string().meta({
    description:
      'The Talk Channel ID (the end of its pf.kakao.com URL, e.g. _ZeUTxl), checked by the service',
  }),
});
export const channelLinkParams = channelParams.extend({ linkId: z.string() });

/** A link (see linkSchema) whose target is the channel of the path: its kind and id come from there. */
export const channelLinkBody = z
  .object({
    id: linkSchema.shape.id,
    name: z.string().max(100).optional(),
    source: sourceConfigSchema,
    target: channelTargetSchema.omit({ kind: true, channelPublicId: true }).optional(),
  })
  .meta({ description: 'any other field of a link (linkSchema) is taken as well' });

const perUser = z.record(z.string(), z.array(z.string())).meta({ description: 'user id → public event ids' });
const skipped = z.array(
  z.object({
    userId: z.string(),
    reason: z
      .string()
      .meta({ description: 'blocked, not-added, no-consent, not-talk-user, unchecked, or a token error' }),
  }),
);
const failed = z.array(z.object({ userId: z.string(), eventId: z.string(), error: z.string() }));
export const followAnswer = z.looseObject({ followed: perUser, skipped, failed });
export const unfollowAnswer = z.looseObject({ unfollowed: perUser, skipped, failed });

const channelView = z.looseObject({
  channelPublicId: z.string(),
  userId: z.string(),
  user: userAnswer,
  links: z.array(linkAnswer),
});
const channelDetail = channelView.extend({
  relations: z.record(z.string(), z.object({ verdict: z.string(), checkedAt: z.string() })),
  lastFollowReport: z.looseObject({}).nullable().meta({ description: 'the last follow pass' }),
  audiences: z
    .record(z.string(), z.looseObject({}).nullable())
    .meta({ description: 'link id → last audience pass' }),
});

export const channelRouteDocs = {
  list: {
    method: 'get',
    url: '/api/channels',
    summary: 'Channels with links',
    auth: admin,
    responses: { '200': json('channels', z.object({ channels: z.array(channelView) })), ...channelErrors },
  },
  get: {
    method: 'get',
    url: '/api/channels/:channelPublicId',
    summary: "A channel's pseudo-user and links",
    auth: admin,
    params: channelParams,
    responses: { '200': json('channel', channelDetail), ...channelErrors },
  },
  addLink: {
    method: 'post',
    url: '/api/channels/:channelPublicId/links',
    summary: 'Bind a feed or CalDAV collection to the Talk Channel (kept as public events)',
    auth: admin,
    params: channelParams,
    body: channelLinkBody,
    bodyParsedByService: true,
    responses: { '201': json('the link', linkAnswer), ...channelErrors },
  },
  replaceLink: {
    method: 'put',
    url: '/api/channels/:channelPublicId/links/:linkId',
    summary: 'Replace a channel link',
    auth: admin,
    params: channelLinkParams,
    body: channelLinkBody,
    bodyParsedByService: true,
    responses: { '200': json('the link', linkAnswer), ...channelErrors },
  },
  removeLink: {
    method: 'delete',
    url: '/api/channels/:channelPublicId/links/:linkId',
    summary: 'Remove a channel link',
    auth: admin,
    params: channelLinkParams,
    responses: { '204': none('removed'), ...channelErrors },
  },
  follow: {
    method: 'post',
    url: '/api/channels/:channelPublicId/follow',
    summary: "Add public events to users' calendars (their channel relationship is checked first)",
    auth: admin,
    params: channelParams,
    body: followInputSchema,
    bodyParsedByService: true,
    responses: { '200': json('followed, skipped (with reasons) and failed', followAnswer), ...channelErrors },
  },
  unfollow: {
    method: 'post',
    url: '/api/channels/:channelPublicId/unfollow',
    summary: "Remove public events from users' calendars",
    auth: admin,
    params: channelParams,
    body: followInputSchema,
    bodyParsedByService: true,
    responses: { '200': json('unfollowed, skipped and failed', unfollowAnswer), ...channelErrors },
  },
  sync: {
    method: 'post',
    url: '/api/channels/:channelPublicId/sync',
    summary: "Sync the channel's links now",
    auth: admin,
    params: channelParams,
    query: syncQuery,
    responses: {
      '202': json('queued', triggerAnswer),
      '200': json('finished', finishedAnswer),
      ...channelErrors,
    },
  },
} as const satisfies Record<string, RouteDoc>;
