import { KakaoTokenError } from './errors.js';
import type { OAuthTokenResponse } from './types.js';

// Per-user access tokens: reused until `marginMs` before expiry, refreshed once through the
// refresh-token grant, and shared by concurrent calls of one user (one in-flight refresh).

export interface UserTokens {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms. */
  accessTokenExpiresAt: number;
  /** Epoch ms, when Kakao told us. */
  refreshTokenExpiresAt?: number;
}

/** Where one user's tokens live (encrypted in Redis in the daemon). */
export interface TokenStore {
  get(): Promise<UserTokens>;
  save(tokens: UserTokens): Promise<void>;
  /** Drops tokens a store reuses between reads, so the next get reads the stored ones. */
  forget?(): void;
}

export type RefreshGrant = (refreshToken: string) => Promise<OAuthTokenResponse>;

/** Applies a refresh answer: Kakao omits refresh_token when it keeps the old one. */
export function tokensFromRefresh(previous: UserTokens, answer: OAuthTokenResponse, now: number): UserTokens {
  const tokens: UserTokens = {
    accessToken: answer.access_token,
    refreshToken: answer.refresh_token ?? previous.refreshToken,
    accessTokenExpiresAt: now + answer.expires_in * 1000,
  };
  const refreshExpiry =
    answer.refresh_token_expires_in !== undefined
      ? now + answer.refresh_token_expires_in * 1000
      : answer.refresh_token === undefined
        ? previous.refreshTokenExpiresAt
        : undefined;
  if (refreshExpiry !== undefined) tokens.refreshTokenExpiresAt = refreshExpiry;
  return tokens;
}

export class UserTokenSession {
  constructor(
    private readonly userId: string,
    private readonly store: TokenStore,
    private readonly grant: RefreshGrant,
    private readonly marginMs: number,
    private readonly now: () => number,
    /** Shared by every session of the client: userId → refresh in flight. */
    private readonly inFlight: Map<string, Promise<UserTokens>>,
  ) {}

  /** A token valid for at least the margin, refreshing first when needed. */
  async accessToken(): Promise<string> {
    const pending = this.inFlight.get(this.userId);
    if (pending) return (await pending).accessToken;
    const tokens = await this.store.get();
    if (this.isFresh(tokens)) return tokens.accessToken;
    return (await this.refresh(tokens)).accessToken;
  }

  /** Kakao answered -401 for `rejected`: refresh unless another call already did. */
  async replaceRejected(rejected: string): Promise<string> {
    const pending = this.inFlight.get(this.userId);
    if (pending) return (await pending).accessToken;
    // Another process may have refreshed meanwhile: read what is stored, not what was reused.
    this.store.forget?.();
    const tokens = await this.store.get();
    if (tokens.accessToken !== rejected && this.isFresh(tokens)) return tokens.accessToken;
    return (await this.refresh(tokens)).accessToken;
  }

  private isFresh(tokens: UserTokens): boolean {
    return tokens.accessTokenExpiresAt - this.marginMs > this.now();
  }

  private refresh(current: UserTokens): Promise<UserTokens> {
    const pending = this.inFlight.get(this.userId);
    if (pending) return pending;
    const run = (async () => {
      if (current.refreshTokenExpiresAt !== undefined && current.refreshTokenExpiresAt <= this.now()) {
        throw new KakaoTokenError(
          { status: 0, endpoint: 'oauth.refresh' },
          'oauth.refresh: the refresh token has expired; the user must reconnect',
        );
      }
      const answer = await this.grant(current.refreshToken);
      const tokens = tokensFromRefresh(current, answer, this.now());
      await this.store.save(tokens);
      return tokens;
    })().finally(() => this.inFlight.delete(this.userId));
    this.inFlight.set(this.userId, run);
    return run;
  }
}
