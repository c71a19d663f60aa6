import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LinkInput, parseLink } from '../../../src/model/link.js';
import { LockLostError } from '../../../src/sync/errors.js';
import { resolveConflict } from '../../../src/sync/events/resolve-conflict.js';
import type { KakaoPort } from '../../../src/sync/kakao-port.js';
import { withUserLock } from '../../../src/sync/store/lock.js';
import { syncUser } from '../../../src/sync/sync-user.js';
import { lastRead, spansOf } from '../../../src/sync/verification/verify-books.js';
import { covered, horizonOf, horizonWindows, nearWindows } from '../../../src/sync/verification/windows.js';
import { icsText } from '../../support/ics-text.js';
import { clearLog, requestLog } from '../kakao/harness.js';
import { CrashError, crashingPort, feedLink, type Rig, settings, useSyncEnv, vevent } from './harness.js';

// The engine against the emulator over real HTTP, asserted from the emulator's request log: what
// each kind of run costs in Kakao calls, and that a crash between create and commit duplicates
// nothing.

const env = useSyncEnv();
const r = env.r;

const calendarCalls = async () =>
  (await requestLog(env.emu)).filter((q) => q.path.includes('/api/calendar/'));
const byEndpoint = async () => {
  const out: Record<string, number> = {};
  for (const q of await calendarCalls())
    out[`${q.method} ${q.path}`] = (out[`${q.method} ${q.path}`] ?? 0) + 1;
  return out;
};
const LIST = 'GET /v2/api/calendar/events';
const CREATE = 'POST /v2/api/calendar/create/event';
const UPDATE = 'POST /v2/api/calendar/update/event/host';
const GET = 'GET /v2/api/calendar/event';

const userEvents = async (userId: string) =>
  (await (await fetch(`${env.emu.url}/_emulator/users/${userId}/events`)).json()) as {
    id: string;
    title: string;
  }[];

describe('sync ⇄ emulator: calls per run', () => {
  let userId: string;
  let port: KakaoPort;
  let t: Rig;
  const link = feedLink();

  beforeAll(async () => {
    ({ userId, port, t } = await env.newUser());
    t.storage.set(vevent('a@test', 'Dentist', 3));
    t.storage.set(vevent('b@test', 'Standup', 5, 1));
    t.storage.set(vevent('c@test', 'Far away', 200));
  });

  beforeEach(async () => {
    await clearLog(env.emu);
  });

  it('first sync lists each window of the horizon once and creates each event once', async () => {
    const res = await t.run(userId, port, [link]);
    const windows = horizonWindows(new Date(), settings.horizonPastDays, settings.horizonFutureDays).length;
    // 395 days in windows of 31: 13 (before, 14: windows on a fixed grid overhang both ends).
    expect(windows).toBe(13);
    expect(await byEndpoint()).toEqual({ [LIST]: windows, [CREATE]: 3 });
    expect(res.links[0]!.counts.kakao).toEqual({ created: 3, updated: 0, deleted: 0 });
    // The listing is booked: the whole horizon counts as just read, in one span.
    const spans = spansOf((await t.store.load(userId, link.id)).verifiedWindows);
    const horizon = horizonOf(new Date(), settings.horizonPastDays, settings.horizonFutureDays);
    expect(spans).toHaveLength(1);
    const span = { from: new Date(spans[0]!.from).toISOString(), to: new Date(spans[0]!.to).toISOString() };
    expect(covered([span], horizon, horizon)).toBe(true);
    expect((await userEvents(userId)).map((e) => e.title).sort()).toEqual(['Dentist', 'Far away', 'Standup']);
  });

  it('an unchanged one-way link makes zero Kakao calls', async () => {
    const res = await t.run(userId, port, [link]);
    expect(await calendarCalls()).toEqual([]);
    expect(res.links[0]!.skipped).toBe('unchanged');
  });

  it('one edited source event makes exactly one write', async () => {
    t.storage.set(vevent('a@test', 'Dentist (moved)', 3, 4));
    await t.run(userId, port, [link]);
    expect(await byEndpoint()).toEqual({ [UPDATE]: 1 });
    expect((await userEvents(userId)).map((e) => e.title).sort()).toEqual([
      'Dentist (moved)',
      'Far away',
      'Standup',
    ]);
  });

  it('a day later, verification reads the next 31 days in one call, aligned to now; far events wait', async () => {
    const later = new Date(Date.now() + 25 * 3600_000);
    await t.run(userId, port, [link], {}, () => later);
    expect(await byEndpoint()).toEqual({ [LIST]: 1 });
    const [read] = (await calendarCalls()).map((q) => q.query as { from: string; to: string });
    const horizon = horizonOf(later, settings.horizonPastDays, settings.horizonFutureDays);
    expect(nearWindows(later, 31, horizon, false)).toEqual([{ from: read!.from, to: read!.to }]);
    const state = await t.store.load(userId, link.id);
    // Books keep whole seconds.
    expect(lastRead(spansOf(state.verifiedWindows), read!.from)).toBe(
      Math.floor(later.getTime() / 1000) * 1000,
    );
    expect(state.nearReadAt).toBe(later.toISOString());
    // Nothing else is due for a day: the far event is read in rotation within the week.
    await clearLog(env.emu);
    await t.run(userId, port, [link], {}, () => new Date(later.getTime() + 3600_000));
    expect(await calendarCalls()).toEqual([]);
  });

  it('an event deleted in Talk Calendar is noticed by the verification covering it and restored', async () => {
    const standup = (await userEvents(userId)).find((e) => e.title === 'Standup')!;
    await port.deleteEvent(standup.id);
    await clearLog(env.emu);
    const later = new Date(Date.now() + 50 * 3600_000);
    const res = await t.run(userId, port, [link], {}, () => later);
    // Missing from its window: one read by id tells it was deleted, not moved far in time.
    expect(await byEndpoint()).toEqual({ [LIST]: 1, [GET]: 1, [CREATE]: 1 });
    expect(res.links[0]!.plan?.driftSeen).toBe(true);
    expect((await userEvents(userId)).map((e) => e.title).sort()).toEqual([
      'Dentist (moved)',
      'Far away',
      'Standup',
    ]);
  });
});

/** A clock a minute ahead: runs after an interrupted create, once its intent may be settled. */
const later = () => new Date(Date.now() + 60_000);

describe('sync ⇄ emulator: crash safety', () => {
  it('a crash between create and mapping commit leaves no duplicate', async () => {
    const { userId, port, t } = await env.newUser();
    const link = feedLink();
    t.storage.set(vevent('a@test', 'One', 2));
    t.storage.set(vevent('b@test', 'Two', 3));
    const windows = horizonWindows(new Date(), settings.horizonPastDays, settings.horizonFutureDays).length;
    // Let the listing and one create through, then "die" right after that create.
    const crashing = crashingPort(port, { left: windows + 1, afterCreate: true });
    await expect(t.run(userId, crashing, [link])).rejects.toBeInstanceOf(CrashError);
    expect(await userEvents(userId)).toHaveLength(1);
    // The create sent is announced (with parallel writes, the one beside it too).
    const state = await t.store.load(userId, link.id);
    expect(state.intents).toHaveLength(Math.min(2, settings.writeConcurrency ?? 1));

    // A minute on: the intent is older than the lock lease plus the request timeout, so it settles.
    await t.run(userId, port, [link], {}, later);
    await t.run(userId, port, [link], {}, later);
    const titles = (await userEvents(userId)).map((e) => e.title).sort();
    expect(titles).toEqual(['One', 'Two']);
    const after = await t.store.load(userId, link.id);
    expect(after.intents).toEqual([]);
    expect(after.items.size).toBe(2);
  });

  it('a sync whose lock was taken over starts no Kakao write after it learns so', async () => {
    const { userId, port, t } = await env.newUser();
    const link = feedLink();
    for (let n = 0; n < 12; n++) t.storage.set(vevent(`l${n}@test`, `Locked ${n}`, n + 2));
    const stealing: KakaoPort = {
      ...port,
      createEvent: async (calendarId, event) => {
        const id = await port.createEvent(calendarId, event);
        // Another process took over (our lock expired while we stalled).
        await r.redis.set(r.keys.lock(userId), 'someone-else');
        return id;
      },
    };
    await expect(t.run(userId, stealing, [link])).rejects.toBeInstanceOf(LockLostError);
    // Only the creates already under way when the first commit was refused went out.
    const made = env.emu.admin.events(userId).length;
    expect(made).toBeGreaterThanOrEqual(1);
    expect(made).toBeLessThanOrEqual(settings.writeConcurrency ?? 1);
    await r.redis.del(r.keys.lock(userId));
    await t.run(userId, port, [link]);
    expect(env.emu.admin.events(userId)).toHaveLength(12);
  });

  it('a create whose answer is lost (dropped after processing) is adopted, not repeated', async () => {
    const { userId, port, t } = await env.newUser();
    const link = feedLink();
    t.storage.set(vevent('a@test', 'Lost answer', 2));
    await fetch(`${env.emu.url}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        method: 'POST',
        path: '/v2/api/calendar/create/event',
        times: 1,
        drop: true,
        afterProcessing: true,
      }),
    });
    const first = await t.run(userId, port, [link]);
    expect(first.links[0]!.failed).toHaveLength(1);
    expect(await userEvents(userId)).toHaveLength(1);
    expect((await t.store.load(userId, link.id)).intents).toHaveLength(1);
    // At once (younger than the lease plus the request timeout): the create may still land, so the
    // item waits — reported, not created again, its intent kept.
    const soon = await t.run(userId, port, [link]);
    expect(soon.links[0]!.failed.map((f) => f.error)).toEqual([
      'an interrupted create of it is not settled yet (it may still land); a later run settles it',
    ]);
    expect(await userEvents(userId)).toHaveLength(1);
    expect((await t.store.load(userId, link.id)).intents).toHaveLength(1);
    // Old enough to settle, but the quota refuses the reads that would settle it: the error says so.
    const refusing = {
      ...t.deps(port, later),
      quota: { acquire: async () => false, charge: async () => {} },
    };
    const held = await syncUser({ userId, timeZone: 'Asia/Seoul', links: [link] }, refusing);
    expect(held.links[0]!.failed.map((f) => f.error)).toEqual([
      expect.stringMatching(
        /^an interrupted create of it is not settled yet: the quota refused \d+ of this run's window reads/,
      ),
    ]);
    expect((await t.store.load(userId, link.id)).intents).toHaveLength(1);
    await t.run(userId, port, [link], {}, later);
    expect((await userEvents(userId)).map((e) => e.title)).toEqual(['Lost answer']);
    expect((await t.store.load(userId, link.id)).intents).toEqual([]);
  });
});

describe('sync ⇄ emulator: recurring items', () => {
  const day = (n: number) => {
    const d = new Date(Date.now() + n * 86_400_000);
    return d.toISOString().slice(0, 10).replaceAll('-', '');
  };
  const weekly = (extra: string[]) => ({
    uid: 'r@test',
    kind: 'event' as const,
    ics: icsText(
      'VEVENT',
      'r@test',
      [
        `DTSTART:${day(7)}T010000Z`,
        `DTEND:${day(7)}T020000Z`,
        'RRULE:FREQ=WEEKLY;COUNT=6',
        `EXDATE:${day(14)}T010000Z`,
        'SUMMARY:Weekly',
      ],
      extra,
    ),
  });
  const override = [
    'BEGIN:VEVENT',
    'UID:r@test',
    'DTSTAMP:20250101T000000Z',
    `RECURRENCE-ID:${day(21)}T010000Z`,
    `DTSTART:${day(21)}T030000Z`,
    `DTEND:${day(21)}T040000Z`,
    'SUMMARY:Weekly (moved)',
    'END:VEVENT',
  ];

  it('applies EXDATE and override after the master create, once; later reads plan nothing', async () => {
    const { userId, port, t } = await env.newUser();
    const link = feedLink();
    t.storage.set(weekly(override));
    await clearLog(env.emu);
    await t.run(userId, port, [link]);
    const calls = await byEndpoint();
    expect(calls[CREATE]).toBe(1);
    expect(calls['DELETE /v2/api/calendar/delete/event']).toBe(1);
    expect(calls[UPDATE]).toBe(1);
    const [stored] = env.emu.admin.events(userId);
    expect(stored?.exdates).toHaveLength(1);
    expect(Object.keys(stored?.overrides ?? {})).toHaveLength(1);

    await clearLog(env.emu);
    await t.run(userId, port, [link]);
    expect(await calendarCalls()).toEqual([]);
    const dry = await t.run(userId, port, [link], { force: true, dryRun: true });
    expect(dry.links[0]!.plan!.items.flatMap((i) => i.actions)).toEqual([]);
  });

  it('a new EXDATE is one THIS delete and a changed override one THIS update, the series not resent', async () => {
    const { userId, port, t } = await env.newUser();
    const link = feedLink();
    t.storage.set(weekly(override));
    await t.run(userId, port, [link]);
    const exdates = `EXDATE:${day(14)}T010000Z,${day(28)}T010000Z`;
    t.storage.set({
      ...weekly(override),
      ics: weekly(override).ics.replace(/EXDATE:.*\r\n/, `${exdates}\r\n`),
    });
    await clearLog(env.emu);
    await t.run(userId, port, [link]);
    // Before: the whole series (ALL) first, then the instance call — 2 calls.
    expect(
      (await calendarCalls()).map((q) => `${q.method} ${q.path} ${q.query?.['recur_update_type']}`),
    ).toEqual(['DELETE /v2/api/calendar/delete/event THIS']);
    expect(env.emu.admin.events(userId)[0]?.exdates).toHaveLength(2);

    const moved = override.map((l) => (l.startsWith('SUMMARY:') ? 'SUMMARY:Weekly (moved again)' : l));
    t.storage.set({ ...weekly(moved), ics: weekly(moved).ics.replace(/EXDATE:.*\r\n/, `${exdates}\r\n`) });
    await clearLog(env.emu);
    await t.run(userId, port, [link]);
    // Before: one ALL update that left the override as it was.
    expect(await byEndpoint()).toEqual({ [UPDATE]: 1 });
    const [stored] = env.emu.admin.events(userId);
    expect(Object.values(stored?.overrides ?? {}).map((o) => o.title)).toEqual(['Weekly (moved again)']);
    await clearLog(env.emu);
    await t.run(userId, port, [link]);
    expect(await calendarCalls()).toEqual([]);
  });

  it('a new COUNT or UNTIL is one ALL update with the new rule: same Kakao id, exceptions kept', async () => {
    const { userId, port, t } = await env.newUser();
    const link = feedLink();
    const withRule = (rule: string, extra: string[]) => {
      const item = weekly(extra);
      return { ...item, ics: item.ics.replace('RRULE:FREQ=WEEKLY;COUNT=6', `RRULE:${rule}`) };
    };
    t.storage.set(withRule('FREQ=WEEKLY;COUNT=6', override));
    await t.run(userId, port, [link]);
    const [made] = env.emu.admin.events(userId);

    t.storage.set(withRule('FREQ=WEEKLY;COUNT=5', override));
    await clearLog(env.emu);
    await t.run(userId, port, [link]);
    // Before: delete + create + the EXDATE and the override again (4 calls) and a new Kakao id.
    expect(await byEndpoint()).toEqual({ [UPDATE]: 1 });
    let [stored] = env.emu.admin.events(userId);
    expect(stored).toMatchObject({ id: made!.id, rrule: 'FREQ=WEEKLY;COUNT=5' });
    expect(stored?.exdates).toEqual([`${day(14)}T010000Z`]);
    expect(Object.keys(stored?.overrides ?? {})).toEqual([`${day(21)}T010000Z`]);

    // Shortened before the override (which the source drops with it): still one update.
    t.storage.set(withRule(`FREQ=WEEKLY;UNTIL=${day(15)}T000000Z`, []));
    await clearLog(env.emu);
    await t.run(userId, port, [link]);
    expect(await byEndpoint()).toEqual({ [UPDATE]: 1 });
    [stored] = env.emu.admin.events(userId);
    expect(stored).toMatchObject({ id: made!.id, exdates: [`${day(14)}T010000Z`], overrides: {} });

    // Lengthened again: the instance that had the override comes back plain; nothing else is owed.
    t.storage.set(withRule('FREQ=WEEKLY;COUNT=6', []));
    await clearLog(env.emu);
    await t.run(userId, port, [link]);
    expect(await byEndpoint()).toEqual({ [UPDATE]: 1 });
    await clearLog(env.emu);
    const dry = await t.run(userId, port, [link], { force: true, dryRun: true });
    expect(dry.links[0]!.plan!.items.flatMap((i) => i.actions)).toEqual([]);
    [stored] = env.emu.admin.events(userId);
    expect(stored).toMatchObject({ id: made!.id, rrule: 'FREQ=WEEKLY;COUNT=6', overrides: {} });
  });

  it('a changed master title is one update with recur_update_type ALL', async () => {
    const { userId, port, t } = await env.newUser();
    const link = feedLink();
    t.storage.set(weekly([]));
    await t.run(userId, port, [link]);
    t.storage.set({ ...weekly([]), ics: weekly([]).ics.replace('SUMMARY:Weekly', 'SUMMARY:Weekly sync') });
    await clearLog(env.emu);
    await t.run(userId, port, [link]);
    const log = await calendarCalls();
    expect(log.map((q) => `${q.method} ${q.path}`)).toEqual([UPDATE]);
    expect(env.emu.admin.events(userId).map((e) => e.title)).toEqual(['Weekly sync']);
  });
});

describe('sync ⇄ emulator: two-way', () => {
  const davLink = (over: Partial<LinkInput> = {}) =>
    parseLink({
      id: 'dav',
      source: { type: 'caldav', url: 'https://dav.example.org/cal/', component: 'event' },
      target: { kind: 'primary' },
      direction: 'two-way',
      ...over,
    });

  it('a title edited in Talk Calendar is written back to the source, then costs nothing', async () => {
    const { userId, port, t } = await env.newUser(false);
    const link = davLink();
    t.storage.set(vevent('w@test', 'Review', 2));
    await t.run(userId, port, [link]);
    const [made] = env.emu.admin.events(userId);
    await port.updateEvent(made!.id, { title: 'Review (moved by phone)' });
    await clearLog(env.emu);
    const later = new Date(Date.now() + 2 * 3600_000);
    const res = await t.run(userId, port, [link], {}, () => later);
    expect(res.links[0]!.counts.source.updated).toBe(1);
    expect(t.storage.all()[0]!.ics).toContain('SUMMARY:Review (moved by phone)');
    expect(await byEndpoint()).toEqual({ [LIST]: 1 });
    await clearLog(env.emu);
    await t.run(userId, port, [link], {}, () => later);
    expect(await calendarCalls()).toEqual([]);
    expect(env.emu.admin.events(userId).map((e) => e.title)).toEqual(['Review (moved by phone)']);
  });

  it('manual conflicts wait for resolveConflict, then the chosen side wins', async () => {
    const { userId, port, t } = await env.newUser(false);
    const link = davLink({ conflict: 'manual' });
    t.storage.set(vevent('m@test', 'Plan', 2));
    await t.run(userId, port, [link]);
    const [made] = env.emu.admin.events(userId);
    await port.updateEvent(made!.id, { title: 'Plan (kakao)' });
    t.storage.set(vevent('m@test', 'Plan (source)', 2));
    const later = new Date(Date.now() + 2 * 3600_000);
    const first = await t.run(userId, port, [link], {}, () => later);
    expect(first.links[0]!.conflicts).toMatchObject([{ sourceKey: 'm@test' }]);
    expect(env.emu.admin.events(userId).map((e) => e.title)).toEqual(['Plan (kakao)']);
    const later2 = new Date(Date.now() + 4 * 3600_000);
    // Unresolved, the item stays untouched even when no Kakao window is read.
    await t.run(userId, port, [link], {}, () => later);
    expect(env.emu.admin.events(userId).map((e) => e.title)).toEqual(['Plan (kakao)']);
    await withUserLock(r.redis, r.keys, userId, 5000, (lock) =>
      resolveConflict(t.store, lock, link.id, 'all', 'source'),
    );
    await t.run(userId, port, [link], {}, () => later2);
    expect(env.emu.admin.events(userId).map((e) => e.title)).toEqual(['Plan (source)']);
    expect([...(await t.store.load(userId, link.id)).items.values()][0]!.conflict).toBeUndefined();
  });
});

describe('sync ⇄ emulator: detail verification', () => {
  it('a one-way link reads details only at its sampling rate (off by default); an edit found is reverted', async () => {
    const { userId, port, t } = await env.newUser();
    const link = feedLink();
    t.storage.set(vevent('d@test', 'Talk', 2, 3, 1, 'DESCRIPTION:Room 4'));
    const run = (now: Date, oneWayDetailReadsPerDay: number) =>
      syncUser(
        { userId, timeZone: 'Asia/Seoul', links: [link] },
        {
          ...t.deps(port, () => now),
          settings: { ...settings, detailBudgetPerRun: 2, oneWayDetailReadsPerDay },
        },
      );
    await run(new Date(), 0);
    const [made] = env.emu.admin.events(userId);
    await port.updateEvent(made!.id, { description: 'Room 5 (edited in Talk Calendar)' });
    await clearLog(env.emu);
    // Off: a verification pass is its one list call; the list does not show the description.
    await run(new Date(Date.now() + 25 * 3600_000), 0);
    expect(await byEndpoint()).toEqual({ [LIST]: 1 });
    expect(env.emu.admin.events(userId)[0]!.description).toContain('edited in Talk Calendar');
    await clearLog(env.emu);
    // Sampling 4 a day: the next run (nothing else due) spends one detail read and reverts the edit.
    await run(new Date(Date.now() + 26 * 3600_000), 4);
    expect(await byEndpoint()).toEqual({ [`GET /v2/api/calendar/event`]: 1, [UPDATE]: 1 });
    expect(env.emu.admin.events(userId)[0]!.description).toBe('Room 4');
    await clearLog(env.emu);
    await run(new Date(Date.now() + 27 * 3600_000), 4);
    expect(await byEndpoint()).toEqual({});
  });
});
