import { KakaoTokenError } from '../kakao/errors.js';
import type { TokenStore, UserTokens } from '../kakao/tokens.js';
import type { UserStore } from './user-store.js';

/** The Kakao client's per-user TokenStore over the registry (tokens sealed at rest). */
export function registryTokenStore(users: UserStore, userId: string): TokenStore {
  return {
    async get(): Promise<UserTokens> {
      const tokens = await users.getTokens(userId);
      if (!tokens) {
        throw new KakaoTokenError(
          { status: 0, endpoint: 'registry.tokens' },
          `user ${userId} has no Kakao tokens; connect the account first`,
        );
      }
      return tokens;
    },
    async save(tokens: UserTokens): Promise<void> {
      const previous = await users.getTokens(userId);
      await users.saveTokens(userId, { ...tokens, ...(previous?.scopes ? { scopes: previous.scopes } : {}) });
    },
  };
}
