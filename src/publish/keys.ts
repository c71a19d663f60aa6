// Every Redis key the publisher writes. Per-user keys carry the `{userId}` hash tag like the
// registry's and the sync engine's; the token index is global (a lookup knows only the token).

export interface PublishKeys {
  /** String: feed record JSON, by SHA-256 (hex) of the feed's token. */
  token(tokenHash: string): string;
  /** Hash: feedId → feed record JSON (the user's feeds, for list/rotate/revoke). */
  feeds(userId: string): string;
  /** Hash: event UID → version record JSON (projection hash, SEQUENCE, LAST-MODIFIED). */
  versions(userId: string, feedId: string): string;
  /** String: the Korean holiday list JSON (app-wide, refreshed through the admin API / CLI). */
  holidays(): string;
}

export function publishKeys(prefix: string): PublishKeys {
  const u = (userId: string) => `${prefix}:user:{${userId}}:publish`;
  return {
    token: (tokenHash) => `${prefix}:publish:token:${tokenHash}`,
    feeds: (userId) => `${u(userId)}:feeds`,
    versions: (userId, feedId) => `${u(userId)}:feed:${feedId}:versions`,
    holidays: () => `${prefix}:publish:holidays`,
  };
}
