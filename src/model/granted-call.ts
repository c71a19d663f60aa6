import { AsyncLocalStorage } from 'node:async_hooks';
import type { CallPurpose, QuotaGate } from './quota.js';

// One logical Kakao call the quota gate granted, carried from the grant to the HTTP transport
// (AsyncLocalStorage, so parallel calls keep their own), so that every request it makes reaches the
// gate: the grant pays for the first; each further request is charged before it is sent — a list's
// next page under the call's own purpose, a retry or the repeat after a token refresh as 'retry'.

interface GrantedCall {
  userId: string;
  purpose: CallPurpose;
  gate: QuotaGate;
  /** Requests sent so far under this grant. */
  sent: number;
  onCharged?: ((purpose: CallPurpose) => unknown) | undefined;
  /** Throws when no request may be sent any more (the sync's lock lease ended, the run halted). */
  guard?: (() => void) | undefined;
}

const current = new AsyncLocalStorage<GrantedCall>();

/**
 * Runs `fn` (one logical call the gate already granted) so that its extra requests are charged to
 * the gate; `onCharged` hears each extra charge (the run's own tally) before that request is sent,
 * and may stop it by throwing or delay it (a create's intent stamped again); `guard` runs before
 * every request, a retry's too, and stops it by throwing.
 */
export function withinGrant<T>(
  gate: QuotaGate,
  userId: string,
  purpose: CallPurpose,
  fn: () => Promise<T>,
  onCharged?: (purpose: CallPurpose) => unknown,
  guard?: () => void,
): Promise<T> {
  return current.run({ userId, purpose, gate, sent: 0, onCharged, guard }, fn);
}

/** What the transport says about a request it is about to send to the API host. */
export interface OutgoingRequest {
  /** 1 for the first try of a request, 2 and up for retries. */
  attempt: number;
  /** The same call sent again after its token was refreshed. */
  afterTokenRefresh: boolean;
}

/**
 * Charges one request about to be sent under the current grant (the first is the grant's own) and
 * returns the purpose it counts under; undefined outside any grant.
 */
export async function chargeRequest(request: OutgoingRequest): Promise<CallPurpose | undefined> {
  const call = current.getStore();
  if (!call) return undefined;
  call.guard?.();
  call.sent += 1;
  if (call.sent === 1) return call.purpose;
  const extra = request.attempt > 1 || request.afterTokenRefresh ? 'retry' : call.purpose;
  await call.gate.charge?.(call.userId, extra, 1);
  await call.onCharged?.(extra);
  return extra;
}
