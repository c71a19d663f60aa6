import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { DaemonContext } from '../daemon/context.js';
import {
  listSubscribable,
  subscribeUser,
  subscriptionStoreOf,
  unsubscribeUser,
} from '../daemon/subscription-service.js';

// Subscribed calendars in the admin API (behind the admin token, registered by server.ts).

type Params = { userId: string; calendarId: string };

const catalogueQuery = z.strictObject({
  category: z.string().min(1).optional(),
  subcategory: z.string().min(1).optional(),
});
const subscribeBody = z.strictObject({ calendarId: z.string().min(1) });

export function registerSubscriptionRoutes(app: FastifyInstance, ctx: DaemonContext): void {
  app.get<{ Querystring: Record<string, string> }>('/api/subscribable', async (request) => {
    const q = catalogueQuery.parse(request.query);
    return {
      calendars: await listSubscribable(ctx, {
        ...(q.category ? { categoryName: q.category } : {}),
        ...(q.subcategory ? { subcategoryName: q.subcategory } : {}),
      }),
    };
  });
  app.get<{ Params: Params }>('/api/users/:userId/subscriptions', async (request) => {
    await ctx.registry.users.get(request.params.userId);
    return { subscriptions: await subscriptionStoreOf(ctx).list(request.params.userId) };
  });
  app.post<{ Params: Params }>('/api/users/:userId/subscriptions', async (request, reply) => {
    const body = subscribeBody.parse(request.body ?? {});
    return reply.code(201).send(await subscribeUser(ctx, request.params.userId, body.calendarId));
  });
  app.delete<{ Params: Params }>('/api/users/:userId/subscriptions/:calendarId', async (request, reply) => {
    const removed = await unsubscribeUser(ctx, request.params.userId, request.params.calendarId);
    return reply.code(removed ? 204 : 404).send();
  });
}
