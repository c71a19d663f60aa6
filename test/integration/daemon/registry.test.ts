import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config/schema.js';
import { DecryptionError, SubCalendarLimitError } from '../../../src/registry/errors.js';
import { Registry } from '../../../src/registry/registry.js';
import { deletePrefix, newKeySpec, prefixKeys, redisUrl, testConfig } from './helpers.js';

const accessToken = 'ACCESS-tok-7f3a9c1e55d2';
const refreshToken = 'REFRESH-tok-0b8e4d6a11c9';
const feedSecret = 'feed-secret-q8w7e6';
const caldavPassword = 'caldav-pass-z9y8x7';

describe('registry (real Redis)', () => {
  let config: Config;
  let redis: Redis;
  let registry: Registry;

  beforeAll(() => {
    config = testConfig();
    redis = new Redis(redisUrl);
    registry = new Registry(redis, config);
  });
  afterAll(async () => {
    await deletePrefix(config.redis.keyPrefix);
    redis.disconnect();
  });

  it('stores tokens and source credentials encrypted: no raw Redis value contains a secret', async () => {
    await registry.users.upsert({
      id: '1001',
      timeZone: 'Asia/Seoul',
      tokens: { accessToken, refreshToken, accessTokenExpiresAt: Date.now() + 3600_000 },
    });
    await registry.links.put('1001', {
      id: 'feed',
      source: { type: 'ics', url: `https://example.org/cal.ics?token=${feedSecret}` },
      target: { kind: 'primary' },
    });
    await registry.links.put('1001', {
      id: 'dav',
      source: {
        type: 'caldav',
        url: 'https://dav.example.org/u/cal/',
        username: 'me',
        password: caldavPassword,
        component: 'event',
      },
      target: { kind: 'sub-calendar', name: 'Work' },
      direction: 'two-way',
    });
    const keys = await prefixKeys(redis, config.redis.keyPrefix);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      const type = await redis.type(key);
      const dump =
        type === 'hash'
          ? JSON.stringify(await redis.hgetall(key))
          : type === 'string'
            ? await redis.get(key)
            : '';
      for (const secret of [accessToken, refreshToken, feedSecret, caldavPassword]) {
        expect(dump ?? '').not.toContain(secret);
      }
    }
    expect(await registry.users.getTokens('1001')).toMatchObject({ accessToken, refreshToken });
    const links = await registry.links.getAll('1001');
    expect(links.find((l) => l.id === 'dav')?.source).toMatchObject({ password: caldavPassword });
  });

  it('public views carry no secret', async () => {
    const text = JSON.stringify([await registry.users.get('1001'), await registry.links.list('1001')]);
    for (const secret of [accessToken, refreshToken, feedSecret, caldavPassword])
      expect(text).not.toContain(secret);
    expect(text).toContain('"hasTokens":true');
    expect(text).toContain('"hasCredentials":true');
  });

  it('a ciphertext copied to another user does not open', async () => {
    await registry.users.upsert({ id: '1002', timeZone: 'Asia/Seoul' });
    const sealed = await redis.hget(registry.keys.user('1001'), 'tokens');
    await redis.hset(registry.keys.user('1002'), 'tokens', sealed!);
    await expect(registry.users.getTokens('1002')).rejects.toBeInstanceOf(DecryptionError);
    await registry.users.remove('1002');
  });

  it('rotates keys: re-seals with the new key, after which the old key can be dropped', async () => {
    const k2 = newKeySpec('k2');
    const both = new Registry(redis, {
      ...config,
      security: { secretKeys: `${config.security.secretKeys},${k2}`, activeKeyId: 'k2' },
    });
    expect(await both.rotateKeys()).toEqual({ users: 1, links: 2 });
    expect(await both.rotateKeys()).toEqual({ users: 0, links: 0 });
    const onlyNew = new Registry(redis, { ...config, security: { secretKeys: k2, activeKeyId: '' } });
    expect((await onlyNew.users.getTokens('1001'))?.refreshToken).toBe(refreshToken);
    expect((await onlyNew.links.get('1001', 'dav')).source).toMatchObject({ password: caldavPassword });
    await expect(registry.users.getTokens('1001')).rejects.toThrow(/not configured/);
  });

  it('refuses a link that would need a fourth sub-calendar, but allows sharing one', async () => {
    const k = new Registry(redis, config);
    await k.users.upsert({ id: '2001', timeZone: 'Asia/Seoul' });
    const link = (id: string, name: string) => ({
      id,
      source: { type: 'ics' as const, url: `https://example.org/${id}.ics` },
      target: { kind: 'sub-calendar' as const, name },
    });
    await k.links.put('2001', link('a', 'A'));
    await k.links.put('2001', link('b', 'B'));
    await k.links.put('2001', link('c', 'C'));
    await k.links.put('2001', link('c2', 'C'));
    await expect(k.links.put('2001', link('d', 'D'))).rejects.toBeInstanceOf(SubCalendarLimitError);
    await k.links.setSubCalendarId('2001', 'a', 'user_cal_1');
    // Re-saving a link keeps the id its first sync created, and that the daemon created it.
    await k.links.put('2001', link('a', 'A'));
    expect((await k.links.get('2001', 'a')).target).toEqual({
      kind: 'sub-calendar',
      name: 'A',
      calendarId: 'user_cal_1',
      createdByDaemon: true,
    });
    // Input never claims a calendar for the daemon (only the daemon's own record does).
    const claimed = {
      kind: 'sub-calendar' as const,
      name: 'B',
      calendarId: 'user_theirs',
      createdByDaemon: true,
    };
    await k.links.put('2001', { ...link('b', 'B'), target: claimed });
    expect((await k.links.get('2001', 'b')).target).toEqual({
      kind: 'sub-calendar',
      name: 'B',
      calendarId: 'user_theirs',
    });
    await k.links.remove('2001', 'c');
    await k.links.remove('2001', 'c2');
    await k.links.put('2001', link('d', 'D'));
  });

  it('removing a user deletes every key of theirs', async () => {
    await registry.users.upsert({ id: '3001', timeZone: 'UTC' });
    expect(await registry.users.remove('3001')).toBe(true);
    expect(await redis.exists(registry.keys.user('3001'))).toBe(0);
    expect((await registry.users.list()).map((u) => u.id)).not.toContain('3001');
  });

  it('counts users by state without reading them, through every state change and removal', async () => {
    const own = new Registry(redis, testConfig());
    const counts = () => own.users.states.counts();
    await own.users.upsert({ id: 'c1', timeZone: 'UTC' });
    await own.users.upsert({ id: 'c2', timeZone: 'UTC' });
    await own.users.upsert({ id: 'c3', timeZone: 'UTC' });
    expect(await counts()).toEqual({ active: 3, needs_reauth: 0, paused: 0 });
    await own.users.setState('c1', 'needs_reauth', 'refresh failed');
    await own.users.setState('c2', 'paused');
    expect(await counts()).toEqual({ active: 1, needs_reauth: 1, paused: 1 });
    // New tokens make a user active again.
    await own.users.upsert({
      id: 'c1',
      timeZone: 'UTC',
      tokens: { accessToken, refreshToken, accessTokenExpiresAt: Date.now() + 3600_000 },
    });
    await own.users.remove('c2');
    expect(await counts()).toEqual({ active: 2, needs_reauth: 0, paused: 0 });
    // Sets kept since the first user count everyone: marked built, no read of every user (a state
    // written behind the index's back stays unseen, which a rebuild would have picked up).
    await redis.del(own.keys.stateIndexBuilt());
    await redis.hset(own.keys.user('c3'), 'state', 'needs_reauth');
    await own.users.ensureStateIndex();
    expect(await own.users.states.built()).toBe(true);
    expect(await counts()).toEqual({ active: 2, needs_reauth: 0, paused: 0 });
    // A registry from before the index: the sets are rebuilt from the user hashes once.
    for (const state of ['active', 'needs_reauth', 'paused']) await redis.del(own.keys.usersInState(state));
    await redis.del(own.keys.stateIndexBuilt());
    await redis.hset(own.keys.user('c3'), 'state', 'paused');
    await own.users.ensureStateIndex();
    expect(await counts()).toEqual({ active: 1, needs_reauth: 0, paused: 1 });
    expect((await own.users.list()).map((u) => u.id)).toEqual(['c1', 'c3']);
    await deletePrefix(own.keys.users().split(':')[0]!);
  });
});
