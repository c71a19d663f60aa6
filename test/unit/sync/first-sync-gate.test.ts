import { describe, expect, it } from 'vitest';
import type { CallPurpose, QuotaGate } from '../../../src/model/quota.js';
import { FirstSyncDeferredError } from '../../../src/sync/errors.js';
import { asFirstSyncCalls, firstSyncGate } from '../../../src/sync/first-sync-gate.js';

// A link's first sync charges its writes as 'first-sync'; a refusal stops it instead of writing unpaid.

function recordingGate(grant: (purpose: CallPurpose) => boolean) {
  const asked: string[] = [];
  const charged: string[] = [];
  const gate: QuotaGate = {
    acquire: async (_user, purpose, calls = 1) => {
      asked.push(`${purpose}×${calls}`);
      return grant(purpose);
    },
    charge: async (_user, purpose, calls = 1) => {
      charged.push(`${purpose}×${calls}`);
    },
  };
  return { gate, asked, charged };
}

describe('first-sync gate', () => {
  it("asks for writes as 'first-sync' and passes every other purpose through", async () => {
    const { gate, asked, charged } = recordingGate(() => true);
    const first = firstSyncGate(gate, 'feed');
    expect(await first.acquire('u1', 'write', 1)).toBe(true);
    expect(await first.acquire('u1', 'verify', 2)).toBe(true);
    await first.charge?.('u1', 'write', 1);
    await first.charge?.('u1', 'retry', 1);
    expect(asked).toEqual(['first-sync×1', 'verify×2']);
    expect(charged).toEqual(['first-sync×1', 'retry×1']);
  });

  it('a refused first-sync write ends the run with a typed error naming the link', async () => {
    const { gate } = recordingGate((purpose) => purpose !== 'first-sync');
    const first = firstSyncGate(gate, 'work-feed');
    const refused = first.acquire('u1', 'write', 1);
    await expect(refused).rejects.toBeInstanceOf(FirstSyncDeferredError);
    await expect(refused).rejects.toThrow(/link work-feed: its first sync waits/);
  });

  it('a refused read is answered false as before (the caller skips it)', async () => {
    const { gate } = recordingGate((purpose) => purpose !== 'detail');
    expect(await firstSyncGate(gate, 'feed').acquire('u1', 'detail', 1)).toBe(false);
  });

  it("re-tallies a run's calls: writes join the first-sync count, the rest stay", () => {
    expect(asFirstSyncCalls({ 'first-sync': 13, write: 200, retry: 2 })).toEqual({
      'first-sync': 213,
      retry: 2,
    });
    expect(asFirstSyncCalls({})).toEqual({});
  });
});
