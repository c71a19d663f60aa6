import { describe, expect, it } from 'vitest';
import { KakaoClient } from '../../../src/kakao/client.js';
import type { CallRecord } from '../../../src/kakao/stats.js';
import { chargeRequest, withinGrant } from '../../../src/model/granted-call.js';
import type { CallPurpose, QuotaGate } from '../../../src/model/quota.js';
import { auth, config, fakeFetch, memoryStore, now } from './fake-kakao.js';

// Every HTTP request to the API host reaches the quota gate: a grant pays for a call's first
// request; its next pages, retries and the repeat after a token refresh are charged as they go.

function rig(handler: Parameters<typeof fakeFetch>[0]) {
  const { fetch, seen } = fakeFetch(handler);
  const charged: { userId: string; purpose: CallPurpose }[] = [];
  const gate: QuotaGate = {
    acquire: async () => true,
    charge: async (userId, purpose) => {
      charged.push({ userId, purpose });
    },
  };
  const records: CallRecord[] = [];
  const client = new KakaoClient(
    { ...config, retry: { maxAttempts: 3, baseDelayMs: 0, maxDelayMs: 0 } },
    {
      fetch,
      now: () => now,
      sleep: async () => {},
      onCall: (r) => records.push(r),
      beforeRequest: chargeRequest,
    },
  );
  const store = memoryStore({
    accessToken: 'at-1',
    refreshToken: 'rt-1',
    accessTokenExpiresAt: now + 3_600_000,
  });
  return { user: client.forUser('u1', store), gate, charged, records, seen };
}

const brief = (id: string) => ({
  id,
  time: { start_at: '2024-05-02T00:00:00Z', end_at: '2024-05-02T01:00:00Z' },
});

describe('requests charged to the quota gate', () => {
  it("a listing's next page is charged under its purpose, a retry of it as 'retry'", async () => {
    let page2 = 0;
    const { user, gate, charged, records, seen } = rig((req) => {
      if (req.url.searchParams.get('next_page_token') !== 'p2')
        return {
          status: 200,
          body: {
            events: [brief('a')],
            has_next: true,
            after_url: `${config.apiBaseUrl}/v2/api/calendar/events?next_page_token=p2`,
          },
        };
      page2 += 1;
      return page2 === 1
        ? { status: 500, body: { code: -1, msg: 'internal' } }
        : { status: 200, body: { events: [brief('b')], has_next: false } };
    });
    const listed = await withinGrant(gate, 'u1', 'verify', () =>
      user.listEventsWindow({ from: '2024-05-01T00:00:00Z', to: '2024-05-31T00:00:00Z' }),
    );
    expect(listed.map((e) => e.id)).toEqual(['a', 'b']);
    expect(seen).toHaveLength(3);
    expect(charged).toEqual([
      { userId: 'u1', purpose: 'verify' },
      { userId: 'u1', purpose: 'retry' },
    ]);
    expect(records.map((r) => r.purpose)).toEqual(['verify', 'verify', 'retry']);
  });

  it("the repeat after a token refresh is a 'retry'; the OAuth grant is not a Talk Calendar call", async () => {
    const { user, gate, charged, records } = rig((req) => {
      if (req.url.origin === auth)
        return { status: 200, body: { token_type: 'bearer', access_token: 'at-2', expires_in: 21599 } };
      return req.headers['authorization'] === 'Bearer at-2'
        ? { status: 200, body: { event_id: 'e1' } }
        : { status: 401, body: { code: -401, msg: 'expired' } };
    });
    await withinGrant(gate, 'u1', 'write', () =>
      user.createEvent({ calendarId: 'primary', event: { title: 'T', time: brief('x').time } }),
    );
    expect(charged).toEqual([{ userId: 'u1', purpose: 'retry' }]);
    expect(records.filter((r) => r.countsAgainstQuota).map((r) => r.purpose)).toEqual(['write', 'retry']);
  });

  it('tells the run each extra charge; a request outside any grant is charged nothing', async () => {
    let tries = 0;
    const { user, gate, charged, records } = rig(() =>
      ++tries < 3 ? { status: 503, body: { code: -9798 } } : { status: 200, body: { calendars: [] } },
    );
    const heard: CallPurpose[] = [];
    await withinGrant(
      gate,
      'u1',
      'write',
      () => user.listCalendars(),
      (p) => heard.push(p),
    );
    expect(heard).toEqual(['retry', 'retry']);
    expect(charged).toHaveLength(2);
    await user.listCalendars();
    expect(charged).toHaveLength(2);
    expect(records.at(-1)?.purpose).toBeUndefined();
  });

  it('a guard runs before every request: a retry it refuses (the lease ended meanwhile) is not sent', async () => {
    const { user, gate, charged, seen } = rig(() => ({ status: 500, body: { code: -1, msg: 'internal' } }));
    let checks = 0;
    class LeaseEnded extends Error {}
    const guard = () => {
      if (++checks > 1) throw new LeaseEnded('lease ended');
    };
    const call = withinGrant(gate, 'u1', 'write', () => user.listCalendars(), undefined, guard);
    await expect(call).rejects.toBeInstanceOf(LeaseEnded);
    // The first attempt went out; its retry (3 attempts allowed) did not, and was not charged.
    expect(seen).toHaveLength(1);
    expect(charged).toEqual([]);
  });
});
