// What every API route shares: authentication (Bearer token or admin key), scope check, quota,
// form/JSON parameter parsing, and the per-request facts the request log records.

import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { invalidParam, invalidToken, KakaoApiFailure, quotaExceeded } from '../errors.js';
import type { EmulatorState, EmulatorUser } from '../state.js';

export interface RequestFacts {
  endpoint: string;
  userId?: string;
  code?: number;
  logged?: boolean;
  dropAfterProcessing?: boolean;
}

const facts = new WeakMap<IncomingMessage, RequestFacts>();

export function factsOf(request: FastifyRequest): RequestFacts {
  let f = facts.get(request.raw);
  if (!f) {
    f = { endpoint: 'unknown' };
    facts.set(request.raw, f);
  }
  return f;
}

export interface EmulatorContext {
  state: EmulatorState;
  adminKey: string;
  restApiKey: string;
  clientSecret: string;
  /** The emulator's own origin (known once it listens), for after_url. */
  origin(): string;
}

export interface ApiCall {
  user: EmulatorUser;
  /** Query (GET/DELETE) or form body (POST) parameters as strings. */
  params: Record<string, string>;
  now: Date;
}

export interface AdminCall {
  params: Record<string, string>;
  now: Date;
}

type Method = 'GET' | 'POST' | 'DELETE';

/** Route options: `quota: false` for APIs outside the Talk Calendar daily pool (Talk Channel). */
interface RouteSpec {
  method: Method;
  url: string;
  endpoint: string;
  quota?: boolean;
}

function stringParams(request: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const source of [request.query, request.body]) {
    if (!source || typeof source !== 'object') continue;
    for (const [k, v] of Object.entries(source as Record<string, unknown>)) {
      if (typeof v === 'string') out[k] = v;
      else if (Array.isArray(v) && typeof v[0] === 'string') out[k] = v[0];
      else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
      else if (v !== null && typeof v === 'object') out[k] = JSON.stringify(v);
    }
  }
  return out;
}

function checkQuota(ctx: EmulatorContext, spec: { quota?: boolean }): void {
  if (spec.quota === false) return;
  if (!ctx.state.takeQuota()) throw quotaExceeded();
}

/** Returned by a handler that answers 200 with no body (as "Delete user" of customer files does). */
export const emptyAnswer = Symbol('empty answer');

/** Registers one Talk Calendar route under its endpoint name (as the request log records it). */
function apiRoute(
  app: FastifyInstance,
  spec: RouteSpec,
  handle: (request: FastifyRequest, facts: RequestFacts) => unknown,
): void {
  app.route({
    method: spec.method,
    url: spec.url,
    config: { endpoint: spec.endpoint },
    handler: async (request, reply) => {
      const facts = factsOf(request);
      facts.endpoint = spec.endpoint;
      const answer = await handle(request, facts);
      if (answer === emptyAnswer) return reply.type('application/json;charset=UTF-8').send('');
      return answer;
    },
  });
}

/** A route called with `Authorization: Bearer <access token>`. */
export function userRoute(
  app: FastifyInstance,
  ctx: EmulatorContext,
  spec: RouteSpec & { scope: string },
  handler: (call: ApiCall) => unknown,
): void {
  apiRoute(app, spec, (request, f) => {
    const user = bearerUser(ctx, request);
    f.userId = user.id;
    requireScope(user, spec.scope);
    checkQuota(ctx, spec);
    return handler({ user, params: stringParams(request), now: ctx.state.now() });
  });
}

/** The user of a `Bearer` access token (-401 when there is none or it is not valid). */
export function bearerUser(ctx: EmulatorContext, request: FastifyRequest): EmulatorUser {
  const m = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (!m) throw invalidToken('this access token does not exist');
  const who = ctx.state.tokens.userOf(m[1]!, ctx.state.now().getTime());
  if ('problem' in who) throw invalidToken(who.problem);
  const user = ctx.state.users.get(who.userId);
  if (!user) throw invalidToken('this access token does not exist');
  return user;
}

/** 403 -402 naming the scope when the user has not consented to it. */
export function requireScope(user: EmulatorUser, scope: string): void {
  if (user.scopes.has(scope)) return;
  throw new KakaoApiFailure(403, -402, 'insufficient scopes.', {
    required_scopes: [scope],
    allowed_scopes: [...user.scopes],
  });
}

/** True when the request carries `KakaoAK <key>` (any key); the key itself is checked by the caller. */
export function appKeyOf(request: FastifyRequest): string | undefined {
  return /^KakaoAK\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
}

/**
 * A route that takes either a user's access token or the admin key (Talk Channel relationship
 * check). `user` is set for a token; with the admin key the handler finds the user itself.
 */
export function userOrAdminRoute(
  app: FastifyInstance,
  ctx: EmulatorContext,
  spec: RouteSpec,
  handler: (call: AdminCall & { user?: EmulatorUser }) => unknown,
): void {
  apiRoute(app, spec, (request, f) => {
    const key = appKeyOf(request);
    if (key !== undefined) {
      if (key !== ctx.adminKey) throw invalidToken('invalid admin key');
      checkQuota(ctx, spec);
      return handler({ params: stringParams(request), now: ctx.state.now() });
    }
    const user = bearerUser(ctx, request);
    f.userId = user.id;
    checkQuota(ctx, spec);
    return handler({ user, params: stringParams(request), now: ctx.state.now() });
  });
}

/** A route called with `Authorization: KakaoAK <REST API key>` (Talk Channel customer files). */
export function restKeyRoute(
  app: FastifyInstance,
  ctx: EmulatorContext,
  spec: RouteSpec,
  handler: (call: AdminCall & { body: Record<string, unknown> }) => unknown,
): void {
  apiRoute(app, spec, (request) => {
    if (appKeyOf(request) !== ctx.restApiKey) throw invalidToken('invalid REST API key');
    checkQuota(ctx, spec);
    const body =
      request.body && typeof request.body === 'object' && !Array.isArray(request.body)
        ? (request.body as Record<string, unknown>)
        : {};
    return handler({ params: stringParams(request), body, now: ctx.state.now() });
  });
}

/** A route called with `Authorization: KakaoAK <admin key>`. */
export function adminKeyRoute(
  app: FastifyInstance,
  ctx: EmulatorContext,
  spec: RouteSpec,
  handler: (call: AdminCall) => unknown,
): void {
  apiRoute(app, spec, (request) => {
    if (appKeyOf(request) !== ctx.adminKey) throw invalidToken('invalid admin key');
    checkQuota(ctx, spec);
    return handler({ params: stringParams(request), now: ctx.state.now() });
  });
}

/** A JSON object carried as a string inside the form (`event=`, `task=`). */
export function jsonField(
  params: Record<string, string>,
  name: string,
  required: true,
): Record<string, unknown>;
export function jsonField(
  params: Record<string, string>,
  name: string,
  required: false,
): Record<string, unknown> | undefined;
export function jsonField(params: Record<string, string>, name: string, required: boolean) {
  const raw = params[name];
  if (raw === undefined || raw === '') {
    if (required) throw invalidParam(`${name} is required`);
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw invalidParam(`${name} is not valid JSON`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidParam(`${name} must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

export function requireParam(params: Record<string, string>, name: string): string {
  const v = params[name];
  if (v === undefined || v === '') throw invalidParam(`${name} is required`);
  return v;
}

/** An integer parameter within [min, max], or the default when absent. */
export function intParam(
  params: Record<string, string>,
  name: string,
  def: number,
  min: number,
  max: number,
) {
  const raw = params[name];
  if (raw === undefined || raw === '') return def;
  if (!/^-?\d+$/.test(raw)) throw invalidParam(`${name} must be an integer`);
  const n = Number(raw);
  if (n < min || n > max) throw invalidParam(`${name} must be between ${min} and ${max}`);
  return n;
}

/** Throws the documented invalid-parameter failure naming every issue; returns when there is none. */
export function rejectIssues(issues: { field: string; message: string }[]): void {
  if (issues.length === 0) return;
  throw invalidParam(issues.map((i) => `${i.field} ${i.message}`).join('; '));
}
