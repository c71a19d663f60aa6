import { createHash } from 'node:crypto';

/**
 * A stable pseudo-random offset in [0, maxMs] for a user, so that thousands of schedules with the same
 * interval spread over the interval instead of firing together; the same user always gets the same one.
 */
export function stableOffsetMs(userId: string, maxMs: number): number {
  if (maxMs <= 0) return 0;
  const digest = createHash('sha256').update(userId).digest();
  return digest.readUInt32BE(0) % (Math.floor(maxMs) + 1);
}
