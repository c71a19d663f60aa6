import { z } from 'zod';
import { newUserSchema, userPatchSchema } from '../daemon/user-service.js';
import { linkSchema } from '../model/link.js';
import {
  appStatusAnswer,
  conflictsAnswer,
  finishedAnswer,
  linkAnswer,
  linkParams,
  linkStatusAnswer,
  linksAnswer,
  removalAnswer,
  renameAnswer,
  resolvedAnswer,
  syncQuery,
  triggerAnswer,
  userAnswer,
  userParams,
  userStatusAnswer,
  usersAnswer,
} from './api-answers.js';
import { errorAnswer } from './public-routes.js';
import { jsonAnswer as json, type RouteDoc } from './route-spec.js';

// The users-and-links part of the admin API (admin-routes.ts registers them with their handlers).

export const adminErrors = {
  '400': json('invalid input', errorAnswer),
  '401': json('missing or wrong admin token', errorAnswer),
  '404': json('no such user or link', errorAnswer),
};
/** The query of a paged listing (`?limit=&cursor=`), for the API's schema and its documentation. */
const pageQuerySchema = z.object({
  limit: z.string().optional().describe('items on this page (default limits.listPageSize)'),
  cursor: z.string().optional().describe('the `next` of the previous page; absent for the first'),
});

const none = (description: string) => ({ description, contentType: 'application/json' });
const admin = 'admin' as const;

export const renameBody = z.strictObject({ name: z.string().meta({ description: 'the new name' }) });
export const removeQuery = z.strictObject({
  deleteCalendar: z
    .enum(['true', 'false'])
    .optional()
    .meta({ description: 'also delete the sub-calendar the daemon created for the link' }),
});
export const resolveBody = z.strictObject({
  choice: z.enum(['source', 'kakao']),
  items: z.union([z.literal('all'), z.array(z.string().min(1)).min(1)]).default('all'),
});
export const conflictsQuery = z.object({
  linkId: z.string().optional().meta({ description: 'one link only' }),
});
const notAvailable = json('conflict resolution is not available in this build', errorAnswer);

export const adminRouteDocs = {
  status: {
    method: 'get',
    url: '/api/status',
    summary: 'Users by state, queue depth and lag, quota',
    auth: admin,
    responses: { '200': json('status', appStatusAnswer), '401': adminErrors['401'] },
  },
  listUsers: {
    method: 'get',
    url: '/api/users',
    summary: 'List users, one page in id order',
    auth: admin,
    query: pageQuerySchema,
    responses: { '200': json('users', usersAnswer), '400': adminErrors['400'], '401': adminErrors['401'] },
  },
  addUser: {
    method: 'post',
    url: '/api/users',
    summary: 'Add or update a user (tokens optional; stored encrypted)',
    auth: admin,
    body: newUserSchema,
    bodyParsedByService: true,
    responses: { '201': json('the user', userAnswer), ...adminErrors },
  },
  getUser: {
    method: 'get',
    url: '/api/users/:userId',
    summary: 'User status',
    auth: admin,
    params: userParams,
    responses: { '200': json('status', userStatusAnswer), ...adminErrors },
  },
  patchUser: {
    method: 'patch',
    url: '/api/users/:userId',
    summary: 'Change time zone, interval or state (active/paused)',
    auth: admin,
    params: userParams,
    body: userPatchSchema,
    bodyParsedByService: true,
    responses: { '200': json('the user', userAnswer), ...adminErrors },
  },
  removeUser: {
    method: 'delete',
    url: '/api/users/:userId',
    summary: 'Remove the user and their links',
    auth: admin,
    params: userParams,
    responses: { '204': none('removed'), ...adminErrors },
  },
  userStatus: {
    method: 'get',
    url: '/api/users/:userId/status',
    summary: 'Last run, per-link counts, warnings, quarantined, conflicts',
    auth: admin,
    params: userParams,
    responses: { '200': json('status', userStatusAnswer), ...adminErrors },
  },
  listLinks: {
    method: 'get',
    url: '/api/users/:userId/links',
    summary: 'List links',
    auth: admin,
    params: userParams,
    responses: { '200': json('links', linksAnswer), ...adminErrors },
  },
  addLink: {
    method: 'post',
    url: '/api/users/:userId/links',
    summary: 'Add a link (a fourth own sub-calendar is refused with 409)',
    auth: admin,
    params: userParams,
    body: linkSchema,
    bodyParsedByService: true,
    responses: {
      '201': json('the link', linkAnswer),
      '409': json('sub-calendar limit', errorAnswer),
      ...adminErrors,
    },
  },
  getLink: {
    method: 'get',
    url: '/api/users/:userId/links/:linkId',
    summary: 'One link',
    auth: admin,
    params: linkParams,
    responses: { '200': json('the link', linkAnswer), ...adminErrors },
  },
  replaceLink: {
    method: 'put',
    url: '/api/users/:userId/links/:linkId',
    summary: 'Replace a link (its id is the one in the path)',
    auth: admin,
    params: linkParams,
    body: linkSchema,
    bodyParsedByService: true,
    responses: { '200': json('the link', linkAnswer), ...adminErrors },
  },
  renameLink: {
    method: 'patch',
    url: '/api/users/:userId/links/:linkId',
    summary: 'Rename the link and, in Talk Calendar, the sub-calendar it fills',
    auth: admin,
    params: linkParams,
    body: renameBody,
    responses: { '200': json('the link and whether its calendar was renamed', renameAnswer), ...adminErrors },
  },
  removeLink: {
    method: 'delete',
    url: '/api/users/:userId/links/:linkId',
    summary:
      'Remove a link; deleteCalendar=true also deletes the sub-calendar the daemon created for it ' +
      '(with no link left, the calendar a removal left behind)',
    auth: admin,
    params: linkParams,
    query: removeQuery,
    responses: {
      '200': json('removed; what happened to its sub-calendar (deleted, or left)', removalAnswer),
      '204': none('removed (no sub-calendar)'),
      '409': json(
        'the calendar is not deleted (not created by the daemon, or another link fills it)',
        errorAnswer,
      ),
      ...adminErrors,
    },
  },
  linkStatus: {
    method: 'get',
    url: '/api/users/:userId/links/:linkId/status',
    summary: "The link's part of the last run",
    auth: admin,
    params: linkParams,
    responses: { '200': json('status', linkStatusAnswer), ...adminErrors },
  },
  sync: {
    method: 'post',
    url: '/api/users/:userId/sync',
    summary: 'Trigger a sync ahead of the schedule (deduplicated); wait=true returns the result',
    auth: admin,
    params: userParams,
    query: syncQuery,
    responses: {
      '202': json('queued', triggerAnswer),
      '200': json('finished', finishedAnswer),
      '409': json('the sync failed', errorAnswer),
      ...adminErrors,
    },
  },
  dryRun: {
    method: 'post',
    url: '/api/users/:userId/dry-run',
    summary: 'The plan of a sync without applying it',
    auth: admin,
    params: userParams,
    query: syncQuery,
    responses: { '200': json('the plan', finishedAnswer), ...adminErrors },
  },
  conflicts: {
    method: 'get',
    url: '/api/users/:userId/conflicts',
    summary: 'Pending conflicts of manual links',
    auth: admin,
    params: userParams,
    query: conflictsQuery,
    responses: { '200': json('conflicts', conflictsAnswer), '501': notAvailable, ...adminErrors },
  },
  resolve: {
    method: 'post',
    url: '/api/users/:userId/links/:linkId/conflicts/resolve',
    summary: 'Keep the source or the Kakao version, for some items or all',
    auth: admin,
    params: linkParams,
    body: resolveBody,
    responses: {
      '200': json('resolved (applied by the next sync)', resolvedAnswer),
      '409': json('the link resolves conflicts itself', errorAnswer),
      '501': notAvailable,
      ...adminErrors,
    },
  },
} as const satisfies Record<string, RouteDoc>;
