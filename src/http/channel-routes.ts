import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { channelUserId } from '../channel/channel-user.js';
import {
  channelView,
  listChannels,
  parseChannelId,
  putChannelLink,
  removeChannelLink,
} from '../daemon/channel-service.js';
import type { DaemonContext } from '../daemon/context.js';
import { type FollowInput, followForUsers, unfollowForUsers } from '../daemon/follow-service.js';

// Channel links in the admin API (behind the admin token, registered by server.ts): an ICS feed or
// CalDAV collection bound to the service's Talk Channel, kept as its public events.

type Params = { channelPublicId: string; linkId: string };

const syncQuery = z.object({
  wait: z.enum(['true', 'false']).optional(),
  force: z.enum(['true', 'false']).optional(),
  timeoutMs: z.coerce.number().int().min(1).max(3_600_000).optional(),
});

export function registerChannelRoutes(app: FastifyInstance, ctx: DaemonContext): void {
  app.get('/api/channels', async () => ({ channels: await listChannels(ctx) }));
  app.get<{ Params: Params }>('/api/channels/:channelPublicId', async (request) =>
    channelView(ctx, request.params.channelPublicId),
  );
  app.post<{ Params: Params }>('/api/channels/:channelPublicId/links', async (request, reply) =>
    reply.code(201).send((await putChannelLink(ctx, request.params.channelPublicId, request.body)).link),
  );
  app.put<{ Params: Params }>('/api/channels/:channelPublicId/links/:linkId', async (request) => {
    const body = { ...(request.body as object), id: request.params.linkId };
    return (await putChannelLink(ctx, request.params.channelPublicId, body)).link;
  });
  app.delete<{ Params: Params }>('/api/channels/:channelPublicId/links/:linkId', async (request, reply) => {
    const removed = await removeChannelLink(ctx, request.params.channelPublicId, request.params.linkId);
    return reply.code(removed ? 204 : 404).send();
  });
  // Follow: each user's relationship with the channel is checked first; the answer reports who
  // was followed for, who was skipped (blocked, never added, no consent, tokens) and what failed.
  app.post<{ Params: Params }>('/api/channels/:channelPublicId/follow', async (request) =>
    followForUsers(ctx, request.params.channelPublicId, request.body as FollowInput),
  );
  app.post<{ Params: Params }>('/api/channels/:channelPublicId/unfollow', async (request) =>
    unfollowForUsers(ctx, request.params.channelPublicId, request.body as FollowInput),
  );
  app.post<{ Params: Params; Querystring: Record<string, string> }>(
    '/api/channels/:channelPublicId/sync',
    async (request, reply) => {
      const userId = channelUserId(parseChannelId(request.params.channelPublicId));
      const query = syncQuery.parse(request.query);
      await ctx.registry.users.get(userId);
      const force = query.force === 'true';
      if (query.wait !== 'true') return reply.code(202).send(await ctx.queue.trigger(userId, { force }));
      return ctx.queue.triggerAndWait(userId, { force }, query.timeoutMs);
    },
  );
}
