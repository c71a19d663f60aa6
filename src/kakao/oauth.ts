import { KakaoHttpError } from './errors.js';
import type { KakaoTransport } from './http.js';
import type { OAuthTokenResponse } from './types.js';

// Kakao Login grants on the auth host (POST /oauth/token). These calls do not draw on the Talk
// Calendar quota, but Kakao limits issuance per user, so tokens are reused until near expiry.

export interface OAuthAppCredentials {
  restApiKey: string;
  /** "" when the app has no client secret enabled. */
  clientSecret: string;
}

const tokenPath = '/oauth/token';

export async function refreshAccessToken(
  transport: KakaoTransport,
  app: OAuthAppCredentials,
  refreshToken: string,
): Promise<OAuthTokenResponse> {
  const body = await transport.send<unknown>({
    endpoint: 'oauth.refresh',
    method: 'POST',
    host: 'auth',
    path: tokenPath,
    credential: 'none',
    params: {
      grant_type: 'refresh_token',
      client_id: app.restApiKey,
      refresh_token: refreshToken,
      client_secret: app.clientSecret || undefined,
    },
  });
  return checkTokenResponse(body, 'oauth.refresh');
}

/** The authorization code is single-use: a dropped exchange is not repeated. */
export async function exchangeAuthorizationCode(
  transport: KakaoTransport,
  app: OAuthAppCredentials,
  input: { code: string; redirectUri: string },
): Promise<OAuthTokenResponse> {
  const body = await transport.send<unknown>({
    endpoint: 'oauth.authorization_code',
    method: 'POST',
    host: 'auth',
    path: tokenPath,
    credential: 'none',
    unsafeToRepeat: true,
    params: {
      grant_type: 'authorization_code',
      client_id: app.restApiKey,
      redirect_uri: input.redirectUri,
      code: input.code,
      client_secret: app.clientSecret || undefined,
    },
  });
  return checkTokenResponse(body, 'oauth.authorization_code');
}

function checkTokenResponse(body: unknown, endpoint: string): OAuthTokenResponse {
  const b = body as Record<string, unknown>;
  const ok =
    typeof b['access_token'] === 'string' &&
    b['access_token'] !== '' &&
    typeof b['expires_in'] === 'number' &&
    (b['refresh_token'] === undefined || typeof b['refresh_token'] === 'string') &&
    (b['refresh_token_expires_in'] === undefined || typeof b['refresh_token_expires_in'] === 'number');
  if (!ok)
    throw new KakaoHttpError(
      { status: 200, endpoint },
      `${endpoint}: token answer lacks access_token/expires_in`,
    );
  return {
    token_type: typeof b['token_type'] === 'string' ? b['token_type'] : 'bearer',
    access_token: b['access_token'] as string,
    expires_in: b['expires_in'] as number,
    refresh_token: b['refresh_token'] as string | undefined,
    refresh_token_expires_in: b['refresh_token_expires_in'] as number | undefined,
    id_token: typeof b['id_token'] === 'string' ? b['id_token'] : undefined,
    scope: typeof b['scope'] === 'string' ? b['scope'] : undefined,
  };
}
