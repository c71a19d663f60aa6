// Wire model of the auth host's token answer.

/** Answer of POST /oauth/token (both grants). */
export interface OAuthTokenResponse {
  token_type: string;
  access_token: string;
  /** Seconds. */
  expires_in: number;
  /** Only when a new refresh token is issued (always for the code grant). */
  refresh_token?: string;
  /** Seconds. */
  refresh_token_expires_in?: number;
  id_token?: string;
  scope?: string;
}
