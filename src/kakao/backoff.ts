// Exponential backoff with full jitter (AWS architecture blog): the delay before retry `attempt`
// (1 = first retry) is uniform in [0, min(maxDelayMs, baseDelayMs * 2^(attempt-1))].

export interface BackoffPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
}

export function backoffCeiling(attempt: number, policy: BackoffPolicy): number {
  const exp = policy.baseDelayMs * 2 ** Math.max(0, attempt - 1);
  return Math.min(policy.maxDelayMs, exp);
}

export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  return Math.floor(random() * backoffCeiling(attempt, policy));
}
