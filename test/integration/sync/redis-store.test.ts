import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { LockLostError, SyncLockedError } from '../../../src/sync/errors.js';
import { acquireLock, withUserLock } from '../../../src/sync/store/lock.js';
import type { CreateIntent, ItemMapping } from '../../../src/sync/store/mapping.js';
import { RedisMappingStore } from '../../../src/sync/store/redis-mapping-store.js';
import { testRedis } from './harness.js';

// The mapping store and the user lock on the shared Redis, under a private key prefix.

const r = testRedis();
const store = new RedisMappingStore(r.redis, r.keys);

afterAll(async () => {
  await r.cleanup();
});

const mapping = (key: string): ItemMapping => ({
  sourceKey: key,
  sourceHash: 'h',
  contentHash: 'c',
  units: {
    main: {
      kakaoId: `k-${key}`,
      desiredHash: 'd',
      kakaoHash: 'p',
      start: '2025-03-01T00:00:00Z',
      end: '2025-03-01T01:00:00Z',
      recurring: false,
      instancesApplied: [],
    },
  },
});

const intent = (id: string): CreateIntent => ({
  id,
  sourceKey: 'a',
  unitKey: 'main',
  title: 'T',
  start: '2025-03-01T00:00:00Z',
  end: '2025-03-01T01:00:00Z',
  allDay: false,
  recurring: false,
  calendarId: 'primary',
  at: '',
});

describe('RedisMappingStore', () => {
  it('a calendar created for a link that wrote nothing yet owes no listing; any other is not marked', async () => {
    expect(await store.markCalendarEmpty('u-new-cal', 'l')).toBe(true);
    expect((await store.load('u-new-cal', 'l')).needsFullListing).toBe(false);
    await withUserLock(r.redis, r.keys, 'u-mapped-cal', 5000, async (lock) => {
      await store.commit(lock, 'l', { put: [mapping('a')] });
      await store.openIntent(lock, 'm', intent('i1'));
      await store.commit(lock, 'n', { meta: { cursor: 'c1' } });
    });
    for (const linkId of ['l', 'm', 'n']) {
      expect(await store.markCalendarEmpty('u-mapped-cal', linkId)).toBe(false);
      expect((await store.load('u-mapped-cal', linkId)).needsFullListing).toBe(true);
    }
  });

  it('a fresh link loads empty and owes a full listing', async () => {
    const s = await store.load('u-empty', 'l');
    expect(s.items.size).toBe(0);
    expect(s.needsFullListing).toBe(true);
    expect(s.identityMode).toBe('uid');
  });

  it('commits mapping, meta and verification state, and settles intents in one step', async () => {
    await withUserLock(r.redis, r.keys, 'u1', 5000, async (lock) => {
      await store.openIntent(lock, 'l', intent('i1'));
      expect((await store.load('u1', 'l')).intents.map((i) => i.id)).toEqual(['i1']);
      await store.commit(lock, 'l', {
        put: [mapping('a'), mapping('b')],
        settleIntents: ['i1'],
        meta: { cursor: 'c1', needsFullListing: false, identityMode: 'content' },
        verified: { '2025-03-01': '2025-03-01T10:00:00Z' },
      });
      await store.commit(lock, 'l', { remove: ['b'] });
    });
    const s = await store.load('u1', 'l');
    expect([...s.items.keys()]).toEqual(['a']);
    expect(s.items.get('a')).toEqual(mapping('a'));
    expect(s.intents).toEqual([]);
    expect(s).toMatchObject({ cursor: 'c1', needsFullListing: false, identityMode: 'content' });
    expect(s.verifiedWindows).toEqual({ '2025-03-01': '2025-03-01T10:00:00Z' });
  });

  it('every key of a user carries the {userId} hash tag and the configured prefix', () => {
    const k = r.keys;
    for (const key of [
      k.lock('u9'),
      k.fence('u9'),
      k.items('u9', 'l'),
      k.intents('u9', 'l'),
      k.meta('u9', 'l'),
      k.verified('u9', 'l'),
      k.snapshot('u9'),
      k.snapshotWindows('u9'),
    ]) {
      expect(key.startsWith(`${r.prefix}:`)).toBe(true);
      expect(key.match(/\{[^}]*\}/)?.[0]).toBe('{u9}');
    }
  });

  it('dropLink forgets the link', async () => {
    await store.dropLink('u1', 'l');
    expect((await store.load('u1', 'l')).items.size).toBe(0);
  });
});

describe('user sync lock', () => {
  it('is exclusive, and fencing tokens increase', async () => {
    const a = await acquireLock(r.redis, r.keys, 'u2', 5000);
    await expect(acquireLock(r.redis, r.keys, 'u2', 5000)).rejects.toBeInstanceOf(SyncLockedError);
    await a.release();
    const b = await acquireLock(r.redis, r.keys, 'u2', 5000);
    expect(b.token).toBeGreaterThan(a.token);
    await b.release();
  });

  it('a stale holder cannot commit after its lock expired and another took it', async () => {
    const stale = await acquireLock(r.redis, r.keys, 'u3', 1000);
    // Simulate the holder stalling past its TTL: the key is gone and someone else holds the lock.
    await r.redis.del(r.keys.lock('u3'));
    const fresh = await acquireLock(r.redis, r.keys, 'u3', 5000);
    await expect(store.commit(stale, 'l', { put: [mapping('x')] })).rejects.toBeInstanceOf(LockLostError);
    await store.commit(fresh, 'l', { put: [mapping('y')] });
    expect([...(await store.load('u3', 'l')).items.keys()]).toEqual(['y']);
    // Releasing the stale lock must not delete the fresh holder's key.
    await stale.release();
    expect(await r.redis.get(r.keys.lock('u3'))).toBe(String(fresh.token));
    await fresh.release();
    expect(await r.redis.get(r.keys.lock('u3'))).toBeNull();
  });

  it('expires when the holder dies, and is renewed while it lives', async () => {
    const held = await acquireLock(r.redis, r.keys, 'u4', 1000);
    await new Promise((res) => setTimeout(res, 1500));
    // Renewed every ttl/3: still held after more than one TTL.
    expect(await r.redis.get(r.keys.lock('u4'))).toBe(String(held.token));
    await held.release();
    await r.redis.set(r.keys.lock('u5'), '999', 'PX', 200);
    await new Promise((res) => setTimeout(res, 400));
    const next = await acquireLock(r.redis, r.keys, 'u5', 1000);
    await next.release();
  });

  it('a holder whose event loop stalled past its lease stops before writing, whatever Redis says', async () => {
    const held = await acquireLock(r.redis, r.keys, 'u6', 300);
    held.assertHeld();
    // A blocked loop: no renewal could run, and another worker may hold the lock by now.
    const until = Date.now() + 400;
    while (Date.now() < until) {}
    expect(() => held.assertHeld()).toThrow(LockLostError);
    await held.release();
  });

  it('a holder whose renewal fails stops at once', async () => {
    const own = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
    const held = await acquireLock(own, r.keys, 'u7', 3000);
    own.disconnect();
    await new Promise((res) => setTimeout(res, 1200));
    expect(() => held.assertHeld()).toThrow(LockLostError);
    await r.redis.del(r.keys.lock('u7'));
  });
});
