import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrivateRedis, startPrivateRedis } from '../../../src/daemon/private-redis.js';
import { deleteIfOwner, LuaScript, renewIfOwner } from '../../../src/registry/lua-script.js';

// Scripts go by SHA once Redis knows them, and by text again when it has forgotten them (a private
// Redis, since flushing scripts would disturb every other test's).

let server: PrivateRedis;
let redis: Redis;
beforeAll(async () => {
  server = await startPrivateRedis();
  redis = new Redis(server.url);
});
afterAll(async () => {
  redis.disconnect();
  await server.stop();
});

const sent = async (): Promise<Record<string, number>> => {
  const info = await redis.info('commandstats');
  const calls = (name: string) => Number(new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(info)?.[1] ?? 0);
  return { eval: calls('eval'), evalsha: calls('evalsha') };
};

describe('Lua scripts by SHA', () => {
  it('sends the text once, then only the SHA; again after Redis forgot it', async () => {
    const echo = new LuaScript(`return ARGV[1] .. KEYS[1]`, 1);
    await redis.config('RESETSTAT');
    expect(await echo.run(redis, ['k'], ['v'])).toBe('vk');
    expect(await echo.run(redis, ['k'], ['w'])).toBe('wk');
    expect(await sent()).toEqual({ eval: 1, evalsha: 2 });
    await redis.script('FLUSH');
    expect(await echo.run(redis, ['k'], ['x'])).toBe('xk');
    expect(await sent()).toEqual({ eval: 2, evalsha: 3 });
  });

  it('renews and deletes a key only for its owner', async () => {
    await redis.set('lock', 'me', 'PX', 1000);
    expect(await renewIfOwner.run(redis, ['lock'], ['you', 5000])).toBe(0);
    expect(await renewIfOwner.run(redis, ['lock'], ['me', 5000])).toBe(1);
    expect(await redis.pttl('lock')).toBeGreaterThan(1000);
    expect(await deleteIfOwner.run(redis, ['lock'], ['you'])).toBe(0);
    expect(await deleteIfOwner.run(redis, ['lock'], ['me'])).toBe(1);
    expect(await redis.exists('lock')).toBe(0);
  });
});
