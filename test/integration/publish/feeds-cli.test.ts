import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedStore } from '../../../src/publish/feed-store.js';
import { publishKeys } from '../../../src/publish/keys.js';
import { cliEnv, deletePrefix, redisUrl, runTalkcal, testConfig } from '../daemon/helpers.js';

interface Issued {
  feed: { id: string; kind: string; calendarId?: string };
  token: string;
  url: string;
  webcal: string;
}

describe('talkcal feeds (real Redis)', () => {
  const config = testConfig();
  const prefix = config.redis.keyPrefix;
  const dir = mkdtempSync(join(tmpdir(), 'talkcal-feeds-'));
  const redis = new Redis(redisUrl);
  const store = new FeedStore(redis, publishKeys(prefix));
  const env = cliEnv(config, { TALKCAL_HTTP__PUBLIC_BASE_URL: 'https://cal.example.org' });
  const talkcal = async (...args: string[]) => {
    const { stdout } = await runTalkcal(env, args);
    return stdout;
  };

  beforeAll(async () => {
    const tokens = join(dir, 'tokens.json');
    writeFileSync(
      tokens,
      JSON.stringify({ accessToken: 'ACC-feeds-1', refreshToken: 'REF-feeds-1', expiresIn: 3600 }),
    );
    await talkcal('users', 'add', '9101', '--time-zone', 'Asia/Seoul', '--tokens-file', tokens);
  });

  afterAll(async () => {
    redis.disconnect();
    await deletePrefix(prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates, lists, rotates and revokes feeds', async () => {
    const all = JSON.parse(await talkcal('--json', 'feeds', 'create', '9101')) as Issued;
    expect(all.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(all.url).toBe(`https://cal.example.org/feeds/${all.token}.ics`);
    expect(all.webcal).toBe(`webcal://cal.example.org/feeds/${all.token}.ics`);
    expect((await store.byToken(all.token))?.id).toBe(all.feed.id);

    const one = JSON.parse(
      await talkcal('--json', 'feeds', 'create', '9101', '--calendar', 'primary', '--name', 'Mine'),
    ) as Issued;
    expect(one.feed).toMatchObject({ kind: 'calendar', calendarId: 'primary' });
    const human = await talkcal('feeds', 'create', '9101', '--tasks');
    expect(human).toMatch(/subscribe: webcal:\/\/cal\.example\.org\/feeds\/[A-Za-z0-9_-]{43}\.ics/);

    const listed = await talkcal('--json', 'feeds', 'list', '9101');
    expect((JSON.parse(listed) as { id: string; kind: string }[]).map((f) => f.kind).sort()).toEqual([
      'all',
      'calendar',
      'tasks',
    ]);
    for (const token of [all.token, one.token]) expect(listed).not.toContain(token);
    expect(await talkcal('feeds', 'list', '9101')).not.toContain(all.token);

    const rotated = JSON.parse(await talkcal('--json', 'feeds', 'rotate', '9101', all.feed.id)) as Issued;
    expect(rotated.feed.id).toBe(all.feed.id);
    expect(rotated.token).not.toBe(all.token);
    expect(await store.byToken(all.token)).toBeUndefined();
    expect((await store.byToken(rotated.token))?.id).toBe(all.feed.id);

    expect(JSON.parse(await talkcal('--json', 'feeds', 'revoke', '9101', one.feed.id))).toEqual({
      removed: true,
    });
    expect(await store.byToken(one.token)).toBeUndefined();
    const again = await talkcal('feeds', 'revoke', '9101', one.feed.id).catch(
      (e: { code?: number; stdout?: string }) => e,
    );
    expect(again).toMatchObject({ code: 1 });
    expect((again as { stdout: string }).stdout).toContain(`no feed ${one.feed.id}`);
  }, 120_000);

  it('refuses a feed for an unknown user and a bad feed definition', async () => {
    await expect(talkcal('feeds', 'create', '9999')).rejects.toMatchObject({ code: 1 });
    await expect(talkcal('feeds', 'create', '9101', '--other-apps', 'sometimes')).rejects.toMatchObject({
      code: 1,
    });
    expect(await store.list('9999')).toEqual([]);
  }, 60_000);
});
