// The Kakao Talk Calendar emulator: one HTTP origin serving the API host paths (/v1, /v2), the auth
// host paths (/oauth/*) and its own admin surface (/_emulator/*). See docs/kakao-api-notes.md.

import { setTimeout as sleep } from 'node:timers/promises';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { EmulatorAdmin } from './admin.js';
import { KakaoApiFailure, OAuthFailure } from './errors.js';
import { registerAdminRoutes } from './routes/admin-http.js';
import { registerCalendarRoutes } from './routes/calendars.js';
import { registerEventRoutes } from './routes/events.js';
import { type EmulatorContext, factsOf } from './routes/kit.js';
import { registerOAuthRoutes } from './routes/oauth.js';
import { registerPublicEventRoutes } from './routes/public-events.js';
import { registerTalkChannelRoutes } from './routes/talk-channel.js';
import { registerTaskRoutes } from './routes/tasks.js';
import { EmulatorState } from './state.js';
import { defaultTokenSettings } from './tokens.js';

export interface EmulatorOptions {
  host?: string;
  port?: number;
  accessTokenLifetimeSeconds?: number;
  restApiKey?: string;
  clientSecret?: string;
  adminKey?: string;
  quota?: { enabled: boolean; daily: number };
  latencyMs?: number;
  now?: () => Date;
  /** Uniform [0, 1) source of the draws of faults with a `probability` (default Math.random). */
  random?: () => number;
  logger?: boolean;
}

export interface RunningEmulator {
  url: string;
  state: EmulatorState;
  admin: EmulatorAdmin;
  close(): Promise<void>;
}

const adminPrefix = '/_emulator';

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

function queryOf(request: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((request.query ?? {}) as Record<string, unknown>)) {
    out[k] = Array.isArray(v) ? String(v[0]) : String(v);
  }
  return out;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const state = new EmulatorState(
    {
      ...defaultTokenSettings,
      accessTokenLifetimeSeconds:
        options.accessTokenLifetimeSeconds ?? defaultTokenSettings.accessTokenLifetimeSeconds,
    },
    options.quota ?? { enabled: false, daily: 30_000 },
    options.now,
    options.random,
  );
  const admin = new EmulatorAdmin(state);
  let origin = '';
  const ctx: EmulatorContext = {
    state,
    adminKey: options.adminKey ?? 'emulator-admin-key',
    restApiKey: options.restApiKey ?? 'emulator-rest-api-key',
    clientSecret: options.clientSecret ?? '',
    origin: () => origin,
  };
  const latencyMs = options.latencyMs ?? 0;

  // A customer-file upload of 2,000 users with their fields is a few hundred KB.
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 4_194_304 });
  await app.register(formbody);

  const logRequest = (request: FastifyRequest, status: number, extra: { dropped?: boolean } = {}) => {
    const f = factsOf(request);
    if (f.logged) return;
    f.logged = true;
    state.log({
      method: request.method,
      path: pathOf(request.url),
      query: queryOf(request),
      ...(f.userId !== undefined ? { userId: f.userId } : {}),
      status,
      ...(f.code !== undefined ? { code: f.code } : {}),
      endpoint: f.endpoint,
      ...extra,
    });
  };

  app.addHook('onRequest', async (request, reply) => {
    const path = pathOf(request.url);
    if (path.startsWith(adminPrefix)) return;
    const endpoint = (request.routeOptions.config as { endpoint?: unknown } | undefined)?.endpoint;
    if (typeof endpoint === 'string') factsOf(request).endpoint = endpoint;
    if (latencyMs > 0) await sleep(latencyMs);
    const fault = state.takeFault(request.method, path);
    if (!fault) return;
    if (fault.latencyMs) await sleep(fault.latencyMs);
    if (fault.drop && !fault.afterProcessing) {
      logRequest(request, 0, { dropped: true });
      reply.hijack();
      request.raw.socket.destroy();
      return;
    }
    if (fault.drop && fault.afterProcessing) {
      factsOf(request).dropAfterProcessing = true;
      return;
    }
    if (fault.status !== undefined) {
      const code = fault.code ?? -1;
      factsOf(request).code = code;
      return reply.code(fault.status).send({ msg: fault.msg ?? 'fault injected by the emulator', code });
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const f = factsOf(request);
    if (f.dropAfterProcessing) {
      logRequest(request, reply.statusCode, { dropped: true });
      request.raw.socket.destroy();
    }
    return payload;
  });

  app.addHook('onResponse', async (request, reply) => {
    if (pathOf(request.url).startsWith(adminPrefix)) return;
    logRequest(request, reply.statusCode);
  });

  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof KakaoApiFailure) {
      factsOf(request).code = error.code;
      if (error.status === 401) reply.header('WWW-Authenticate', 'Bearer error=invalid_token');
      return reply.code(error.status).send(error.body());
    }
    if (error instanceof OAuthFailure) return reply.code(error.status).send(error.body());
    const e = error as { statusCode?: number; message?: string };
    if (e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500) {
      factsOf(request).code = -2;
      return reply.code(400).send({ msg: e.message ?? 'bad request', code: -2 });
    }
    request.log.error(error);
    factsOf(request).code = -1;
    return reply.code(500).send({ msg: 'internal error', code: -1 });
  });

  app.setNotFoundHandler((request, reply) => {
    factsOf(request).code = -2;
    return reply.code(404).send({ msg: `no such API: ${request.method} ${pathOf(request.url)}`, code: -2 });
  });

  registerAdminRoutes(app, admin);
  registerOAuthRoutes(app, ctx);
  registerCalendarRoutes(app, ctx);
  registerEventRoutes(app, ctx);
  registerPublicEventRoutes(app, ctx);
  registerTaskRoutes(app, ctx);
  registerTalkChannelRoutes(app, ctx);

  const address = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  origin = address.replace('[::1]', '127.0.0.1');
  return {
    url: origin,
    state,
    admin,
    close: () => app.close(),
  };
}
