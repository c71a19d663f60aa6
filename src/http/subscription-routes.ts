import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { DaemonContext } from '../daemon/context.js';
import {
  listSubscribable,
  subscribeUser,
  subscriptionStoreOf,
  unsubscribeUser,
} from '../daemon/subscription-service.js';
import { userParams } from './api-answers.js';
import { errorAnswer } from './public-routes.js';
import { addRoute, jsonAnswer as json, type RouteDoc } from './route-spec.js';

// Subscribed calendars in the admin API (behind the admin token, registered by server.ts).

const errors = {
  '400': json('invalid input', errorAnswer),
  '401': json('missing or wrong admin token', errorAnswer),
  '404': json('no such user or subscription', errorAnswer),
  '409': json('kakao.adminKey is not configured', errorAnswer),
};

const catalogueQuery = z.strictObject({
  category: z.string().min(1).optional(),
  subcategory: z.string().min(1).optional().meta({ description: 'needs category' }),
});
const subscribeBody = z.strictObject({ calendarId: z.string().min(1) });
const subscription = z.looseObject({
  calendarId: z.string(),
  name: z.string().optional(),
  subscribedAt: z.string(),
  refreshedAt: z.string().optional(),
  deferredWindows: z.number().int().optional(),
});
const subscribable = z.looseObject({
  category: z.string(),
  subcategory: z.string().optional(),
  id: z.string(),
  name: z.string(),
});

export const subscriptionRouteDocs = {
  catalogue: {
    method: 'get',
    url: '/api/subscribable',
    summary: 'Subscribable calendars by category (admin key)',
    auth: 'admin',
    query: catalogueQuery,
    responses: { '200': json('calendars', z.object({ calendars: z.array(subscribable) })), ...errors },
  },
  list: {
    method: 'get',
    url: '/api/users/:userId/subscriptions',
    summary: "A user's subscribed calendars",
    auth: 'admin',
    params: userParams,
    responses: {
      '200': json('subscriptions', z.object({ subscriptions: z.array(subscription) })),
      ...errors,
    },
  },
  subscribe: {
    method: 'post',
    url: '/api/users/:userId/subscriptions',
    summary: 'Subscribe the user; the calendar then appears read-only in their published feeds',
    auth: 'admin',
    params: userParams,
    body: subscribeBody,
    responses: { '201': json('the subscription', subscription), ...errors },
  },
  unsubscribe: {
    method: 'delete',
    url: '/api/users/:userId/subscriptions/:calendarId',
    summary: 'Unsubscribe the user',
    auth: 'admin',
    params: userParams.extend({ calendarId: z.string() }),
    responses: { '204': { description: 'unsubscribed', contentType: 'application/json' }, ...errors },
  },
} as const satisfies Record<string, RouteDoc>;

export function registerSubscriptionRoutes(app: FastifyInstance, ctx: DaemonContext): void {
  const docs = subscriptionRouteDocs;
  addRoute(app, docs.catalogue, async ({ query }) => ({
    calendars: await listSubscribable(ctx, {
      ...(query.category ? { categoryName: query.category } : {}),
      ...(query.subcategory ? { subcategoryName: query.subcategory } : {}),
    }),
  }));
  addRoute(app, docs.list, async ({ params }) => {
    await ctx.registry.users.get(params.userId);
    return { subscriptions: await subscriptionStoreOf(ctx).list(params.userId) };
  });
  addRoute(app, docs.subscribe, async ({ params, body }, _request, reply) =>
    reply.code(201).send(await subscribeUser(ctx, params.userId, body.calendarId)),
  );
  addRoute(app, docs.unsubscribe, async ({ params }, _request, reply) => {
    const removed = await unsubscribeUser(ctx, params.userId, params.calendarId);
    return reply.code(removed ? 204 : 404).send();
  });
}
