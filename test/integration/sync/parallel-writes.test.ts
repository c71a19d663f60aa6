import { describe, expect, it } from 'vitest';
import { KakaoTokenError } from '../../../src/kakao/errors.js';
import type { KakaoPort } from '../../../src/sync/kakao-port.js';
import { syncUser } from '../../../src/sync/sync-user.js';
import { feedLink, type Rig, settings, useSyncEnv, vevent } from './harness.js';

// A user's sync writes several items at once (sync.writeConcurrency), so one slow request does not
// stall the others; an error that ends the run stops every item before its next write.

const env = useSyncEnv();
// The model tests run with one write at a time (sync.writeConcurrency 1, the default): at 4 the
// one-way model finds a loss after a crash mid-create. These tests check the mechanism at 4.
const concurrency = 4;
const runParallel = (t: Rig, userId: string, port: KakaoPort, now?: () => Date) =>
  syncUser(
    { userId, timeZone: 'Asia/Seoul', links: [feedLink()] },
    { ...t.deps(port, now), settings: { ...settings, writeConcurrency: concurrency } },
  );

/** The port with its creates held back until `release`, counting how many are in flight at once. */
function gatedCreates(inner: KakaoPort) {
  const seen = { inFlight: 0, most: 0, started: 0 };
  let release = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const port: KakaoPort = {
    ...inner,
    createEvent: async (calendarId, event) => {
      seen.started++;
      seen.inFlight++;
      seen.most = Math.max(seen.most, seen.inFlight);
      try {
        if (event.title === 'slow') await gate;
        return await inner.createEvent(calendarId, event);
      } finally {
        seen.inFlight--;
      }
    },
  };
  return { port, seen, release: () => release() };
}

describe('bounded parallel writes within one sync', () => {
  it('a slow create does not stall the others; at most writeConcurrency are in flight', async () => {
    const { userId, port, t } = await env.newUser();
    t.storage.set(vevent('slow@t', 'slow', 2));
    for (let i = 0; i < 12; i++) t.storage.set(vevent(`e${i}@t`, `event ${i}`, 3 + i));
    const gated = gatedCreates(port);
    const run = runParallel(t, userId, gated.port);
    // Every other create is made while the slow one still waits.
    await expect.poll(() => gated.seen.started, { timeout: 20_000 }).toBe(13);
    expect(env.emu.admin.events(userId)).toHaveLength(12);
    gated.release();
    const result = await run;
    expect(result.links[0]!.counts.kakao.created).toBe(13);
    expect(gated.seen.most).toBe(concurrency);
    const state = await t.store.load(userId, 'feed');
    expect(state.items.size).toBe(13);
    expect(state.intents).toEqual([]);
  });

  it('an error that ends the run (a token refused) stops the other items before their next write', async () => {
    const { userId, port, t } = await env.newUser();
    for (let i = 0; i < 12; i++) t.storage.set(vevent(`e${i}@t`, `event ${i}`, 3 + i));
    let creates = 0;
    const failing: KakaoPort = {
      ...port,
      createEvent: async (calendarId, event) => {
        if (++creates === 3)
          throw new KakaoTokenError({ status: 401, code: -401, endpoint: 'events.create' });
        return port.createEvent(calendarId, event);
      },
    };
    await expect(runParallel(t, userId, failing)).rejects.toBeInstanceOf(KakaoTokenError);
    // Only the creates already under way when it failed went out; each is mapped, none is open.
    const made = env.emu.admin.events(userId).length;
    expect(made).toBeLessThanOrEqual(concurrency);
    const state = await t.store.load(userId, 'feed');
    expect(state.items.size).toBe(made);
    // The intent of the refused create stays open; the next run (a minute on, past the lock lease
    // and the request timeout) settles it and makes the rest.
    await runParallel(t, userId, port, () => new Date(Date.now() + 60_000));
    expect(env.emu.admin.events(userId)).toHaveLength(12);
    expect((await t.store.load(userId, 'feed')).intents).toEqual([]);
  });
});
