import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDaemonContext, type DaemonContext } from '../../../src/daemon/context.js';
import { buildHttpServer } from '../../../src/http/server.js';
import { registryKeys } from '../../../src/registry/keys.js';
import { expectShortError, runCli } from '../cli/cli-run.js';
import { adminInject, cliEnv, deletePrefix, redisUrl, runTalkcal, testConfig } from './helpers.js';

// Paged user listings: the API and the CLI (as a subprocess) page in id order, and paging while
// users are added between pages shows every user that was there all along exactly once.

interface UsersPage {
  users: { id: string }[];
  next: string | null;
}

describe('paged user listings (real Redis)', () => {
  const config = testConfig();
  let ctx: DaemonContext;
  let app: FastifyInstance;
  const initial = Array.from({ length: 230 }, (_, i) => String(100_000 + i * 7));

  beforeAll(async () => {
    ctx = createDaemonContext(config);
    app = await buildHttpServer(ctx);
    for (const id of initial) await ctx.registry.users.upsert({ id, timeZone: 'Asia/Seoul' });
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
    await deletePrefix(config.redis.keyPrefix);
  });

  const getPage = async (query: string): Promise<UsersPage> => {
    const answer = await adminInject(app, 'GET', `/api/users${query}`);
    expect(answer.statusCode, answer.body).toBe(200);
    return answer.json() as UsersPage;
  };

  it('finds the channel pseudo-users by id prefix, among every other user, without reading the others', async () => {
    const channels = ['channel_Zb', 'channel_A-1', 'channel__x'];
    for (const id of [...channels, 'channelish', 'chann'])
      await ctx.registry.users.upsert({ id, timeZone: 'UTC' });
    const found = await ctx.registry.users.withIdPrefix('channel_');
    expect(found.map((u) => u.id)).toEqual([...channels].sort());
    // A registry older than the id order: the prefix read derives the order first.
    const redis = new Redis(redisUrl);
    await redis.del(registryKeys(config.redis.keyPrefix).usersById());
    await redis.quit();
    expect((await ctx.registry.users.withIdPrefix('channel_')).map((u) => u.id)).toEqual(
      [...channels].sort(),
    );
    for (const id of [...channels, 'channelish', 'chann']) await ctx.registry.users.remove(id);
  });

  it('pages through every user exactly once while users are added between pages', async () => {
    const seen: string[] = [];
    const added: string[] = [];
    let page = await getPage('?limit=37');
    for (let round = 0; ; round++) {
      expect(page.users.length).toBeLessThanOrEqual(37);
      seen.push(...page.users.map((u) => u.id));
      if (page.next === null) break;
      // Some new ids sort before the cursor, some after, some between two existing ones.
      for (const id of [String(100_000 + round * 7 + 1), `9${round}`, String(100_000 + round * 40 + 3)]) {
        await ctx.registry.users.upsert({ id, timeZone: 'Asia/Seoul' });
        added.push(id);
      }
      page = await getPage(`?limit=37&cursor=${page.next}`);
    }
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of initial) expect(seen).toContain(id);
    expect(seen.filter((id) => !initial.includes(id) && !added.includes(id))).toEqual([]);
    expect([...seen].sort()).toEqual(seen);
  });

  it('takes the configured page size by default and refuses a bad limit or cursor in one line', async () => {
    expect((await getPage('')).users).toHaveLength(config.limits.listPageSize);
    const tooBig = await adminInject(app, 'GET', `/api/users?limit=${config.limits.maxListPageSize + 1}`);
    expect(tooBig.statusCode).toBe(400);
    expect(tooBig.json().error).toBe(
      `limit ${config.limits.maxListPageSize + 1} is too big: at most ${config.limits.maxListPageSize} (limits.maxListPageSize)`,
    );
    const zero = await adminInject(app, 'GET', '/api/users?limit=0');
    expect(zero.statusCode).toBe(400);
    expect(zero.json().error).toMatch(/^limit must be a whole number/);
    const cursor = await adminInject(app, 'GET', '/api/users?cursor=%21%21');
    expect(cursor.statusCode).toBe(400);
    expect(cursor.json().error).toMatch(/^cursor "!!" is not one a listing returned$/);
  });

  it('rebuilds the id order of a registry that has none (older than the index)', async () => {
    const redis = new Redis(redisUrl);
    try {
      await redis.del(registryKeys(config.redis.keyPrefix).usersById());
    } finally {
      redis.disconnect();
    }
    const first = await getPage('?limit=1000');
    for (const id of initial) expect(first.users.map((u) => u.id)).toContain(id);
    expect(first.users.length).toBe(await ctx.registry.users.states.counts().then((c) => c.active));
  });

  it('talkcal users list pages with --limit and --cursor, and --all pages through', async () => {
    const env = cliEnv(config);
    const first = await runTalkcal(env, ['users', 'list', '--limit', '2']);
    const next = first.stdout.match(/^next page: --cursor (\S+)$/m)?.[1];
    expect(next, first.stdout + first.stderr).toBeDefined();
    const firstIds = [...first.stdout.matchAll(/^(\d+)\s+active/gm)].map((m) => m[1]);
    expect(firstIds).toHaveLength(2);
    const second = JSON.parse(
      (await runTalkcal(env, ['--json', 'users', 'list', '--limit', '2', '--cursor', next ?? ''])).stdout,
    ) as UsersPage;
    expect(second.users).toHaveLength(2);
    expect((second.users[0]?.id ?? '') > (firstIds[1] ?? '')).toBe(true);
    const all = JSON.parse(
      (await runTalkcal(env, ['--json', 'users', 'list', '--all', '--limit', '50'])).stdout,
    );
    expect(all.next).toBeNull();
    const listed = (await getPage('?limit=1000')).users.map((u) => u.id);
    expect(all.users.map((u: { id: string }) => u.id)).toEqual(listed);
    const refused = await runCli(env, ['users', 'list', '--limit', '5000']);
    expectShortError(refused, 1, /limit 5000 is too big: at most 1000 \(limits\.maxListPageSize\)/);
  });
});
