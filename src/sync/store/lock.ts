import type { Cluster, Redis } from 'ioredis';
import { deleteIfOwner, renewIfOwner } from '../../registry/lua-script.js';
import { LockLostError, SyncLockedError } from '../errors.js';
import type { SyncKeys } from './keys.js';
import type { Fence } from './mapping-store.js';

// One sync per user at a time, across processes. The lock value is a fencing token from an INCR
// counter; the holder renews it while it works; it expires lockTtlMs after the holder dies; it is
// released only by its holder (compare-and-delete). Mapping commits check the same token. Kakao has
// no fence, so the holder also keeps a lease: it counts itself holder only until lockTtlMs after the
// last renewal it *sent* (a reply may come late), and a failed renewal ends it at once.

export interface HeldLock extends Fence {
  /**
   * Throws LockLostError once the lock may be another's: a renewal found another token or failed,
   * or the lease ran out (checked before every Kakao write).
   */
  assertHeld(): void;
  release(): Promise<void>;
}

export async function acquireLock(
  redis: Redis | Cluster,
  keys: SyncKeys,
  userId: string,
  ttlMs: number,
): Promise<HeldLock> {
  const token = await redis.incr(keys.fence(userId));
  const asked = Date.now();
  const ok = await redis.set(keys.lock(userId), String(token), 'PX', ttlMs, 'NX');
  if (ok !== 'OK') throw new SyncLockedError(userId);
  let lost = false;
  let released = false;
  let leaseUntil = asked + ttlMs;
  const renew = async () => {
    const sent = Date.now();
    try {
      const renewed = await renewIfOwner.run(redis, [keys.lock(userId)], [token, ttlMs]);
      if (renewed === 1) leaseUntil = Math.max(leaseUntil, sent + ttlMs);
      else lost = true;
    } catch {
      // Redis could not confirm the lock: another worker may take it over; stop writing to Kakao.
      lost = true;
    }
  };
  const timer = setInterval(() => void renew(), Math.max(100, Math.floor(ttlMs / 3)));
  timer.unref();
  return {
    userId,
    token,
    assertHeld() {
      if (lost || released || Date.now() >= leaseUntil) throw new LockLostError(userId);
    },
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      await deleteIfOwner.run(redis, [keys.lock(userId)], [token]);
    },
  };
}

/** Runs `fn` holding the user's sync lock; always releases it. */
export async function withUserLock<T>(
  redis: Redis | Cluster,
  keys: SyncKeys,
  userId: string,
  ttlMs: number,
  fn: (lock: HeldLock) => Promise<T>,
): Promise<T> {
  const lock = await acquireLock(redis, keys, userId, ttlMs);
  try {
    return await fn(lock);
  } finally {
    await lock.release();
  }
}
