import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDaemonContext, type DaemonContext } from '../../../src/daemon/context.js';
import { createConflictPort } from '../../../src/daemon/sync-wiring.js';
import { buildHttpServer } from '../../../src/http/server.js';
import { syncKeys } from '../../../src/sync/store/keys.js';
import { withUserLock } from '../../../src/sync/store/lock.js';
import type { ItemMapping } from '../../../src/sync/store/mapping.js';
import { RedisMappingStore } from '../../../src/sync/store/redis-mapping-store.js';
import { adminInject, deletePrefix, testConfig } from './helpers.js';

// Conflicts of a manual link through the admin API: listed from the engine's mapping, resolved
// under the user's sync lock (the next sync applies the choice).

describe('conflict resolution API (real Redis)', () => {
  const config = testConfig();
  let ctx: DaemonContext;
  let app: FastifyInstance;
  const keys = syncKeys(config.redis.keyPrefix);

  const item = (sourceKey: string): ItemMapping => ({
    sourceKey,
    sourceHash: 'h',
    contentHash: 'c',
    units: {},
    conflict: { at: '2026-11-25T00:00:00Z', detail: `both sides changed ${sourceKey}` },
  });

  beforeAll(async () => {
    ctx = createDaemonContext(config);
    app = await buildHttpServer(ctx, { conflicts: createConflictPort(ctx) });
    await ctx.registry.users.upsert({ id: '5001', timeZone: 'Asia/Seoul' });
    for (const [id, conflict] of [
      ['manual', 'manual'],
      ['auto', 'source-wins'],
    ] as const) {
      await ctx.registry.links.put('5001', {
        id,
        source: { type: 'caldav', url: 'https://dav.example.org/cal/', component: 'event' },
        target: { kind: 'primary' },
        direction: 'two-way',
        conflict,
      });
    }
    const store = new RedisMappingStore(ctx.redis, keys);
    await withUserLock(ctx.redis, keys, '5001', 5000, (lock) =>
      store.commit(lock, 'manual', { put: [item('a@x'), item('b@x'), item('c@x')] }),
    );
  });
  afterAll(async () => {
    await app.close();
    await ctx.close();
    await deletePrefix(config.redis.keyPrefix);
  });

  it('lists, resolves one item, then the rest; refuses links that resolve themselves', async () => {
    const list = await adminInject(app, 'GET', '/api/users/5001/conflicts');
    expect(
      list
        .json()
        .conflicts.map((c: { sourceKey: string }) => c.sourceKey)
        .sort(),
    ).toEqual(['a@x', 'b@x', 'c@x']);

    const one = await adminInject(app, 'POST', '/api/users/5001/links/manual/conflicts/resolve', {
      choice: 'kakao',
      items: ['b@x'],
    });
    expect(one.json()).toMatchObject({ resolved: 1 });
    const left = (await adminInject(app, 'GET', '/api/users/5001/conflicts?linkId=manual')).json();
    expect(left.conflicts.map((c: { sourceKey: string }) => c.sourceKey).sort()).toEqual(['a@x', 'c@x']);

    const rest = await adminInject(app, 'POST', '/api/users/5001/links/manual/conflicts/resolve', {
      choice: 'source',
    });
    expect(rest.json()).toMatchObject({ resolved: 2 });
    const state = await new RedisMappingStore(ctx.redis, keys).load('5001', 'manual');
    expect(state.items.get('b@x')?.conflict?.resolution).toBe('kakao');
    expect(state.items.get('a@x')?.conflict?.resolution).toBe('source');

    const refused = await adminInject(app, 'POST', '/api/users/5001/links/auto/conflicts/resolve', {
      choice: 'source',
    });
    expect(refused.statusCode).toBe(409);
    const bad = await adminInject(app, 'POST', '/api/users/5001/links/manual/conflicts/resolve', {
      choice: 'both',
    });
    expect(bad.statusCode).toBe(400);
  });
});
