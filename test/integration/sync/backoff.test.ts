import { afterAll, describe, expect, it } from 'vitest';
import { TranslationPool } from '../../../src/pool/translation-pool.js';
import { MemoryStorage } from '../../../src/sources/memory/storage.js';
import type { SourceItem } from '../../../src/sources/storage.js';
import { syncUser, type UserSyncOptions } from '../../../src/sync/sync-user.js';
import { feedLink, useSyncEnv, vevent } from './harness.js';

// A poisoned link (here: a calendar too costly to translate within limits.translateTimeoutMs)
// fails with the bound named, keeps its Kakao state, waits with exponential backoff while the
// user's other link syncs, is tried again by a manual run, and is cleared by a success.

const env = useSyncEnv();
const pool = new TranslationPool({ translateThreads: 1, translateTimeoutMs: 100, translateMemoryMb: 128 });
afterAll(() => pool.close());

const costly = (n: number): SourceItem[] =>
  Array.from({ length: n }, (_, i) => vevent(`bulk${i}@test`, `Bulk ${i}`, 1 + (i % 300), 3 + (i % 12)));

describe('link backoff', () => {
  it('a link past its translation limit backs off; the other link syncs; a manual run retries it', async () => {
    const { userId, port, t } = await env.newUser();
    const good = feedLink({ id: 'good' });
    const poisoned = feedLink({ id: 'poisoned' });
    const goodStorage = new MemoryStorage(true, 'good');
    goodStorage.set(vevent('g1@test', 'Good one', 2));
    const poisonedStorage = new MemoryStorage(true, 'poisoned');
    poisonedStorage.set(vevent('p1@test', 'Poisoned one', 3));
    let now = new Date();
    const run = (opts: UserSyncOptions = {}) =>
      syncUser(
        { userId, timeZone: 'Asia/Seoul', links: [good, poisoned] },
        {
          ...t.deps(port, () => now),
          storageFor: (link) => (link.id === 'good' ? goodStorage : poisonedStorage),
          work: pool,
          backoff: { baseMs: 15 * 60_000, maxMs: 3600_000 },
        },
        opts,
      );
    await run();
    const titles = () =>
      env.emu.admin
        .events(userId)
        .map((e) => e.title)
        .sort();
    expect(titles()).toEqual(['Good one', 'Poisoned one']);

    for (const item of costly(20_000)) poisonedStorage.set(item);
    goodStorage.set(vevent('g2@test', 'Good two', 4));
    const failed = await run();
    const [g, p] = failed.links;
    expect(g?.error).toBeUndefined();
    expect(p?.error).toMatch(/^translating link poisoned took longer than limits\.translateTimeoutMs/);
    expect(p?.backoff?.failures).toBe(1);
    expect(titles()).toEqual(['Good one', 'Good two', 'Poisoned one']);

    // A scheduled run inside the backoff leaves the poisoned source alone.
    const listsBefore = poisonedStorage.calls.list;
    now = new Date(now.getTime() + 5 * 60_000);
    const skipped = await run();
    expect(skipped.links[1]?.skipped).toBe('backoff');
    expect(skipped.links[1]?.warnings[0]).toMatch(
      /skipped after 1 failed run\(s\), next try .*limits\.translateTimeoutMs/,
    );
    expect(poisonedStorage.calls.list).toBe(listsBefore);

    // A manual run tries it now; failing again doubles the wait.
    const again = await run({ manual: true });
    expect(again.links[1]?.backoff?.failures).toBe(2);
    expect(Date.parse(again.links[1]?.backoff?.retryAt ?? '') - now.getTime()).toBe(30 * 60_000);

    // Fixed at the source: the next run after the wait succeeds and clears the backoff.
    for (let i = 0; i < 20_000; i++) poisonedStorage.remove(`bulk${i}@test`);
    now = new Date(now.getTime() + 31 * 60_000);
    const ok = await run();
    expect(ok.links[1]?.error).toBeUndefined();
    expect(ok.links[1]?.skipped).not.toBe('backoff');
    expect((await run()).links[1]?.backoff).toBeUndefined();
    expect(titles()).toEqual(['Good one', 'Good two', 'Poisoned one']);
  });
});
