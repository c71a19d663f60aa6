// Kakao Login on the auth host paths: the consent page (/oauth/authorize) and the token endpoint
// (/oauth/token, authorization_code and refresh_token grants). Errors use the OAuth body shape.

import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { invalidToken, OAuthFailure } from '../errors.js';
import { allScopes } from '../state.js';
import { type EmulatorContext, factsOf } from './kit.js';

const codeLifetimeMs = 10 * 60_000;

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function field(body: unknown, name: string): string | undefined {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : undefined;
}

function withQuery(uri: string, params: Record<string, string | undefined>): string {
  const url = new URL(uri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

function consentPage(p: Record<string, string>): string {
  const hidden = Object.entries(p)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('\n      ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Kakao Login (emulator)</title></head>
<body>
  <h1>Kakao Login — emulator</h1>
  <p>The app <code>${escapeHtml(p.client_id ?? '')}</code> asks for: ${escapeHtml(p.scope || allScopes.join(', '))}</p>
  <form method="post" action="/oauth/authorize">
      ${hidden}
      <label>Kakao user id (empty: a new user) <input name="user_id" value=""></label>
      <button type="submit" name="decision" value="agree">Agree</button>
      <button type="submit" name="decision" value="cancel">Cancel</button>
  </form>
</body></html>`;
}

export function registerOAuthRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const { state } = ctx;

  // Kakao Login's token info (API host): who owns an access token. Not a Talk Calendar call, so it
  // draws nothing from the Talk Calendar quota.
  app.get('/v1/user/access_token_info', { config: { endpoint: 'user.accessTokenInfo' } }, async (request) => {
    const m = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (!m) throw invalidToken('this access token does not exist');
    const now = state.now().getTime();
    const who = state.tokens.userOf(m[1]!, now);
    if ('problem' in who) throw invalidToken(who.problem);
    const facts = factsOf(request);
    facts.endpoint = 'user.accessTokenInfo';
    facts.userId = who.userId;
    const id = /^\d+$/.test(who.userId) ? Number(who.userId) : who.userId;
    return { id, expires_in: state.tokens.secondsLeft(m[1]!, now), app_id: 1 };
  });

  const checkClient = (clientId: string | undefined, redirectUri: string | undefined) => {
    if (clientId !== ctx.restApiKey)
      throw new OAuthFailure(401, 'invalid_client', 'Bad client credentials', 'KOE101');
    try {
      new URL(redirectUri ?? '');
    } catch {
      throw new OAuthFailure(400, 'invalid_request', 'redirect_uri is missing or not a URL', 'KOE006');
    }
  };

  app.get(
    '/oauth/authorize',
    { config: { endpoint: 'oauth.authorize' } },
    async (request, reply: FastifyReply) => {
      factsOf(request).endpoint = 'oauth.authorize';
      const q = request.query as Record<string, string | undefined>;
      checkClient(q.client_id, q.redirect_uri);
      if (q.response_type !== 'code')
        throw new OAuthFailure(400, 'unsupported_response_type', 'response_type must be code');
      const params: Record<string, string> = {
        client_id: q.client_id ?? '',
        redirect_uri: q.redirect_uri ?? '',
        scope: q.scope ?? '',
        ...(q.state !== undefined ? { state: q.state } : {}),
      };
      return reply.type('text/html; charset=utf-8').send(consentPage(params));
    },
  );

  app.post('/oauth/authorize', { config: { endpoint: 'oauth.authorize' } }, async (request, reply) => {
    factsOf(request).endpoint = 'oauth.authorize';
    const b = request.body;
    const clientId = field(b, 'client_id');
    const redirectUri = field(b, 'redirect_uri');
    checkClient(clientId, redirectUri);
    const stateParam = field(b, 'state');
    if (field(b, 'decision') !== 'agree') {
      return reply.redirect(
        withQuery(redirectUri!, {
          error: 'access_denied',
          error_description: 'User denied access',
          state: stateParam,
        }),
        302,
      );
    }
    const scopes = (field(b, 'scope') || allScopes.join(',')).split(/[ ,]+/).filter((s) => s !== '');
    const user = state.createUser(field(b, 'user_id') || undefined, scopes);
    for (const s of scopes) user.scopes.add(s);
    factsOf(request).userId = user.id;
    const code = randomBytes(24).toString('base64url');
    state.authCodes.set(code, {
      userId: user.id,
      clientId: clientId!,
      redirectUri: redirectUri!,
      expiresAt: state.now().getTime() + codeLifetimeMs,
    });
    return reply.redirect(withQuery(redirectUri!, { code, state: stateParam }), 302);
  });

  app.post('/oauth/token', { config: { endpoint: 'oauth.token' } }, async (request) => {
    const f = factsOf(request);
    f.endpoint = 'oauth.token';
    const b = request.body;
    const nowMs = state.now().getTime();
    if (field(b, 'client_id') !== ctx.restApiKey) {
      throw new OAuthFailure(401, 'invalid_client', 'Bad client credentials', 'KOE101');
    }
    if (ctx.clientSecret !== '' && field(b, 'client_secret') !== ctx.clientSecret) {
      throw new OAuthFailure(401, 'invalid_client', 'Bad client credentials', 'KOE010');
    }
    const grant = field(b, 'grant_type');
    if (grant === 'refresh_token') {
      const token = field(b, 'refresh_token');
      if (!token) throw new OAuthFailure(400, 'invalid_request', 'refresh_token is required');
      const userId = state.tokens.userOfRefresh(token);
      if (userId !== undefined) f.userId = userId;
      return state.tokens.grantForRefresh(token, nowMs);
    }
    if (grant === 'authorization_code') {
      const code = field(b, 'code') ?? '';
      const issued = state.authCodes.get(code);
      if (!issued || issued.expiresAt <= nowMs) {
        throw new OAuthFailure(
          400,
          'invalid_grant',
          `authorization code not found for code=${code}`,
          'KOE320',
        );
      }
      if (issued.redirectUri !== field(b, 'redirect_uri')) {
        throw new OAuthFailure(400, 'invalid_grant', 'redirect_uri mismatch', 'KOE303');
      }
      state.authCodes.delete(code); // single use
      f.userId = issued.userId;
      const user = state.users.get(issued.userId);
      return {
        ...state.tokens.grantForCode(issued.userId, nowMs),
        scope: [...(user?.scopes ?? [])].join(' '),
      };
    }
    throw new OAuthFailure(400, 'unsupported_grant_type', `grant_type ${grant ?? '(none)'} is not supported`);
  });
}
