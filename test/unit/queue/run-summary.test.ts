import { describe, expect, it } from 'vitest';
import { boundedRunResult } from '../../../src/queue/run-summary.js';

describe('the kept record of a run', () => {
  it('drops the plan and keeps at most 20 of each list, counting the rest', () => {
    const warnings = Array.from({ length: 45 }, (_, i) => `w${i}`);
    const result = {
      userId: 'u1',
      durationMs: 12,
      calls: { write: 3 },
      links: [
        {
          linkId: 'feed',
          counts: { kakao: { created: 3, updated: 0, deleted: 0 } },
          skipped: null,
          warnings,
          conflicts: [],
          quarantined: [{ sourceKey: 'a', reason: 'x' }],
          failed: [],
          calls: { write: 3 },
          plan: { items: Array.from({ length: 500 }, () => ({ actions: [] })) },
        },
      ],
    };
    const kept = boundedRunResult(result) as { links: Record<string, unknown>[] };
    expect(kept).toMatchObject({ userId: 'u1', durationMs: 12, calls: { write: 3 } });
    const [link] = kept.links;
    expect(link).not.toHaveProperty('plan');
    expect(link?.['warnings']).toEqual(warnings.slice(0, 20));
    expect(link?.['warningsMore']).toBe(25);
    expect(link?.['quarantined']).toEqual([{ sourceKey: 'a', reason: 'x' }]);
    expect(link).not.toHaveProperty('quarantinedMore');
    expect(JSON.stringify(kept).length).toBeLessThan(1000);
  });

  it('passes through what is not an engine result', () => {
    expect(boundedRunResult(undefined)).toBeUndefined();
    expect(boundedRunResult('text')).toBe('text');
    expect(boundedRunResult({ links: 'odd' })).toEqual({});
  });
});
