import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayWidth } from '../../../src/cli/display-width.js';
import { type RunningDaemon, runDaemon } from '../../../src/daemon/run.js';
import { type RunningEmulator, startEmulator } from '../../../src/emulator/server.js';
import { readLastRun } from '../../../src/queue/sync-worker.js';
import { type FeedHost, feedWithEvents, startFeedHost } from '../daemon/feeds.js';
import { cliEnv, connectFeedUser, deletePrefix, testConfig, untilWithin } from '../daemon/helpers.js';
import { runCli } from './cli-run.js';

// Output: sync --wait and --dry-run print a summary for people (JSON only with --json), a dry run
// counts what its plan would write, users show does not call a run with a failed link "ok", and
// tables line up Korean text by display columns.

const until = untilWithin(30_000, 100);

describe('talkcal output for people', () => {
  let emulator: RunningEmulator;
  let feeds: FeedHost;
  let daemon: RunningDaemon;
  let config: ReturnType<typeof testConfig>;
  let env: Record<string, string>;
  const ran = async (userId: string, after = 0) =>
    until(async () => {
      const run = await readLastRun(daemon.ctx.redis, daemon.ctx.registry, userId);
      return run !== undefined && Date.parse(run.finishedAt) > after;
    }, `a finished sync of ${userId}`);

  beforeAll(async () => {
    emulator = await startEmulator({ host: '127.0.0.1', port: 0 });
    feeds = await startFeedHost();
    feeds.set('cal', feedWithEvents(3, 'Team'));
    config = testConfig({
      kakao: { apiBaseUrl: emulator.url, authBaseUrl: emulator.url, restApiKey: 'emulator-rest-api-key' },
      sources: { ics: { allowHosts: ['127.0.0.1'] } },
    });
    env = cliEnv(config);
    daemon = await runDaemon(config, { api: false, worker: true });
  });
  afterAll(async () => {
    await daemon?.stop();
    await feeds?.close();
    await emulator?.close();
    await deletePrefix(config.redis.keyPrefix);
  });

  it('sync --dry-run and --wait print a short summary; --json prints the result', async () => {
    const userId = await connectFeedUser(daemon.ctx, emulator, { id: 'cal', url: feeds.url('cal') });
    await ran(userId);
    feeds.set(
      'cal',
      feedWithEvents(3, 'Team').replace('SUMMARY:Team event 1', 'SUMMARY:Team event 1 (moved)'),
    );

    const dry = await runCli(env, ['sync', userId, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`dry run of user ${userId}: nothing was written`);
    expect(dry.stdout).toContain('Talk Calendar: 0 to create, 1 to update, 0 to delete');
    expect(dry.stdout).toMatch(/cal {2}Team-1@test: update \S+ → "Team event 1 \(moved\)"/);
    expect(dry.stdout).not.toContain('{');

    const real = await runCli(env, ['sync', userId, '--wait']);
    expect(real.code, real.stderr).toBe(0);
    expect(real.stdout).toMatch(new RegExp(`^sync of user ${userId} done in \\d+\\.\\d s`));
    expect(real.stdout).toContain('Talk Calendar: 0 created, 1 updated, 0 deleted');
    expect(real.stdout.split('\n').length).toBeLessThan(15);

    const json = await runCli(env, ['--json', 'sync', userId, '--wait']);
    expect(json.code, json.stderr).toBe(0);
    const parsed = JSON.parse(json.stdout) as { outcome: { result: { links: { linkId: string }[] } } };
    expect(parsed.outcome.result.links.map((l) => l.linkId)).toEqual(['cal']);
  });

  it('users show says a run whose only link failed failed', async () => {
    const userId = await connectFeedUser(daemon.ctx, emulator, { id: 'gone', url: feeds.url('gone') });
    await ran(userId);
    const shown = await runCli(env, ['users', 'show', userId]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/last run \S+: failed \(1 of 1 link failed\) in \d+ ms/);
    expect(shown.stdout).not.toMatch(/last run \S+: ok/);
  });

  it('lines up table columns holding Korean text', async () => {
    const userId = await connectFeedUser(daemon.ctx, emulator, { id: 'k', url: feeds.url('cal') });
    for (const name of ['우리 가족 달력', 'Team'])
      expect((await runCli(env, ['feeds', 'create', userId, '--name', name])).code).toBe(0);
    const listed = await runCli(env, ['feeds', 'list', userId]);
    const [header, , ...rows] = listed.stdout.trimEnd().split('\n');
    const column = displayWidth(header!.slice(0, header!.indexOf('created')));
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(displayWidth(row.slice(0, row.search(/\d{4}-\d\d-\d\dT/)))).toBe(column);
  });
});
