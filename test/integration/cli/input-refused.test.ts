import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliEnv, deletePrefix, testConfig } from '../daemon/helpers.js';
import { expectShortError, runCli } from './cli-run.js';

// Input accepted that should be refused at once: each is refused before anything is stored, in
// one line; and the tokens file a person actually has (Kakao's token response) is accepted.

describe('talkcal refuses bad input at once', () => {
  const config = testConfig();
  const dir = mkdtempSync(join(tmpdir(), 'talkcal-cli-input-'));
  const env = cliEnv(config);
  afterAll(async () => {
    await deletePrefix(config.redis.keyPrefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it("accepts Kakao's own token response as the tokens file", async () => {
    const tokens = join(dir, 'kakao-token.json');
    writeFileSync(
      tokens,
      JSON.stringify({
        token_type: 'bearer',
        access_token: 'ACC-kakao-4711',
        expires_in: 21599,
        refresh_token: 'REF-kakao-4711',
        refresh_token_expires_in: 5183999,
        scope: 'talk_calendar talk_calendar_task',
      }),
    );
    const added = await runCli(env, ['users', 'add', '7301', '--tokens-file', tokens]);
    expect(added.stderr).toBe('');
    expect(added.stdout).toMatch(/user 7301 saved \(state active\)/);
    const shown = await runCli(env, ['--json', 'users', 'show', '7301']);
    expect(JSON.parse(shown.stdout).user).toMatchObject({ id: '7301', hasTokens: true });
    expect(added.stdout + shown.stdout).not.toMatch(/ACC-kakao|REF-kakao/);
  });

  it('refuses a non-numeric interval and a non-numeric Kakao user id', async () => {
    const interval = await runCli(env, ['users', 'add', '7302', '--interval', 'abc']);
    expectShortError(interval, 1, /--interval.*'abc' is invalid.*whole number/);
    const id = await runCli(env, ['users', 'add', 'alice']);
    expectShortError(id, 1, /'alice' is invalid for argument 'userId'.*numeric Kakao user id/);
    const list = await runCli(env, ['--json', 'users', 'list']);
    expect(JSON.parse(list.stdout).users.map((u: { id: string }) => u.id)).toEqual(['7301']);
  });

  it('refuses two sources for one link', async () => {
    const run = await runCli(env, [
      'links',
      'add',
      '7301',
      'both',
      '--ics',
      'https://feeds.example.org/a.ics',
      '--caldav',
      'https://dav.example.org/cal/',
    ]);
    expectShortError(run, 1, /'--ics <url>' cannot be used with option '--caldav <url>'/);
  });

  it('refuses a loopback feed with the allowHosts hint, and takes it once the host is allowed', async () => {
    for (const url of ['http://127.0.0.1:8000/cal.ics', 'http://localhost/cal.ics', 'http://[::1]/cal.ics']) {
      const run = await runCli(env, ['links', 'add', '7301', 'local', '--ics', url]);
      expectShortError(
        run,
        1,
        /refusing to connect to .*loopback.*sources\.allowHosts.*TALKCAL_SOURCES__ALLOW_HOSTS/,
      );
    }
    const none = await runCli(env, ['--json', 'links', 'list', '7301']);
    expect(JSON.parse(none.stdout)).toEqual([]);
    const allowed = await runCli({ ...env, TALKCAL_SOURCES__ALLOW_HOSTS: '["127.0.0.1"]' }, [
      'links',
      'add',
      '7301',
      'local',
      '--ics',
      'http://127.0.0.1:8000/cal.ics',
    ]);
    expect(allowed.stdout).toMatch(/link local of user 7301 saved/);
  });
});
