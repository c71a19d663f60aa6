import { KakaoTokenError } from '../kakao/errors.js';
import type { TokenStore, UserTokens } from '../kakao/tokens.js';
import type { UserStore } from './user-store.js';

/**
 * The Kakao client's per-user TokenStore over the registry (tokens sealed at rest). `reuseMs`: one
 * read serves the calls of that long (a sync's writes in a burst), instead of a Redis read and an
 * unsealing per call; tokens this store saves are reused at once; a token Kakao rejects is re-read.
 */
export function registryTokenStore(users: UserStore, userId: string, reuseMs = 0): TokenStore {
  let kept: { tokens: UserTokens; at: number } | undefined;
  return {
    async get(): Promise<UserTokens> {
      if (kept && Date.now() - kept.at < reuseMs) return kept.tokens;
      const tokens = await users.getTokens(userId);
      if (!tokens) {
        throw new KakaoTokenError(
          { status: 0, endpoint: 'registry.tokens' },
          `user ${userId} has no Kakao tokens; connect the account first`,
        );
      }
      kept = { tokens, at: Date.now() };
      return tokens;
    },
    async save(tokens: UserTokens): Promise<void> {
      const previous = await users.getTokens(userId);
      const saved = { ...tokens, ...(previous?.scopes ? { scopes: previous.scopes } : {}) };
      await users.saveTokens(userId, saved);
      kept = { tokens: saved, at: Date.now() };
    },
    forget() {
      kept = undefined;
    },
  };
}
