import { afterAll, describe, expect, it } from 'vitest';
import { CorruptLinkRecordError, LinkRecordHash } from '../../../src/sync/store/link-record-hash.js';
import { testRedis } from './harness.js';

const r = testRedis();
afterAll(() => r.cleanup());

describe('LinkRecordHash (real Redis)', () => {
  const key = (userId: string, linkId: string) => `${r.prefix}:user:{${userId}}:link:${linkId}:records`;
  const hash = new LinkRecordHash<{ n: number }>(r.redis, key, 'test record');

  it('keeps records per link by id; removes the ones named', async () => {
    await hash.put('1', 'a', 'x', { n: 1 });
    await hash.put('1', 'a', 'y', { n: 2 });
    await hash.put('1', 'b', 'x', { n: 3 });
    expect([...(await hash.load('1', 'a'))]).toEqual([
      ['x', { n: 1 }],
      ['y', { n: 2 }],
    ]);
    await hash.remove('1', 'a', ['x']);
    await hash.remove('1', 'a', []);
    expect([...(await hash.load('1', 'a')).keys()]).toEqual(['y']);
    expect((await hash.load('1', 'b')).get('x')).toEqual({ n: 3 });
  });

  it('names a record it cannot read', async () => {
    await r.redis.hset(key('2', 'a'), 'bad', '{not json');
    const err = await hash.load('2', 'a').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CorruptLinkRecordError);
    expect((err as Error).message).toBe('corrupt test record bad in Redis');
  });
});
