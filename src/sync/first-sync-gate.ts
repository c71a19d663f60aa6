import type { CallPurpose, QuotaGate } from '../model/quota.js';
import { FirstSyncDeferredError } from './errors.js';

// A link's first sync (nothing mapped yet) creates every event of its source: those writes are
// charged as 'first-sync', not 'write', so the governor can hold a burst of new users to the budget
// outside the write reserve while existing users' writes keep theirs, and status and metrics show
// what admission costs. Retries stay 'retry'.

/** The purpose a call of a first sync is charged to. */
export const firstSyncPurpose = (purpose: CallPurpose): CallPurpose =>
  purpose === 'write' ? 'first-sync' : purpose;

/**
 * The gate a first sync's writes go through: 'write' becomes 'first-sync'; a refusal (the day's
 * first-sync allowance is spent) ends the run instead of writing unpaid.
 */
export function firstSyncGate(gate: QuotaGate, linkId: string): QuotaGate {
  return {
    async acquire(userId, purpose, calls = 1) {
      const charged = firstSyncPurpose(purpose);
      const granted = await gate.acquire(userId, charged, calls);
      if (!granted && charged !== purpose) throw new FirstSyncDeferredError(linkId);
      return granted;
    },
    async charge(userId, purpose, calls = 1) {
      await gate.charge?.(userId, firstSyncPurpose(purpose), calls);
    },
  };
}

/** A run's call tally with a first sync's writes under 'first-sync'. */
export function asFirstSyncCalls(
  calls: Partial<Record<CallPurpose, number>>,
): Partial<Record<CallPurpose, number>> {
  const out: Partial<Record<CallPurpose, number>> = {};
  for (const [p, n] of Object.entries(calls) as [CallPurpose, number][]) {
    const q = firstSyncPurpose(p);
    out[q] = (out[q] ?? 0) + n;
  }
  return out;
}
