// The sync engine asks before spending Kakao calls; the daemon's quota governor (shared by all
// workers through Redis) answers. Writes that carry source changes are never refused for lack of
// daily budget (they are what the user asked for) but wait for the per-second rate; verification
// reads get only what the day's remaining budget allows.
export type CallPurpose = 'write' | 'verify' | 'first-sync' | 'detail';

export interface QuotaGate {
  /**
   * Reserves `calls` Kakao calls for `purpose` on behalf of `userId`. Resolves true when they may be
   * made (after waiting for the rate limit if needed), false when the purpose is deferred for today.
   */
  acquire(userId: string, purpose: CallPurpose, calls?: number): Promise<boolean>;
}

/** A gate that grants everything: for tests and one-off commands such as `inspect`. */
export const unlimitedQuota: QuotaGate = { acquire: async () => true };
