import { describe, expect, it } from 'vitest';
import { BoundedMap } from '../../../src/translate/bounded-map.js';

describe('BoundedMap', () => {
  it('forgets the oldest entry past its size (setting a key again renews it)', () => {
    const m = new BoundedMap<string, number>(2);
    m.set('a', 1).set('b', 2).set('a', 10);
    m.set('c', 3);
    expect(m.size).toBe(2);
    expect(m.has('b')).toBe(false);
    expect([m.get('a'), m.get('c')]).toEqual([10, 3]);
  });

  it('stays bounded whatever is put in it, and does not keep over-long keys', () => {
    const m = new BoundedMap<string, number>(100, 10);
    for (let i = 0; i < 10_000; i++) m.set(`key ${i}`, i);
    expect(m.size).toBe(100);
    m.set('x'.repeat(11), 1);
    expect(m.has('x'.repeat(11))).toBe(false);
  });
});
