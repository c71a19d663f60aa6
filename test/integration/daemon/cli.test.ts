import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliEnv, deletePrefix, runTalkcal, testConfig } from './helpers.js';

// `talkcal` as people run it: users, links, sync (queued, no worker), status, keys — human tables
// and --json, and no secret in any output.

describe('talkcal CLI (real Redis)', () => {
  const config = testConfig();
  const dir = mkdtempSync(join(tmpdir(), 'talkcal-cli-'));
  const env = cliEnv(config);
  const talkcal = async (...args: string[]) => {
    const { stdout, stderr } = await runTalkcal(env, args);
    return stdout + stderr;
  };
  afterAll(async () => {
    await deletePrefix(config.redis.keyPrefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds, lists, shows and removes users and links without printing secrets', async () => {
    const tokens = join(dir, 'tokens.json');
    writeFileSync(
      tokens,
      JSON.stringify({ accessToken: 'ACC-cli-123456', refreshToken: 'REF-cli-654321', expiresIn: 3600 }),
    );
    const password = join(dir, 'password');
    writeFileSync(password, 'dav-secret-999\n');
    expect(
      await talkcal('users', 'add', '8001', '--time-zone', 'Asia/Seoul', '--tokens-file', tokens),
    ).toMatch(/user 8001 saved \(state active\)/);
    expect(
      await talkcal(
        'links',
        'add',
        '8001',
        'work',
        '--caldav',
        'https://dav.example.org/cal/',
        '--username',
        'me',
        '--password-file',
        password,
        '--sub-calendar',
        'Work',
      ),
    ).toMatch(/link work of user 8001 saved/);
    const list = await talkcal('users', 'list');
    expect(list).toMatch(/^id\s+state\s+timeZone/m);
    expect(list).toMatch(/^8001\s+active\s+Asia\/Seoul/m);
    const shown = JSON.parse(await talkcal('--json', 'users', 'show', '8001'));
    expect(shown).toMatchObject({ user: { id: '8001', hasTokens: true }, scheduled: true });
    expect(shown.links[0]).toMatchObject({ id: 'work', target: { kind: 'sub-calendar', name: 'Work' } });
    const links = await talkcal('links', 'list', '8001');
    expect(links).toMatch(/work\s+caldav\s+https:\/\/dav\.example\.org\/cal\/\s+sub-calendar Work/);
    const sync = JSON.parse(await talkcal('--json', 'sync', '8001'));
    expect(sync.jobId).toBe('user-8001');
    const status = JSON.parse(await talkcal('--json', 'status'));
    expect(status.users.active).toBe(1);
    expect(status.quota.budget).toBe(30000);
    const human = await talkcal('status');
    expect(human).toMatch(/quota\s+\d{4}-\d{2}-\d{2} \(KST\): used 0 of 30000/);
    // How fast Talk Calendar-side drift is found, and its price.
    expect(human).toMatch(
      /verify\s+next 31 days every 24 h, the rest every 168 h, detail reads 0\/day: at most 2\.8 calls per link per day/,
    );
    // Two-way links: their near region hourly, detail reads along, + a read per event written.
    expect(human).toMatch(
      /two-way\s+next 31 days every 60 min: at most 73\.8 calls per link per day \(24\.0 near, 1\.8 far, 48\.0 detail\), \+ 1 read per event or task written between reads/,
    );
    expect(status.verification).toMatchObject({ nearEveryHours: 24, farEveryHours: 168, near: 1 });
    for (const output of [list, links, JSON.stringify(shown), JSON.stringify(status)]) {
      for (const secret of ['ACC-cli-123456', 'REF-cli-654321', 'dav-secret-999'])
        expect(output).not.toContain(secret);
    }
    expect(await talkcal('links', 'rm', '8001', 'work')).toMatch(/link work removed/);
    expect(await talkcal('users', 'rm', '8001')).toMatch(/user 8001 removed/);
    await expect(talkcal('users', 'show', '8001')).rejects.toMatchObject({
      stderr: expect.stringMatching(/not registered/),
    });
  });

  it('generates keys and re-encrypts every secret with a new active key', async () => {
    await talkcal('users', 'add', '8002', '--tokens-file', join(dir, 'tokens.json'));
    const newKey = (await talkcal('keys', 'generate', 'k2')).trim();
    expect(newKey).toMatch(/^k2:[A-Za-z0-9+/]{43}=$/);
    env.TALKCAL_SECRET_KEY = `${config.security.secretKeys},${newKey}`;
    const rotated = await runTalkcal({ ...env, TALKCAL_SECURITY__ACTIVE_KEY_ID: 'k2' }, ['keys', 'rotate']);
    expect(rotated.stdout).toMatch(/re-encrypted the tokens of 1 user/);
    env.TALKCAL_SECRET_KEY = newKey;
    expect(JSON.parse(await talkcal('--json', 'users', 'show', '8002')).user.hasTokens).toBe(true);
  });

  it('adds a webcal:// feed link with --ics and refuses a scheme no feed uses', async () => {
    const tokens = join(dir, 'tokens-8003.json');
    writeFileSync(
      tokens,
      JSON.stringify({ accessToken: 'ACC-8003', refreshToken: 'REF-8003', expiresIn: 3600 }),
    );
    await talkcal('users', 'add', '8003', '--tokens-file', tokens);
    const url = 'webcal://calendar.example/holidays.ics';
    expect(await talkcal('links', 'add', '8003', 'holidays', '--ics', url)).toMatch(
      /link holidays of user 8003 saved/,
    );
    expect(await talkcal('links', 'list', '8003')).toMatch(
      /holidays\s+ics\s+webcal:\/\/calendar\.example\/holidays\.ics/,
    );
    const refused = await talkcal(
      'links',
      'add',
      '8003',
      'bad',
      '--ics',
      'ftp://calendar.example/a.ics',
    ).catch((e: { stderr: string }) => e.stderr);
    expect(refused).toMatch(/source\.url: an http:\/\/, https:\/\/ or webcal:\/\/ URL/);
    expect(refused.trim().split('\n')).toHaveLength(1);
  });
});
