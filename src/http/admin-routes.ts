import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { appStatus } from '../daemon/app-status.js';
import type { ConflictPort } from '../daemon/conflicts.js';
import type { DaemonContext } from '../daemon/context.js';
import { removeLink, renameLink } from '../daemon/link-calendar.js';
import { putLink } from '../daemon/link-service.js';
import { userStatus } from '../daemon/status.js';
import { addUser, patchUser, removeUser } from '../daemon/user-service.js';
import { publicLink } from '../registry/link-store.js';
import { pageQuerySchema, pageRequest } from '../registry/page-request.js';

// The admin API under /api (behind the admin bearer token, registered by server.ts). Answers never
// carry tokens or source credentials: users and links are returned in their public views.

const syncQuery = z.object({
  wait: z.enum(['true', 'false']).optional(),
  force: z.enum(['true', 'false']).optional(),
  timeoutMs: z.coerce.number().int().min(1).max(3_600_000).optional(),
});

const renameBody = z.strictObject({ name: z.string() });
const removeQuery = z.strictObject({ deleteCalendar: z.enum(['true', 'false']).optional() });

const resolveBody = z.strictObject({
  choice: z.enum(['source', 'kakao']),
  items: z.union([z.literal('all'), z.array(z.string().min(1)).min(1)]).default('all'),
});

type Params = { userId: string; linkId: string };

export function registerAdminRoutes(
  app: FastifyInstance,
  ctx: DaemonContext,
  conflicts?: ConflictPort,
): void {
  const { registry, queue } = ctx;

  app.get('/api/status', async () => appStatus(ctx));

  // One page in id order; `next` is the cursor of the following page (null after the last).
  app.get<{ Querystring: Record<string, string> }>('/api/users', async (request) => {
    const page = await registry.users.page(
      pageRequest(pageQuerySchema.parse(request.query), ctx.config.limits),
    );
    return { users: page.items, next: page.next };
  });
  app.post('/api/users', async (request, reply) => reply.code(201).send(await addUser(ctx, request.body)));
  app.get<{ Params: Params }>('/api/users/:userId', async (request) =>
    userStatus(ctx, request.params.userId),
  );
  app.patch<{ Params: Params }>('/api/users/:userId', async (request) =>
    patchUser(ctx, request.params.userId, request.body),
  );
  app.delete<{ Params: Params }>('/api/users/:userId', async (request, reply) => {
    const removed = await removeUser(ctx, request.params.userId);
    return reply.code(removed ? 204 : 404).send();
  });

  app.get<{ Params: Params }>('/api/users/:userId/links', async (request) => {
    await registry.users.get(request.params.userId);
    return { links: await registry.links.list(request.params.userId) };
  });
  app.post<{ Params: Params }>('/api/users/:userId/links', async (request, reply) =>
    reply.code(201).send((await putLink(ctx, request.params.userId, request.body)).link),
  );
  app.get<{ Params: Params }>('/api/users/:userId/links/:linkId', async (request) =>
    publicLink(await registry.links.get(request.params.userId, request.params.linkId)),
  );
  app.put<{ Params: Params }>('/api/users/:userId/links/:linkId', async (request) => {
    const body = { ...(request.body as object), id: request.params.linkId };
    return (await putLink(ctx, request.params.userId, body)).link;
  });
  // Renames the link and its sub-calendar in Talk Calendar.
  app.patch<{ Params: Params }>('/api/users/:userId/links/:linkId', async (request) => {
    const { name } = renameBody.parse(request.body ?? {});
    return renameLink(ctx, request.params.userId, request.params.linkId, name);
  });
  // ?deleteCalendar=true deletes the sub-calendar the daemon created; otherwise it is left and the
  // answer says so.
  app.delete<{ Params: Params; Querystring: Record<string, string> }>(
    '/api/users/:userId/links/:linkId',
    async (request, reply) => {
      const { deleteCalendar } = removeQuery.parse(request.query);
      const { userId, linkId } = request.params;
      const removal = await removeLink(ctx, userId, linkId, { deleteCalendar: deleteCalendar === 'true' });
      if (!removal.removed && !removal.calendar) return reply.code(404).send({ error: removal.message });
      if (!removal.calendar) return reply.code(204).send();
      return removal;
    },
  );

  app.get<{ Params: Params }>('/api/users/:userId/status', async (request) =>
    userStatus(ctx, request.params.userId),
  );
  app.get<{ Params: Params }>('/api/users/:userId/links/:linkId/status', async (request, reply) => {
    const { userId, linkId } = request.params;
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

  app.post<{ Params: Params; Querystring: Record<string, string> }>(
    '/api/users/:userId/sync',
    async (request, reply) => {
      const { userId } = request.params;
      const query = syncQuery.parse(request.query);
      await registry.users.get(userId);
      const force = query.force === 'true';
      if (query.wait !== 'true') return reply.code(202).send(await queue.trigger(userId, { force }));
      return queue.triggerAndWait(userId, { force }, query.timeoutMs);
    },
  );

  app.post<{ Params: Params; Querystring: Record<string, string> }>(
    '/api/users/:userId/dry-run',
    async (request) => {
      const { userId } = request.params;
      const query = syncQuery.parse(request.query);
      await registry.users.get(userId);
      const { jobId, outcome } = await queue.triggerAndWait(
        userId,
        { dryRun: true, force: query.force === 'true' },
        query.timeoutMs,
      );
      return { jobId, outcome };
    },
  );

  app.get<{ Params: Params; Querystring: { linkId?: string } }>(
    '/api/users/:userId/conflicts',
    async (request, reply) => {
      if (!conflicts)
        return reply.code(501).send({ error: 'conflict resolution is not available in this build' });
      await registry.users.get(request.params.userId);
      return { conflicts: await conflicts.list(request.params.userId, request.query.linkId) };
    },
  );
  app.post<{ Params: Params }>(
    '/api/users/:userId/links/:linkId/conflicts/resolve',
    async (request, reply) => {
      if (!conflicts)
        return reply.code(501).send({ error: 'conflict resolution is not available in this build' });
      const { userId, linkId } = request.params;
      const link = await registry.links.get(userId, linkId);
      if (link.conflict !== 'manual') {
        return reply.code(409).send({ error: `link ${linkId} resolves conflicts itself (${link.conflict})` });
      }
      const body = resolveBody.parse(request.body ?? {});
      const resolved = await conflicts.resolve(userId, linkId, body.choice, body.items);
      return { resolved, note: 'applied by the next sync of the user' };
    },
  );
}
