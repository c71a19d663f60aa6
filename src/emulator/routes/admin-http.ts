// /_emulator/* — the admin operations over HTTP (no auth, not logged, not counted).
import type { FastifyInstance } from 'fastify';
import type { EmulatorAdmin, NewEmulatorUser, SeedEvent } from '../admin.js';
import type { Fault } from '../state.js';

type Body = Record<string, unknown> | undefined;

export function registerAdminRoutes(app: FastifyInstance, admin: EmulatorAdmin): void {
  const p = '/_emulator';
  app.post(`${p}/users`, async (req) => {
    const b = (req.body ?? {}) as Body;
    const input: NewEmulatorUser = {};
    if (typeof b?.userId === 'string') input.userId = b.userId;
    if (Array.isArray(b?.scopes)) input.scopes = b.scopes.filter((s): s is string => typeof s === 'string');
    if (typeof b?.talkUser === 'boolean') input.talkUser = b.talkUser;
    if (typeof b?.phone === 'string') input.phone = b.phone;
    return admin.createUser(input);
  });
  app.post(`${p}/channels`, async (req) => admin.addChannel((req.body ?? {}) as Record<string, unknown>));
  app.get<{ Params: { id: string } }>(`${p}/channels/:id`, async (req) => admin.channel(req.params.id));
  app.post<{ Params: { id: string } }>(`${p}/channels/:id/relations`, async (req) => {
    admin.setRelation(req.params.id, (req.body ?? {}) as Record<string, unknown>);
    return {};
  });
  app.get<{ Params: { id: string } }>(`${p}/public-events/:id/followers`, async (req) =>
    admin.followers(req.params.id),
  );
  app.post<{ Params: { id: string } }>(`${p}/users/:id/events`, async (req) =>
    admin.seedEvent(req.params.id, (req.body ?? {}) as SeedEvent),
  );
  app.post<{ Params: { id: string } }>(`${p}/users/:id/calendars`, async (req) =>
    admin.seedCalendar(req.params.id, (req.body ?? {}) as { name?: string }),
  );
  app.get<{ Params: { id: string } }>(`${p}/users/:id/events`, async (req) => admin.events(req.params.id));
  app.get<{ Params: { id: string } }>(`${p}/users/:id/tasks`, async (req) => admin.tasks(req.params.id));
  app.get<{ Params: { id: string } }>(`${p}/users/:id/calendars`, async (req) =>
    admin.calendars(req.params.id),
  );
  app.get(`${p}/requests`, async () => admin.requests());
  app.delete(`${p}/requests`, async () => {
    admin.clearRequests();
    return {};
  });
  app.post(`${p}/faults`, async (req) => {
    admin.addFault((req.body ?? {}) as Fault);
    return {};
  });
  app.delete(`${p}/faults`, async () => {
    admin.clearFaults();
    return {};
  });
  app.post(`${p}/tokens/expire`, async (req) => {
    admin.expireTokens(String((req.body as Body)?.userId ?? ''));
    return {};
  });
  app.post(`${p}/tokens/revoke`, async (req) => {
    admin.revokeTokens(String((req.body as Body)?.userId ?? ''));
    return {};
  });
  app.get(`${p}/quota`, async () => admin.quota());
  app.post(`${p}/quota`, async (req) => {
    const b = (req.body ?? {}) as Body;
    const input: { enabled?: boolean; daily?: number; used?: number } = {};
    if (typeof b?.enabled === 'boolean') input.enabled = b.enabled;
    if (typeof b?.daily === 'number') input.daily = b.daily;
    if (typeof b?.used === 'number') input.used = b.used;
    admin.setQuota(input);
    return admin.quota();
  });
  app.post(`${p}/clock`, async (req, reply) => {
    const b = req.body as Body;
    const raw = b?.now;
    const now = typeof raw === 'string' ? new Date(raw) : undefined;
    if (!now || Number.isNaN(now.getTime()))
      return reply.code(400).send({ error: 'now must be an ISO timestamp' });
    const { rate, realAt } = b ?? {};
    if (rate !== undefined && !(typeof rate === 'number' && Number.isFinite(rate) && rate >= 0))
      return reply.code(400).send({ error: 'rate must be a number ≥ 0 (clock seconds per real second)' });
    if (realAt !== undefined && !(typeof realAt === 'number' && Number.isFinite(realAt)))
      return reply.code(400).send({ error: 'realAt must be epoch milliseconds' });
    admin.setClock(now, rate as number | undefined, realAt as number | undefined);
    return { now: now.toISOString(), rate: rate ?? 0 };
  });
  app.delete<{ Params: { id: string; eventId: string } }>(
    `${p}/users/:id/events/:eventId`,
    async (req, reply) =>
      admin.deleteEvent(req.params.id, req.params.eventId)
        ? {}
        : reply.code(404).send({ error: `no event ${req.params.eventId} of user ${req.params.id}` }),
  );
}
