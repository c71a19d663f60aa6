import { describe, expect, it } from 'vitest';
import { chargeRequest } from '../../../src/model/granted-call.js';
import { unlimitedQuota } from '../../../src/model/quota.js';
import { MemoryStorage } from '../../../src/sources/memory/storage.js';
import { LockLostError } from '../../../src/sync/errors.js';
import { applyPlan } from '../../../src/sync/events/apply.js';
import { planLink } from '../../../src/sync/events/plan.js';
import type { KakaoPort } from '../../../src/sync/kakao-port.js';
import type { HeldLock } from '../../../src/sync/store/lock.js';
import { emptyLinkState } from '../../../src/sync/store/mapping.js';
import type { MappingStore } from '../../../src/sync/store/mapping-store.js';
import { allWindows, ev, fullSource, input, item } from '../../support/sync-fixtures.js';

// A worker writes to Kakao only while its lease holds — also the retry of a write already under
// way (the transport charges each retry before sending it, and the charge asks the lease first).

/** A plan with one create, applied through a port whose create is retried once (the transport). */
async function createWithRetry(loseLeaseBeforeRetry: boolean) {
  const state = emptyLinkState();
  const plan = planLink(
    input({
      state,
      source: fullSource(item('a@x', ev('Dentist', '2025-03-10T01:00:00Z'))),
      kakao: { windows: allWindows, events: [] },
    }),
  );
  let held = true;
  const lock: HeldLock = {
    userId: 'u1',
    token: 1,
    assertHeld() {
      if (!held) throw new LockLostError('u1');
    },
    release: async () => {},
  };
  const stamped: { id: string; at: string }[] = [];
  const store: MappingStore = {
    load: async () => state,
    openIntent: async (_f, _l, intent) => {
      stamped.push({ id: intent.id, at: intent.at });
    },
    commit: async () => {},
    dropLink: async () => {},
  };
  let clock = Date.parse('2025-03-01T00:00:00Z');
  let sent = 0;
  const kakao = {
    createEvent: async () => {
      await chargeRequest({ attempt: 1, afterTokenRefresh: false }); // the transport, before each send
      sent++; // the first attempt goes out and is refused as not processed (429); time passes
      clock += 8_000;
      if (loseLeaseBeforeRetry) held = false;
      await chargeRequest({ attempt: 2, afterTokenRefresh: false });
      sent++;
      return 'k1';
    },
  } as unknown as KakaoPort;
  const run = applyPlan(plan, state, {
    userId: 'u1',
    linkId: 'l1',
    calendarId: 'primary',
    kakao,
    store,
    lock,
    storage: new MemoryStorage(true, 'l1'),
    quota: unlimitedQuota,
    now: () => new Date(clock),
  });
  return { run, state, stamped, sent: () => sent };
}

describe('apply: a retry is a write', () => {
  it('a create whose retry would go out after the lease ran out is not retried; its intent stays', async () => {
    const t = await createWithRetry(true);
    await expect(t.run).rejects.toBeInstanceOf(LockLostError);
    expect(t.sent()).toBe(1);
    expect(t.state.intents).toHaveLength(1);
  });

  it("the create's intent is stamped again before the retry: its age counts from the last send", async () => {
    const t = await createWithRetry(false);
    await t.run;
    expect(t.sent()).toBe(2);
    expect(t.stamped).toEqual([
      { id: t.stamped[0]!.id, at: '2025-03-01T00:00:00.000Z' },
      { id: t.stamped[0]!.id, at: '2025-03-01T00:00:08.000Z' },
    ]);
    expect(t.state.intents).toEqual([]); // settled by the commit after the answer
  });
});
