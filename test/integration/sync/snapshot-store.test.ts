import { afterAll, describe, expect, it } from 'vitest';
import type { EventCreate } from '../../../src/kakao/types.js';
import { KakaoSnapshot } from '../../../src/sync/store/kakao-snapshot.js';
import { acquireLock } from '../../../src/sync/store/lock.js';
import type { ItemMapping } from '../../../src/sync/store/mapping.js';
import { RedisMappingStore } from '../../../src/sync/store/redis-mapping-store.js';
import { testRedis } from './harness.js';

// The snapshot keeps our own events by reference to the link's mapping (the event is stored once).
// A crash between the mapping commit and the snapshot's own-write record must never make a reader
// show a wrong event: the reference always resolves to what the mapping holds, or is dropped.

const r = testRedis();
const store = new RedisMappingStore(r.redis, r.keys);
const snapshot = new KakaoSnapshot(r.redis, r.keys);

afterAll(async () => {
  await r.cleanup();
});

const time = { start_at: '2027-01-03T05:00:00Z', end_at: '2027-01-03T06:00:00Z', time_zone: 'Asia/Seoul' };
const event = (title: string): EventCreate => ({ title, time, description: `${title} notes` });

function item(sourceKey: string, kakaoId: string, e: EventCreate): ItemMapping {
  return {
    sourceKey,
    sourceHash: 's',
    contentHash: 'c',
    units: {
      main: {
        kakaoId,
        desiredHash: 'd',
        kakaoHash: 'p',
        start: time.start_at,
        end: time.end_at,
        recurring: false,
        instancesApplied: [],
        event: e,
      },
    },
  };
}

async function commit(userId: string, put: ItemMapping[], remove: string[] = []) {
  const lock = await acquireLock(r.redis, r.keys, userId, 5000);
  await store.commit(lock, 'feed', { put, remove });
  await lock.release();
}

const titles = async (userId: string) =>
  (await snapshot.read(userId)).entries.map((e) => [e.key, e.event?.title, e.brief.title]);

describe('own events in the snapshot, by reference to the mapping', () => {
  it('reads the event the mapping holds, whichever was written last', async () => {
    await commit('s1', [item('a', 'K1', event('First'))]);
    await snapshot.upsertOwn('s1', 'feed', ['K1']);
    expect(await titles('s1')).toEqual([['K1', 'First', 'First']]);
    expect(await r.redis.hget(r.keys.snapshot('s1'), 'K1')).not.toContain('First');
    // The mapping commit of an update landed, the snapshot's record of it did not (a crash).
    await commit('s1', [item('a', 'K1', event('Second'))]);
    expect(await titles('s1')).toEqual([['K1', 'Second', 'Second']]);
  });

  it('drops a reference whose event the mapping no longer holds', async () => {
    await commit('s2', [item('a', 'K1', event('Kept')), item('b', 'K2', event('Deleted'))]);
    await snapshot.upsertOwn('s2', 'feed', ['K1', 'K2']);
    await commit('s2', [], ['b']); // deleted, and the snapshot's record of it lost
    expect(await titles('s2')).toEqual([['K1', 'Kept', 'Kept']]);
  });

  it('a window listing keeps a listed reference, records what the listing added, and clears dangling ones', async () => {
    await commit('s3', [item('a', 'K1', event('Mine'))]);
    await snapshot.upsertOwn('s3', 'feed', ['K1', 'K9']); // K9: the mapping never committed it
    const listed = { id: 'K1', title: 'Mine', type: 'USER' as const, calendar_id: 'primary', time };
    const other = { id: 'X1', title: 'Not ours', type: 'USER' as const, calendar_id: 'primary', time };
    await snapshot.replaceWindow(
      's3',
      { from: '2027-01-01T00:00:00Z', to: '2027-02-01T00:00:00Z' },
      [listed, other],
      new Date('2027-01-02T00:00:00Z'),
    );
    const { entries } = await snapshot.read('s3');
    expect(entries.map((e) => e.key).sort()).toEqual(['K1', 'X1']);
    expect(entries.find((e) => e.key === 'K1')).toMatchObject({ event: event('Mine'), brief: listed });
    expect(await r.redis.hexists(r.keys.snapshot('s3'), 'K9')).toBe(0);
    expect(await r.redis.hget(r.keys.snapshot('s3'), 'K1')).not.toMatch(/Mine|notes/); // only calendar_id differs
  });
});
