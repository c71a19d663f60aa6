import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { DaemonContext } from '../daemon/context.js';
import { userStatus } from '../daemon/status.js';
import { connectUser } from '../daemon/user-service.js';
import { KakaoClient } from '../kakao/client.js';
import { connectedPage, problemPage } from './connect-pages.js';
import { connectCallbackQuery } from './public-routes.js';

// Kakao Login authorization-code flow: /connect sends the browser to Kakao's consent page with a
// single-use `state` kept in Redis; /connect/callback checks it, exchanges the code, stores the
// user with sealed tokens and schedules them. A needs_reauth user reconnects the same way.

export const requiredScopes = ['talk_calendar', 'talk_calendar_task'];
const stateLifetimeSeconds = 600;

export interface ConnectOptions {
  /** Finds the Kakao user id of a fresh access token (default: GET /v1/user/access_token_info). */
  resolveUserId?: (accessToken: string) => Promise<string>;
  /**
   * The user's published feed: its URL when one was just issued, `existing` when the user already has
   * one (its token is stored hashed, so its URL cannot be shown again).
   */
  feed?: (userId: string) => Promise<{ url: string } | 'existing' | undefined>;
}

async function accessTokenInfo(apiBaseUrl: string, accessToken: string, timeoutMs: number): Promise<string> {
  const response = await fetch(new URL('/v1/user/access_token_info', apiBaseUrl), {
    headers: { authorization: `Bearer ${accessToken}` },
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await response.json().catch(() => ({}))) as { id?: unknown };
  if (!response.ok || (typeof body.id !== 'number' && typeof body.id !== 'string')) {
    throw new Error(`access_token_info answered HTTP ${response.status}`);
  }
  return String(body.id);
}

export function registerConnectRoutes(
  app: FastifyInstance,
  ctx: DaemonContext,
  options: ConnectOptions = {},
): void {
  const { config } = ctx;
  const client = new KakaoClient(config.kakao);
  const resolveUserId =
    options.resolveUserId ??
    ((token: string) => accessTokenInfo(config.kakao.apiBaseUrl, token, config.kakao.timeoutMs));
  const startUrl = new URL('/connect', config.http.publicBaseUrl).toString();

  app.get('/connect', async (_request, reply) => {
    const state = randomBytes(24).toString('base64url');
    await ctx.redis.set(ctx.registry.keys.oauthState(state), '1', 'EX', stateLifetimeSeconds);
    const url = new URL('/oauth/authorize', config.kakao.authBaseUrl);
    url.searchParams.set('client_id', config.kakao.restApiKey);
    url.searchParams.set('redirect_uri', config.kakao.redirectUri);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('scope', requiredScopes.join(','));
    url.searchParams.set('state', state);
    return reply.redirect(url.toString(), 302);
  });

  app.get('/connect/callback', async (request, reply) => {
    // A repeated or malformed parameter reads as absent: the state check below refuses it.
    const parsed = connectCallbackQuery.safeParse(request.query);
    const q = parsed.success ? parsed.data : {};
    const html = (status: number, body: string) =>
      reply.code(status).type('text/html; charset=utf-8').send(body);
    // The state is consumed whatever happens next: a replayed callback finds nothing.
    const known = q.state ? await ctx.redis.getdel(ctx.registry.keys.oauthState(q.state)) : null;
    if (!known) {
      return html(
        400,
        problemPage(
          'This sign-in link is no longer valid',
          'The sign-in was already completed, has expired (10 minutes), or did not start here. Please start again.',
          startUrl,
        ),
      );
    }
    if (q.error) {
      return html(
        403,
        problemPage(
          'Consent refused',
          'You did not allow talkcal-sync to use Talk Calendar, so nothing was connected. You can try again at any time.',
          startUrl,
        ),
      );
    }
    if (!q.code)
      return html(400, problemPage('Sign-in failed', 'Kakao returned no authorization code.', startUrl));
    let answer: Awaited<ReturnType<typeof client.oauth.exchangeCode>>;
    try {
      answer = await client.oauth.exchangeCode({ code: q.code, redirectUri: config.kakao.redirectUri });
    } catch (error) {
      ctx.logger.warn(
        { error: error instanceof Error ? error.message : String(error) },
        'connect: code exchange failed',
      );
      return html(
        502,
        problemPage('Sign-in failed', 'Kakao did not accept the sign-in. Please start again.', startUrl),
      );
    }
    const granted = (answer.scope ?? '').split(/[ ,]+/).filter((s) => s !== '');
    const missing = requiredScopes.filter((s) => !granted.includes(s));
    if (missing.length > 0) {
      return html(
        403,
        problemPage(
          'Permission missing',
          `talkcal-sync needs access to ${missing.join(' and ')}. Please connect again and allow every item on the consent page.`,
          startUrl,
        ),
      );
    }
    const userId = await resolveUserId(answer.access_token);
    const now = Date.now();
    await connectUser(ctx, userId, {
      accessToken: answer.access_token,
      refreshToken: answer.refresh_token ?? '',
      accessTokenExpiresAt: now + answer.expires_in * 1000,
      ...(answer.refresh_token_expires_in
        ? { refreshTokenExpiresAt: now + answer.refresh_token_expires_in * 1000 }
        : {}),
      scopes: granted,
    });
    ctx.logger.info({ userId }, 'connect: user connected');
    return html(200, connectedPage(await userStatus(ctx, userId), await options.feed?.(userId)));
  });
}
