import type { FastifyInstance } from 'fastify';
import { channelUserId } from '../channel/channel-user.js';
import {
  channelView,
  listChannels,
  parseChannelId,
  putChannelLink,
  removeChannelLink,
} from '../daemon/channel-service.js';
import type { DaemonContext } from '../daemon/context.js';
import { followForUsers, unfollowForUsers } from '../daemon/follow-service.js';
import { channelRouteDocs as docs } from './channel-route-docs.js';
import { addRoute } from './route-spec.js';

// Channel links in the admin API (behind the admin token, registered by server.ts): an ICS feed or
// CalDAV collection bound to the service's Talk Channel, kept as its public events.

export function registerChannelRoutes(app: FastifyInstance, ctx: DaemonContext): void {
  addRoute(app, docs.list, async () => ({ channels: await listChannels(ctx) }));
  addRoute(app, docs.get, async ({ params }) => channelView(ctx, params.channelPublicId));
  addRoute(app, docs.addLink, async ({ params, body }, _request, reply) =>
    reply.code(201).send((await putChannelLink(ctx, params.channelPublicId, body)).link),
  );
  addRoute(app, docs.replaceLink, async ({ params, body }) => {
    const link = { ...(body as object), id: params.linkId };
    return (await putChannelLink(ctx, params.channelPublicId, link)).link;
  });
  addRoute(app, docs.removeLink, async ({ params }, _request, reply) => {
    const removed = await removeChannelLink(ctx, params.channelPublicId, params.linkId);
    return reply.code(removed ? 204 : 404).send();
  });
  // Follow: each user's relationship with the channel is checked first; the answer reports who
  // was followed for, who was skipped (blocked, never added, no consent, tokens) and what failed.
  addRoute(app, docs.follow, async ({ params, body }) => followForUsers(ctx, params.channelPublicId, body));
  addRoute(app, docs.unfollow, async ({ params, body }) =>
    unfollowForUsers(ctx, params.channelPublicId, body),
  );
  addRoute(app, docs.sync, async ({ params, query }, _request, reply) => {
    const userId = channelUserId(parseChannelId(params.channelPublicId));
    await ctx.registry.users.get(userId);
    const force = query.force === 'true';
    if (query.wait !== 'true') return reply.code(202).send(await ctx.queue.trigger(userId, { force }));
    return ctx.queue.triggerAndWait(userId, { force }, query.timeoutMs);
  });
}
