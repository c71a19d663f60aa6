import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FeedServer, serveFeedFile, shiftToWeekOf } from '../../../src/daemon/demo-feed.js';
import { type RunningDaemon, runDaemon } from '../../../src/daemon/run.js';
import { type RunningEmulator, startEmulator } from '../../../src/emulator/server.js';
import { admissionJobId } from '../../../src/queue/jobs.js';
import { readLastRun } from '../../../src/queue/sync-worker.js';
import { connectFeedUser, deletePrefix, testConfig, untilWithin } from './helpers.js';

// The daemon end to end: real engine, real Redis, the Kakao emulator and a local ICS feed.

const sample = readFileSync(new URL('../../../config/demo/sample.ics', import.meta.url), 'utf8');

const until = untilWithin(30_000, 50);

describe('daemon end to end (emulator, real Redis, real engine)', () => {
  let emulator: RunningEmulator;
  let feed: FeedServer;
  let daemon: RunningDaemon;
  const dir = mkdtempSync(join(tmpdir(), 'talkcal-e2e-'));
  const feedFile = join(dir, 'feed.ics');
  let config: ReturnType<typeof testConfig>;

  beforeAll(async () => {
    emulator = await startEmulator({ host: '127.0.0.1', port: 0 });
    writeFileSync(feedFile, shiftToWeekOf(sample, new Date()));
    feed = await serveFeedFile(feedFile);
    config = testConfig({
      kakao: {
        apiBaseUrl: emulator.url,
        authBaseUrl: emulator.url,
        restApiKey: 'emulator-rest-api-key',
        retry: { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 50 },
        // With the lease below, a create whose outcome is unknown settles 3.5 s after it was sent.
        timeoutMs: 2000,
      },
      sync: { lockTtlMs: 1500 },
      sources: { allowHosts: ['127.0.0.1'] },
    });
    daemon = await runDaemon(config, { api: true, worker: true });
  });
  afterAll(async () => {
    await daemon?.stop();
    await feed?.close();
    await emulator?.close();
    await deletePrefix(config.redis.keyPrefix);
  });

  const connect = async (
    beforeTokens?: (userId: string) => void,
    target: { kind: 'primary' } | { kind: 'sub-calendar'; name: string } = { kind: 'primary' },
  ) => {
    // Tokens schedule the user and queue its first sync.
    return connectFeedUser(daemon.ctx, emulator, { id: 'demo', url: feed.url, target }, beforeTokens);
  };
  let cleanTitles: string[] = [];
  const sorted = (list: string[]) => [...list].sort();
  const userEvents = (userId: string) => emulator.admin.events(userId) as unknown as { title?: string }[];

  type Outcome = { result: { links: { counts: { kakao: { created: number } }; failed: unknown[] }[] } };
  const firstRun = async (userId: string) => {
    let run: { outcome: string; result?: Outcome['result'] } | undefined;
    await until(async () => {
      run = (await readLastRun(daemon.ctx.redis, daemon.ctx.registry, userId)) as typeof run;
      // Finished and gone: a trigger before that would (rightly) be answered by this same run.
      return (
        run !== undefined &&
        run.outcome !== 'retrying' &&
        (await daemon.ctx.queue.marker.holder(userId)) === null &&
        (await daemon.ctx.queue.getJob(`user-${userId}`)) === undefined
      );
    }, 'the first run');
    return run!;
  };

  it('new tokens queue a first sync that creates the feed in Talk Calendar; a second one changes nothing', async () => {
    const userId = await connect();
    const first = await firstRun(userId);
    expect(first.outcome).toBe('ok');
    expect(first.result?.links[0]?.counts.kakao.created).toBeGreaterThanOrEqual(5);
    const titles = userEvents(userId).map((e) => e.title ?? '');
    cleanTitles = sorted(titles);
    expect(titles).toContain('Trip to Jeju');
    expect(titles).toContain('Call with the Berlin office');
    const again = (await daemon.ctx.queue.triggerAndWait(userId)).outcome as Outcome;
    expect(again.result.links[0]?.counts.kakao.created).toBe(0);
    expect(userEvents(userId).length).toBe(titles.length);
  });

  it('a link to a new sub-calendar creates it on the first sync and fills it', async () => {
    const userId = await connect(undefined, { kind: 'sub-calendar', name: 'Demo feed' });
    expect((await firstRun(userId)).outcome).toBe('ok');
    const calendars = emulator.admin.calendars(userId) as unknown as { id: string; name?: string }[];
    const created = calendars.find((c) => c.name === 'Demo feed');
    expect(created).toBeDefined();
    const link = await daemon.ctx.registry.links.get(userId, 'demo');
    expect(link.target).toMatchObject({ kind: 'sub-calendar', calendarId: created?.id });
    const events = emulator.admin.events(userId) as unknown as { calendar_id: string }[];
    expect(events.length).toBe(cleanTitles.length);
    expect(events.every((e) => e.calendar_id === created?.id)).toBe(true);
  });

  it('transient faults injected in the emulator are retried; nothing is duplicated', async () => {
    emulator.admin.addFault({
      method: 'POST',
      path: '/v2/api/calendar/create/event',
      times: 2,
      status: 500,
      code: -1,
    });
    const userId = await connect();
    const first = await firstRun(userId);
    const failures = emulator.admin
      .requests()
      .filter((r) => r.path.endsWith('/create/event') && r.status === 500);
    expect(failures.length).toBe(2);
    // A create whose outcome is unknown is not repeated blindly: the next run settles it.
    expect(first.result?.links[0]?.failed.length).toBe(2);
    // It may still land until it is older than the lock lease plus the request timeout (3.5 s here).
    await new Promise((resolve) => setTimeout(resolve, 3600));
    const second = (await daemon.ctx.queue.triggerAndWait(userId)).outcome as Outcome;
    expect(second.result.links[0]?.failed, JSON.stringify(second.result.links[0]?.failed)).toEqual([]);
    expect(sorted(userEvents(userId).map((e) => e.title ?? ''))).toEqual(cleanTitles);
  });

  it('the governor counts every request that reached Kakao: retries and the repeat after a token refresh too', async () => {
    const calendarRequests = () => emulator.admin.requests().filter((r) => r.path.includes('/api/calendar/'));
    const before = { log: calendarRequests().length, quota: await daemon.ctx.governor.status() };
    emulator.admin.addFault({
      method: 'GET',
      path: '/v2/api/calendar/events',
      times: 1,
      status: 500,
      code: -1,
    });
    const userId = await connect();
    const first = await firstRun(userId);
    expect(first.outcome).toBe('ok');
    // Its access token dies behind the daemon's back: the next write is refused once, then repeated.
    emulator.admin.expireTokens(userId);
    writeFileSync(
      feedFile,
      shiftToWeekOf(sample, new Date()).replace('SUMMARY:Trip to Jeju', 'SUMMARY:Trip to Jeju (2)'),
    );
    try {
      await daemon.ctx.queue.triggerAndWait(userId);
    } finally {
      writeFileSync(feedFile, shiftToWeekOf(sample, new Date()));
    }
    const after = await daemon.ctx.governor.status();
    const sent = calendarRequests().length - before.log;
    expect(after.used - before.quota.used).toBe(sent);
    // One retry of the listing, one repeat after the refresh.
    expect(after.byPurpose.retry - before.quota.byPurpose.retry).toBe(2);
  });

  it("a first sync's listing and creates are charged as first-sync, a later edit as write (counted at the emulator)", async () => {
    const calendarRequests = () => emulator.admin.requests().filter((r) => r.path.includes('/api/calendar/'));
    const mark = { log: calendarRequests().length, quota: await daemon.ctx.governor.status() };
    const delta = async (since: typeof mark) => {
      const now = await daemon.ctx.governor.status();
      const sent = calendarRequests().slice(since.log);
      return {
        creates: sent.filter((r) => r.endpoint === 'events.create').length,
        updates: sent.filter((r) => r.endpoint === 'events.update').length,
        sent: sent.length,
        used: now.used - since.quota.used,
        firstSync: now.byPurpose['first-sync'] - since.quota.byPurpose['first-sync'],
        write: now.byPurpose.write - since.quota.byPurpose.write,
      };
    };
    const userId = await connect();
    expect((await firstRun(userId)).outcome).toBe('ok');
    const first = await delta(mark);
    expect(first.creates).toBe(cleanTitles.length);
    expect(first).toMatchObject({ used: first.sent, firstSync: first.sent, write: 0 });
    const afterFirst = { log: calendarRequests().length, quota: await daemon.ctx.governor.status() };
    writeFileSync(
      feedFile,
      shiftToWeekOf(sample, new Date()).replace('SUMMARY:Trip to Jeju', 'SUMMARY:Trip to Jeju (3)'),
    );
    try {
      await daemon.ctx.queue.triggerAndWait(userId);
    } finally {
      writeFileSync(feedFile, shiftToWeekOf(sample, new Date()));
    }
    const edit = await delta(afterFirst);
    expect(edit.updates).toBeGreaterThanOrEqual(1);
    expect(edit).toMatchObject({ used: edit.sent, write: edit.sent, firstSync: 0 });
  });

  it('a quota error (-10) delays the first sync of a new user (admission queue) until the reset', async () => {
    emulator.admin.setQuota({ enabled: true, daily: 10, used: 10 });
    try {
      const userId = await connect();
      const job = async () => daemon.ctx.queue.admission.queue.getJob(admissionJobId(userId));
      await until(async () => (await (await job())?.getState()) === 'delayed', 'a delayed job');
      const delayed = await job();
      expect((delayed?.timestamp ?? 0) + (delayed?.delay ?? 0)).toBeGreaterThan(Date.now() + 1000);
      expect(await readLastRun(daemon.ctx.redis, daemon.ctx.registry, userId)).toMatchObject({
        outcome: 'deferred',
      });
      expect((await daemon.ctx.governor.status()).exhausted).toBe(true);
      await delayed?.remove();
    } finally {
      emulator.admin.setQuota({ enabled: false, used: 0 });
      await daemon.ctx.governor.clear();
    }
  });

  it('revoked tokens mark the user needs_reauth and stop the schedule', async () => {
    const userId = await connect((id) => emulator.admin.revokeTokens(id));
    await until(
      async () => (await daemon.ctx.registry.users.get(userId)).state === 'needs_reauth',
      'needs_reauth',
    );
    expect(await daemon.ctx.queue.isScheduled(userId)).toBe(false);
    await expect(daemon.ctx.queue.triggerAndWait(userId)).rejects.toThrow(/needs_reauth/);
  });
});
