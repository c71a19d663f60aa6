import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { FeedBuilder } from '../../../src/publish/feed-builder.js';
import { FeedStore } from '../../../src/publish/feed-store.js';
import { hashFeedToken } from '../../../src/publish/feed-token.js';
import { publishKeys } from '../../../src/publish/keys.js';
import { KakaoSnapshot } from '../../../src/sync/store/kakao-snapshot.js';
import { syncKeys } from '../../../src/sync/store/keys.js';
import { deletePrefix, redisUrl } from '../daemon/helpers.js';

// Feed records and tokens on the shared Redis (private prefix), and the builder's cache: a body is
// rebuilt only when the snapshot changes; SEQUENCE survives a restart (new builder, same Redis).

const prefix = `t-publish-${Math.random().toString(36).slice(2, 12)}`;
const redis = new Redis(redisUrl);
const keys = publishKeys(prefix);
const sKeys = syncKeys(prefix);

afterAll(async () => {
  await deletePrefix(prefix);
  redis.disconnect();
});

describe('FeedStore', () => {
  const store = new FeedStore(redis, keys);

  it('stores only the SHA-256 of the token and finds the feed by it', async () => {
    const { feed, token } = await store.create('u1', { kind: 'all' });
    const stored = await redis.hget(keys.feeds('u1'), feed.id);
    expect(stored).not.toContain(token);
    expect(JSON.parse(stored!).tokenHash).toBe(hashFeedToken(token));
    expect(await redis.get(keys.token(hashFeedToken(token)))).not.toBeNull();
    expect((await store.byToken(token))?.id).toBe(feed.id);
    expect(await store.byToken(`${token.slice(0, -2)}AA`)).toBeUndefined();
  });

  it('rotates (old token dead, new alive) and revokes', async () => {
    const { feed, token } = await store.create('u2', { kind: 'calendar', calendarId: 'primary' });
    const rotated = await store.rotate('u2', feed.id);
    expect(await store.byToken(token)).toBeUndefined();
    expect((await store.byToken(rotated.token))?.rotatedAt).toBeDefined();
    expect((await store.list('u2')).map((f) => f.id)).toEqual([feed.id]);
    expect(await store.revoke('u2', feed.id)).toBe(true);
    expect(await store.byToken(rotated.token)).toBeUndefined();
    expect(await store.revoke('u2', feed.id)).toBe(false);
    await expect(store.rotate('u2', feed.id)).rejects.toThrow(/does not exist/);
  });

  it('refuses a token whose feed record was replaced (orphan index entry)', async () => {
    const { feed, token } = await store.create('u3', {});
    await redis.hdel(keys.feeds('u3'), feed.id);
    expect(await store.byToken(token)).toBeUndefined();
  });
});

describe('FeedBuilder cache', () => {
  const userId = 'cache-user';
  const snapshot = new KakaoSnapshot(redis, sKeys);
  let clock = new Date('2026-03-01T00:00:00Z');
  const builder = (revalidateMs = 0) =>
    new FeedBuilder({
      redis,
      syncKeys: sKeys,
      publishKeys: keys,
      links: { list: async () => [] },
      users: { get: async () => ({ timeZone: 'Asia/Seoul' }) },
      publish: { refreshIntervalMinutes: 60, otherAppEvents: 'busy' },
      horizon: { pastDays: 30, futureDays: 365 },
      now: () => clock,
      revalidateMs,
    });
  const feed = { id: 'fc', userId, kind: 'all' as const, tokenHash: 'x', createdAt: clock.toISOString() };
  const event = (title: string) => ({
    key: 'E1',
    brief: { id: 'E1', title, time: { start_at: '2026-03-05T01:00:00Z', end_at: '2026-03-05T02:00:00Z' } },
    seenAt: clock.toISOString(),
  });

  it('builds once per snapshot state; concurrent requests share one build', async () => {
    await snapshot.upsert(userId, [event('One')]);
    const b = builder();
    const [r1, r2, r3] = await Promise.all([b.render(feed), b.render(feed), b.render(feed)]);
    expect(b.builds).toBe(1);
    expect(r2!.hash).toBe(r1!.hash);
    expect(r3!.hash).toBe(r1!.hash);
    await b.render(feed);
    expect(b.builds).toBe(1);
    clock = new Date('2026-03-01T00:10:00Z');
    await snapshot.upsert(userId, [event('Two')]);
    const changed = await b.render(feed);
    expect(b.builds).toBe(2);
    expect(changed.hash).not.toBe(r1!.hash);
    expect(changed.lastModified.toISOString()).toBe('2026-03-01T00:10:00.000Z');
    expect(changed.body.toString()).toContain('SEQUENCE:1');
  });

  it('serves from memory without reading Redis within revalidateMs', async () => {
    const b = builder(60_000);
    const first = await b.render(feed);
    await snapshot.upsert(userId, [event('Three')]);
    expect((await b.render(feed)).hash).toBe(first.hash);
    expect(b.builds).toBe(1);
  });

  it('a new process (new builder) gives the same bytes, SEQUENCE and Last-Modified', async () => {
    await snapshot.upsert(userId, [event('Two')]);
    const a = await builder().render(feed);
    clock = new Date('2026-03-01T05:00:00Z');
    const b = await builder().render(feed);
    expect(b.hash).toBe(a.hash);
    expect(b.lastModified.getTime()).toBe(a.lastModified.getTime());
  });
});

describe('KakaoSnapshot.replaceWindow with a calendar scope (what feeds read)', () => {
  const snapshot = new KakaoSnapshot(redis, sKeys);
  const window = { from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' };
  const time = { start_at: '2026-03-05T01:00:00Z', end_at: '2026-03-05T02:00:00Z' };

  it("keeps another calendar's entries and stamps other apps' events with the listed calendar", async () => {
    const userId = 'scope-user';
    const at = new Date('2026-03-02T00:00:00Z');
    await snapshot.upsert(userId, [
      { key: 'P1', brief: { id: 'P1', title: 'Home', time }, linkId: 'home', seenAt: at.toISOString() },
      { key: 'S1', brief: { id: 'S1', title: 'Old work', time }, linkId: 'work', seenAt: at.toISOString() },
    ]);
    await snapshot.replaceWindow(
      userId,
      window,
      [{ time: { start_at: '2026-03-06T01:00:00Z', end_at: '2026-03-06T02:00:00Z' } }],
      at,
      undefined,
      {
        calendarId: 'user_work',
        linkId: 'work',
      },
    );
    const view = await snapshot.read(userId);
    const byKey = new Map(view.entries.map((e) => [e.key, e]));
    expect([...byKey.keys()].sort()).toEqual(['P1', 'busy:2026-03-06T01:00:00Z/2026-03-06T02:00:00Z'].sort());
    expect(byKey.get('busy:2026-03-06T01:00:00Z/2026-03-06T02:00:00Z')?.brief.calendar_id).toBe('user_work');
  });
});
