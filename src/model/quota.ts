// The sync engine asks before spending Kakao calls; the daemon's quota governor (shared by all
// workers through Redis) answers. Writes that carry source changes are never refused for lack of
// daily budget (they are what the user asked for) but wait for the per-second rate; verification
// reads get only what the day's remaining budget allows. One grant pays for one logical call's first
// HTTP request; the requests it makes beyond that (a list's next pages, retries, the repeat after a
// token refresh) are charged as they are sent (src/model/granted-call.ts).
export type CallPurpose = 'write' | 'verify' | 'first-sync' | 'detail' | 'retry';

/** Every purpose, in the order status lines and metrics show them. */
export const callPurposes: readonly CallPurpose[] = ['first-sync', 'write', 'verify', 'detail', 'retry'];

export interface QuotaGate {
  /**
   * Reserves `calls` Kakao calls for `purpose` on behalf of `userId`. Resolves true when all of them
   * may be made (after waiting for the rate limit if needed), false when the purpose is deferred for
   * today (then none is taken).
   */
  acquire(userId: string, purpose: CallPurpose, calls?: number): Promise<boolean>;
  /**
   * Counts calls already committed to (a list's next page, a retry, the repeat after a token
   * refresh): paced by the rate, never refused. A gate without it counts only what it granted.
   */
  charge?(userId: string, purpose: CallPurpose, calls?: number): Promise<void>;
}

/** A gate that grants everything: for tests and one-off commands such as `inspect`. */
export const unlimitedQuota: QuotaGate = { acquire: async () => true, charge: async () => {} };
