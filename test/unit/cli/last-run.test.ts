import { describe, expect, it } from 'vitest';
import { lastRunLine } from '../../../src/cli/last-run.js';

const run = {
  jobId: 'user-1',
  manual: true,
  startedAt: '2026-05-01T00:00:00.000Z',
  finishedAt: '2026-05-01T00:00:01.000Z',
  durationMs: 1000,
  outcome: 'ok' as const,
};

describe('the last-run line of users show', () => {
  it('does not call a run ok when its links failed', () => {
    expect(lastRunLine(run, [{ linkId: 'a', error: 'ICS feed …: HTTP 404' }])).toBe(
      'last run 2026-05-01T00:00:01.000Z: failed (1 of 1 link failed) in 1000 ms',
    );
    expect(lastRunLine(run, [{ linkId: 'a', error: 'x' }, { linkId: 'b' }])).toMatch(
      /: partly failed \(1 of 2 links failed\) in/,
    );
  });

  it('says ok when every link went through, and keeps the outcome and error of a failed job', () => {
    expect(lastRunLine(run, [{ linkId: 'a' }, { linkId: 'b', error: '' }])).toMatch(/: ok in 1000 ms$/);
    expect(lastRunLine({ ...run, outcome: 'failed', error: 'tokens revoked' }, [])).toMatch(
      /: failed in 1000 ms — tokens revoked$/,
    );
  });
});
