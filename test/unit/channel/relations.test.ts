import { describe, expect, it } from 'vitest';
import { dueForCheck, type RelationRecord, verdictOf } from '../../../src/channel/relations.js';

// What a relationship answer means for following, and when a user is checked again.

describe('relationship verdicts', () => {
  const answer = (relation: 'ADDED' | 'BLOCKED' | 'NONE', id = '_ch') => ({
    user_id: 1,
    channels: [{ channel_uuid: '@c', channel_public_id: id, relation }],
  });

  it.each([
    ['ADDED', 'added'],
    ['BLOCKED', 'blocked'],
    ['NONE', 'not-added'],
  ] as const)('%s → %s', (relation, verdict) => {
    expect(verdictOf(answer(relation), '_ch')).toBe(verdict);
  });

  it('a user left out of the answer, or answered for another channel only, is unchecked', () => {
    expect(verdictOf(undefined, '_ch')).toBe('unchecked');
    expect(verdictOf(answer('ADDED', '_other'), '_ch')).toBe('unchecked');
  });
});

describe('re-checks', () => {
  const now = new Date('2030-01-02T00:00:00Z');
  const hour = 3_600_000;
  const known = new Map<string, RelationRecord>([
    ['fresh', { verdict: 'blocked', checkedAt: '2030-01-01T23:00:00Z' }],
    ['stale', { verdict: 'not-added', checkedAt: '2030-01-01T00:00:00Z' }],
  ]);

  it('checks users never checked and those whose check is older than the interval', () => {
    expect(dueForCheck(['fresh', 'stale', 'new'], known, now, 24 * hour)).toEqual(['stale', 'new']);
    expect(dueForCheck(['fresh', 'stale'], known, now, 25 * hour)).toEqual([]);
  });

  it('checks everyone for a follow someone asked for', () => {
    expect(dueForCheck(['fresh', 'stale'], known, now, 24 * hour, true)).toEqual(['fresh', 'stale']);
  });
});
