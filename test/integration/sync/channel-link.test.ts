import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { channelUserId } from '../../../src/channel/channel-user.js';
import { publicEventPort } from '../../../src/channel/public-event-port.js';
import { type Link, type LinkInput, parseLink } from '../../../src/model/link.js';
import type { CallPurpose, QuotaGate } from '../../../src/model/quota.js';
import type { KakaoPort } from '../../../src/sync/kakao-port.js';
import { syncUser } from '../../../src/sync/sync-user.js';
import { horizonWindows } from '../../../src/sync/verification/windows.js';
import { admin, clearLog, requestLog } from '../kakao/harness.js';
import { rig, settings, useSyncEnv, vevent } from './harness.js';

// A channel link through the sync engine against the emulator over real HTTP: the source kept as
// the channel's public events by the same planner, mapping store, quarantine and guards as a user
// link, asserted from the emulator's request log.

const env = useSyncEnv();
const channel = '_Sync01';
const userId = channelUserId(channel);
const t = rig(env.r.redis, env.r.keys);
const webUrl = 'https://tickets.example.com/';

const channelLink = (
  buttons: object = { before: { title: '예매하기', webUrl } },
  over: Partial<LinkInput> = {},
) =>
  parseLink({
    id: 'concerts',
    source: { type: 'ics', url: 'https://example.org/concerts.ics' },
    target: { kind: 'channel', channelPublicId: channel, buttons },
    ...over,
  });

/** The user port of a channel's pseudo-user: a channel link must never reach it. */
const noUserCalls = new Proxy({} as KakaoPort, {
  get: () => () => Promise.reject(new Error('a channel link made a user-token call')),
});

function run(link: Link, opts: { force?: boolean } = {}, quota?: QuotaGate) {
  return syncUser(
    { userId, timeZone: 'Asia/Seoul', links: [link] },
    {
      ...t.deps(noUserCalls),
      ...(quota ? { quota } : {}),
      linkSetup: (l) =>
        l.target.kind === 'channel'
          ? { kakao: publicEventPort(env.client.admin, l.target), expandRecurrences: true }
          : undefined,
    },
    opts,
  );
}

const calls = async () => {
  const out: Record<string, number> = {};
  for (const q of await requestLog(env.emu)) out[q.endpoint] = (out[q.endpoint] ?? 0) + 1;
  return out;
};

type PublicEvent = { id: string; title: string };
async function publicEvents(): Promise<PublicEvent[]> {
  const from = new Date(Date.now() - 40 * 86_400_000);
  const to = new Date(Date.now() + 400 * 86_400_000);
  return env.client.admin.listPublicEvents({ channelPublicId: channel, from, to });
}

describe('channel link ⇄ public events', () => {
  beforeAll(async () => {
    await admin(env.emu, 'POST', '/channels', { channelPublicId: channel });
    t.storage.set(vevent('a@c', 'Opening night', 3));
    t.storage.set(vevent('b@c', 'Matinee', 10, 5));
    t.storage.set(vevent('c@c', 'Closing gala', 40));
    t.storage.set(vevent('w@c', 'Weekly rehearsal', 2, 9, 1, 'RRULE:FREQ=WEEKLY;COUNT=4'));
  });
  beforeEach(async () => {
    await clearLog(env.emu);
  });

  it('first sync lists the horizon in public windows and creates one public event per occurrence', async () => {
    const res = await run(channelLink());
    const windows = horizonWindows(new Date(), settings.horizonPastDays, settings.horizonFutureDays).length;
    expect(await calls()).toEqual({ 'public.list': windows, 'public.create': 7 });
    expect(res.links[0]!.counts.kakao).toEqual({ created: 7, updated: 0, deleted: 0 });
    const titles = (await publicEvents()).map((e) => e.title).sort();
    expect(titles).toEqual([
      'Closing gala',
      'Matinee',
      'Opening night',
      'Weekly rehearsal',
      'Weekly rehearsal',
      'Weekly rehearsal',
      'Weekly rehearsal',
    ]);
    const opening = (await publicEvents()).find((e) => e.title === 'Opening night')!;
    const detail = await env.client.admin.getPublicEvent({ channelPublicId: channel, eventId: opening.id });
    expect(detail.notification_message).toEqual({
      before_event_reminder: { button: { title: '예매하기', link: { web_url: webUrl } } },
    });
  });

  it('an unchanged source costs no Kakao call', async () => {
    const res = await run(channelLink());
    expect(await requestLog(env.emu)).toEqual([]);
    expect(res.links[0]!.counts.kakao).toEqual({ created: 0, updated: 0, deleted: 0 });
    expect(res.calls).toEqual({});
  });

  it('verification reads of the public windows go through the quota governor', async () => {
    const asked: CallPurpose[] = [];
    const refuseVerify: QuotaGate = {
      acquire: async (_user, purpose) => {
        asked.push(purpose);
        return purpose !== 'verify';
      },
    };
    await run(channelLink(), { force: true }, refuseVerify);
    const windows = horizonWindows(new Date(), settings.horizonPastDays, settings.horizonFutureDays).length;
    expect(asked.filter((p) => p === 'verify')).toHaveLength(windows);
    expect((await calls())['public.list']).toBeUndefined();
  });

  it('an edited event costs exactly one public/update/event', async () => {
    t.storage.set(vevent('b@c', 'Matinee (sold out)', 10, 5));
    await run(channelLink());
    const log = await requestLog(env.emu);
    expect(log.map((q) => `${q.method} ${q.path}`)).toEqual(['POST /v2/api/calendar/public/update/event']);
    expect((await publicEvents()).some((e) => e.title === 'Matinee (sold out)')).toBe(true);
  });

  it('a source deletion deletes the public event', async () => {
    t.storage.remove('c@c');
    await run(channelLink());
    expect(await calls()).toEqual({ 'public.delete': 1 });
    expect((await publicEvents()).some((e) => e.title === 'Closing gala')).toBe(false);
  });

  it('an event Kakao refuses is quarantined and not retried while its source is unchanged', async () => {
    await admin(env.emu, 'POST', '/faults', {
      path: '/v2/api/calendar/public/create/event',
      times: 1,
      status: 400,
      code: -2,
      msg: 'event.title is not accepted',
    });
    t.storage.set(vevent('q@c', 'Refused', 12));
    const res = await run(channelLink());
    expect(res.links[0]!.quarantined).toEqual([{ sourceKey: 'q@c', reason: expect.stringContaining('-2') }]);
    await clearLog(env.emu);
    t.storage.set(vevent('d@c', 'Encore', 14));
    await run(channelLink());
    // Kakao refused q@c's create, so it made nothing: its write-ahead intent was settled at once (no
    // window read owed) and q@c is not sent again while its source is unchanged.
    expect(await calls()).toEqual({ 'public.create': 1 });
    expect((await publicEvents()).map((e) => e.title)).toContain('Encore');
    expect((await publicEvents()).map((e) => e.title)).not.toContain('Refused');
  });

  it('new buttons update every public event once (the link is re-planned)', async () => {
    const mapped = (await publicEvents()).length;
    await t.store.requestReplan(userId, 'concerts');
    await clearLog(env.emu);
    const res = await run(
      channelLink({ after: { title: '참여하기', mobileWebUrl: 'https://m.example.com/' } }),
    );
    // Every mapped event is updated; the quarantined item is tried again as part of the re-plan.
    expect((await calls())['public.update']).toBe(mapped);
    expect(res.links[0]!.counts.kakao.updated).toBe(mapped);
    const one = (await publicEvents())[0]!;
    const detail = await env.client.admin.getPublicEvent({ channelPublicId: channel, eventId: one.id });
    expect(detail.notification_message?.after_event_reminder?.button?.title).toBe('참여하기');
  });

  it('the mass-deletion guard stops a source that lost most of its events', async () => {
    for (const uid of ['a@c', 'b@c', 'w@c', 'd@c', 'q@c']) t.storage.remove(uid);
    const res = await run(
      channelLink({ after: { title: '참여하기', mobileWebUrl: 'https://m.example.com/' } }),
    );
    expect(res.links[0]!.skipped).toBe('mass-deletion');
    expect((await calls())['public.delete']).toBeUndefined();
  });
});
