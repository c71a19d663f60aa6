import type { FastifyInstance } from 'fastify';
import { appStatus } from '../daemon/app-status.js';
import type { ConflictPort } from '../daemon/conflicts.js';
import type { DaemonContext } from '../daemon/context.js';
import { removeLink, renameLink } from '../daemon/link-calendar.js';
import { putLink } from '../daemon/link-service.js';
import { userStatus } from '../daemon/status.js';
import { addUser, patchUser, removeUser } from '../daemon/user-service.js';
import { publicLink } from '../registry/link-store.js';
import { pageRequest } from '../registry/page-request.js';
import { adminRouteDocs as docs } from './admin-route-docs.js';
import { addRoute } from './route-spec.js';

// The admin API under /api (behind the admin bearer token, registered by server.ts). Answers never
// carry tokens or source credentials: users and links are returned in their public views. What each
// route accepts and answers is in admin-route-docs.ts.

export function registerAdminRoutes(
  app: FastifyInstance,
  ctx: DaemonContext,
  conflicts?: ConflictPort,
): void {
  const { registry, queue } = ctx;

  addRoute(app, docs.status, async () => appStatus(ctx));
  // One page in id order; `next` is the cursor of the following page (null after the last).
  addRoute(app, docs.listUsers, async ({ query }) => {
    const page = await registry.users.page(pageRequest(query, ctx.config.limits));
    return { users: page.items, next: page.next };
  });
  addRoute(app, docs.addUser, async ({ body }, _request, reply) =>
    reply.code(201).send(await addUser(ctx, body)),
  );
  addRoute(app, docs.getUser, async ({ params }) => userStatus(ctx, params.userId));
  addRoute(app, docs.patchUser, async ({ params, body }) => patchUser(ctx, params.userId, body));
  addRoute(app, docs.removeUser, async ({ params }, _request, reply) => {
    const removed = await removeUser(ctx, params.userId);
    return reply.code(removed ? 204 : 404).send();
  });

  addRoute(app, docs.listLinks, async ({ params }) => {
    await registry.users.get(params.userId);
    return { links: await registry.links.list(params.userId) };
  });
  addRoute(app, docs.addLink, async ({ params, body }, _request, reply) =>
    reply.code(201).send((await putLink(ctx, params.userId, body)).link),
  );
  addRoute(app, docs.getLink, async ({ params }) =>
    publicLink(await registry.links.get(params.userId, params.linkId)),
  );
  addRoute(app, docs.replaceLink, async ({ params, body }) => {
    const link = { ...(body as object), id: params.linkId };
    return (await putLink(ctx, params.userId, link)).link;
  });
  // Renames the link and its sub-calendar in Talk Calendar.
  addRoute(app, docs.renameLink, async ({ params, body }) =>
    renameLink(ctx, params.userId, params.linkId, body.name),
  );
  // deleteCalendar=true deletes the sub-calendar the daemon created; otherwise it is left and the
  // answer says so.
  addRoute(app, docs.removeLink, async ({ params, query }, _request, reply) => {
    const { userId, linkId } = params;
    const deleteCalendar = query.deleteCalendar === 'true';
    const removal = await removeLink(ctx, userId, linkId, { deleteCalendar });
    if (!removal.removed && !removal.calendar) return reply.code(404).send({ error: removal.message });
    if (!removal.calendar) return reply.code(204).send();
    return removal;
  });

  addRoute(app, docs.userStatus, async ({ params }) => userStatus(ctx, params.userId));
  addRoute(app, docs.linkStatus, async ({ params }, _request, reply) => {
    const { userId, linkId } = params;
    const status = await userStatus(ctx, userId);
    const link = status.links.find((l) => l.id === linkId);
    if (!link) return reply.code(404).send({ error: `link ${linkId} of user ${userId} does not exist` });
    return {
      link,
      lastRun: status.lastRun,
      run: status.linkRuns.find((r) => r.linkId === linkId) ?? null,
      backoff: status.backoff[linkId] ?? null,
    };
  });

  addRoute(app, docs.sync, async ({ params, query }, _request, reply) => {
    await registry.users.get(params.userId);
    const force = query.force === 'true';
    if (query.wait !== 'true') return reply.code(202).send(await queue.trigger(params.userId, { force }));
    return queue.triggerAndWait(params.userId, { force }, query.timeoutMs);
  });
  addRoute(app, docs.dryRun, async ({ params, query }) => {
    await registry.users.get(params.userId);
    const options = { dryRun: true, force: query.force === 'true' };
    const { jobId, outcome } = await queue.triggerAndWait(params.userId, options, query.timeoutMs);
    return { jobId, outcome };
  });

  addRoute(app, docs.conflicts, async ({ params, query }, _request, reply) => {
    if (!conflicts)
      return reply.code(501).send({ error: 'conflict resolution is not available in this build' });
    await registry.users.get(params.userId);
    return { conflicts: await conflicts.list(params.userId, query.linkId) };
  });
  addRoute(app, docs.resolve, async ({ params, body }, _request, reply) => {
    if (!conflicts)
      return reply.code(501).send({ error: 'conflict resolution is not available in this build' });
    const { userId, linkId } = params;
    const link = await registry.links.get(userId, linkId);
    if (link.conflict !== 'manual') {
      return reply.code(409).send({ error: `link ${linkId} resolves conflicts itself (${link.conflict})` });
    }
    const resolved = await conflicts.resolve(userId, linkId, body.choice, body.items);
    return { resolved, note: 'applied by the next sync of the user' };
  });
}
