import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, deletePrefix, testConfig } from '../daemon/helpers.js';
import { expectShortError, runCli } from './cli-run.js';

// Stack traces instead of one line: each mistake a person makes ends the command with one line
// saying what is wrong and what to do (and no secret of the input in it).

describe('talkcal errors as one line', () => {
  const config = testConfig();
  const dir = mkdtempSync(join(tmpdir(), 'talkcal-cli-errors-'));
  const env = cliEnv(config);
  let busy: Server;
  let busyPort = 0;
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    busyPort = (busy.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => busy.close(resolve));
    await deletePrefix(config.redis.keyPrefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it('names the Redis address it cannot reach, without its password', async () => {
    const run = await runCli({ ...env, REDIS_URL: 'redis://:hunter2-secret@127.0.0.1:1' }, ['status']);
    expectShortError(
      run,
      1,
      /Redis is not answering at redis:\/\/127\.0\.0\.1:1 \(connection refused\).*REDIS_URL/,
    );
    expect(run.stderr).not.toContain('hunter2');
  });

  it('names a missing or truncated tokens file, without quoting a token', async () => {
    const truncated = join(dir, 'truncated.json');
    writeFileSync(truncated, '{"access_token":"ACC-secret-1","refresh_token":"REF-sec');
    const missing = await runCli(env, ['users', 'add', '7101', '--tokens-file', join(dir, 'nope.json')]);
    expectShortError(missing, 1, /tokens file .*nope\.json: no such file/);
    const cut = await runCli(env, ['users', 'add', '7101', '--tokens-file', truncated]);
    expectShortError(cut, 1, /tokens file .*truncated\.json: not valid JSON: it ends too early/);
    expect(cut.stderr).not.toMatch(/ACC-secret|REF-sec/);
  });

  it('refuses a time zone that is not an IANA zone', async () => {
    const run = await runCli(env, ['users', 'add', '7101', '--time-zone', 'Mars/Olympus']);
    expectShortError(run, 1, /--time-zone.*Mars\/Olympus.*IANA time zone/);
  });

  it('asks for a link source, and for a --keep it knows', async () => {
    const noSource = await runCli(env, ['links', 'add', '7101', 'work']);
    expectShortError(noSource, 1, /needs a source: --ics <url>, --caldav <url> or --file <file>/);
    const keep = await runCli(env, ['conflicts', 'resolve', '7101', 'work', '--keep', 'mine']);
    expectShortError(keep, 1, /--keep.*'mine' is invalid.*source, kakao/);
  });

  it('names a missing or broken config file and where it breaks', async () => {
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'redis:\n  url: [redis://x\n');
    const missing = await runCli(env, ['--config', join(dir, 'absent.yaml'), 'status']);
    expectShortError(missing, 1, /config file .*absent\.yaml: no such file \(check --config\)/);
    const bad = await runCli(env, ['--config', broken, 'status']);
    expectShortError(bad, 1, /config file .*broken\.yaml: not valid YAML: .*line \d+/);
  });

  it('says which port is in use and which setting moves it', async () => {
    const run = await runCli(
      {
        ...env,
        TALKCAL_HTTP__HOST: '127.0.0.1',
        TALKCAL_HTTP__PORT: String(busyPort),
        TALKCAL_KAKAO__REST_API_KEY: 'app-key',
      },
      ['start'],
    );
    expectShortError(
      run,
      1,
      new RegExp(`cannot listen on 127\\.0\\.0\\.1:${busyPort}: the port is in use.*TALKCAL_HTTP__PORT`),
    );
  });

  it('refuses to start against Kakao without the app key, and names the setting', async () => {
    for (const command of [['start'], ['worker']]) {
      const run = await runCli({ ...env, TALKCAL_HTTP__HOST: '127.0.0.1', TALKCAL_HTTP__PORT: '0' }, command);
      expectShortError(run, 1, /kakao\.restApiKey is empty: set TALKCAL_KAKAO__REST_API_KEY .*emulator/);
    }
  });
});
