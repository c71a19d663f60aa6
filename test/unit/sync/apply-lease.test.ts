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

describe('apply: a retry is a write', () => {
  it('a create whose retry would go out after the lease ran out is not retried; its intent stays', async () => {
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
    const intents: string[] = [];
    const store: MappingStore = {
      load: async () => state,
      openIntent: async (_f, _l, intent) => {
        intents.push(intent.id);
      },
      commit: async () => {},
      dropLink: async () => {},
    };
    let sent = 0;
    const kakao = {
      createEvent: async () => {
        await chargeRequest({ attempt: 1, afterTokenRefresh: false }); // the transport, before each send
        sent++; // the first attempt goes out; it times out and the lease ends meanwhile
        held = false;
        await chargeRequest({ attempt: 2, afterTokenRefresh: false }); // the transport, before the retry
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
      now: () => new Date('2025-03-01T00:00:00Z'),
    });
    await expect(run).rejects.toBeInstanceOf(LockLostError);
    expect(sent).toBe(1);
    expect(intents).toHaveLength(1);
    expect(state.intents).toHaveLength(1);
  });
});
