// Kakao Login tokens of the emulator: issuance, lookup, expiry, rotation and the per-user issuance
// limits (20 access tokens / 10 min, 30 refresh tokens / 60 min).
import { OAuthFailure } from './errors.js';
import { newToken } from './ids.js';

export interface TokenSettings {
  accessTokenLifetimeSeconds: number;
  refreshTokenLifetimeSeconds: number;
  /** A refresh grant returns a new refresh token only when the old one has less than this left. */
  refreshRotationWindowSeconds: number;
}

export const defaultTokenSettings: TokenSettings = {
  accessTokenLifetimeSeconds: 21_600,
  refreshTokenLifetimeSeconds: 5_184_000, // 60 days
  refreshRotationWindowSeconds: 2_592_000, // 30 days
};

interface IssuedToken {
  userId: string;
  expiresAt: number;
}

export interface TokenGrant {
  token_type: 'bearer';
  access_token: string;
  expires_in: number;
  refresh_token?: string;
  refresh_token_expires_in?: number;
  scope?: string;
}

const accessLimit = { count: 20, windowMs: 10 * 60_000 };
const refreshLimit = { count: 30, windowMs: 60 * 60_000 };

export class TokenStore {
  private readonly access = new Map<string, IssuedToken>();
  private readonly refresh = new Map<string, IssuedToken>();
  private readonly accessIssued = new Map<string, number[]>();
  private readonly refreshIssued = new Map<string, number[]>();

  constructor(private readonly settings: TokenSettings) {}

  /** The user of a live access token, or why it is not live. */
  userOf(token: string, nowMs: number): { userId: string } | { problem: string } {
    const t = this.access.get(token);
    if (!t) return { problem: 'this access token does not exist' };
    if (t.expiresAt <= nowMs) return { problem: 'this access token is already expired' };
    return { userId: t.userId };
  }

  /** Seconds until a live access token expires (access_token_info). */
  secondsLeft(token: string, nowMs: number): number {
    const t = this.access.get(token);
    return t ? Math.max(0, Math.floor((t.expiresAt - nowMs) / 1000)) : 0;
  }

  /** The user a refresh token belongs to (for the request log), if it is known. */
  userOfRefresh(token: string): string | undefined {
    return this.refresh.get(token)?.userId;
  }

  /** Issues a pair without counting against the limits (admin seeding). */
  issuePair(userId: string, nowMs: number): TokenGrant {
    return {
      ...this.issueAccess(userId, nowMs),
      ...this.issueRefresh(userId, nowMs),
    };
  }

  /** authorization_code grant: a new access and refresh token, counted against both limits. */
  grantForCode(userId: string, nowMs: number): TokenGrant {
    this.checkLimit(this.accessIssued, userId, nowMs, accessLimit, 'access');
    this.checkLimit(this.refreshIssued, userId, nowMs, refreshLimit, 'refresh');
    this.record(this.accessIssued, userId, nowMs);
    this.record(this.refreshIssued, userId, nowMs);
    return this.issuePair(userId, nowMs);
  }

  /** refresh_token grant: a new access token; a new refresh token only inside the rotation window. */
  grantForRefresh(refreshToken: string, nowMs: number): TokenGrant {
    const t = this.refresh.get(refreshToken);
    if (!t || t.expiresAt <= nowMs) {
      throw new OAuthFailure(400, 'invalid_grant', 'expired or invalid refresh token', 'KOE322');
    }
    const rotate = t.expiresAt - nowMs < this.settings.refreshRotationWindowSeconds * 1000;
    this.checkLimit(this.accessIssued, t.userId, nowMs, accessLimit, 'access');
    if (rotate) this.checkLimit(this.refreshIssued, t.userId, nowMs, refreshLimit, 'refresh');
    this.record(this.accessIssued, t.userId, nowMs);
    const grant: TokenGrant = this.issueAccess(t.userId, nowMs);
    if (rotate) {
      this.record(this.refreshIssued, t.userId, nowMs);
      this.refresh.delete(refreshToken);
      Object.assign(grant, this.issueRefresh(t.userId, nowMs));
    }
    return grant;
  }

  /** Access tokens of the user stop working now. */
  expireAccess(userId: string, nowMs: number): number {
    let n = 0;
    for (const t of this.access.values()) {
      if (t.userId === userId && t.expiresAt > nowMs) {
        t.expiresAt = nowMs;
        n++;
      }
    }
    return n;
  }

  /** Access and refresh tokens of the user are gone (the user unlinked or revoked consent). */
  revoke(userId: string): void {
    for (const [k, t] of this.access) if (t.userId === userId) this.access.delete(k);
    for (const [k, t] of this.refresh) if (t.userId === userId) this.refresh.delete(k);
  }

  private issueAccess(userId: string, nowMs: number) {
    const token = newToken();
    const lifetime = this.settings.accessTokenLifetimeSeconds;
    this.access.set(token, { userId, expiresAt: nowMs + lifetime * 1000 });
    return { token_type: 'bearer' as const, access_token: token, expires_in: lifetime };
  }

  private issueRefresh(userId: string, nowMs: number) {
    const token = newToken();
    const lifetime = this.settings.refreshTokenLifetimeSeconds;
    this.refresh.set(token, { userId, expiresAt: nowMs + lifetime * 1000 });
    return { refresh_token: token, refresh_token_expires_in: lifetime };
  }

  private checkLimit(
    log: Map<string, number[]>,
    userId: string,
    nowMs: number,
    limit: { count: number; windowMs: number },
    kind: string,
  ): void {
    const recent = (log.get(userId) ?? []).filter((t) => t > nowMs - limit.windowMs);
    log.set(userId, recent);
    if (recent.length >= limit.count) {
      throw new OAuthFailure(
        400,
        'invalid_request',
        `${kind} token issuance limit exceeded: ${limit.count} per ${limit.windowMs / 60_000} minutes`,
        'KOE237',
      );
    }
  }

  private record(log: Map<string, number[]>, userId: string, nowMs: number): void {
    const list = log.get(userId) ?? [];
    list.push(nowMs);
    log.set(userId, list);
  }
}
