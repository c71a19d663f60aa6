import { describe, expect, it } from 'vitest';
import type { DesiredEventItem } from '../../../src/model/desired.js';
import { TranslateWarningSummary } from '../../../src/sync/translate-warnings.js';

const item = (key: string, ...warnings: [DesiredEventItem['warnings'][number]['code'], string][]) =>
  ({
    kind: 'event',
    sourceKey: key,
    units: [],
    exactTimes: {},
    warnings: warnings.map(([code, message]) => ({ code, message })),
  }) satisfies DesiredEventItem;

describe('TranslateWarningSummary', () => {
  it('reports each warning code once, with the number of items and the first as an example', () => {
    const summary = new TranslateWarningSummary();
    summary.add(item('a', ['description-truncated', 'description cut to 5000 characters']));
    summary.add(
      item('b', ['description-truncated', 'description cut to 5000 characters'], ['rounded-to-grid', 'r']),
    );
    summary.add(item('c'));
    expect(summary.lines()).toEqual([
      'description-truncated: 2 items (e.g. a: description cut to 5000 characters)',
      'rounded-to-grid: 1 item (e.g. b: r)',
    ]);
  });

  it('stays one line per code however many items warn', () => {
    const summary = new TranslateWarningSummary();
    for (let i = 0; i < 5000; i++)
      summary.add(item(`u${i}`, ['occurrences-capped', 'x'], ['occurrences-capped', 'y']));
    expect(summary.lines()).toEqual(['occurrences-capped: 5000 items (e.g. u0: x)']);
  });
});
