import { describe, expect, it } from 'vitest';
import type { DesiredItem } from '../../../src/model/desired.js';
import { inProcessWork, type SourceWork } from '../../../src/pool/translation-pool.js';
import type { SourceItem } from '../../../src/sources/storage.js';
import { syncUser } from '../../../src/sync/sync-user.js';
import type { ItemTranslateOptions } from '../../../src/translate/source-item.js';
import { clearLog, requestLog } from '../kakao/harness.js';
import { feedLink, useSyncEnv, vevent } from './harness.js';

// Guards and identity against the emulator: the mass-deletion guard, UID-minting feeds, paging
// past 1,000 events in one verification window, foreign events, and the Kakao snapshot.

const env = useSyncEnv();

const calendarCalls = async () =>
  (await requestLog(env.emu))
    .filter((q) => q.path.includes('/api/calendar/'))
    .map((q) => `${q.method} ${q.path}`);

describe('sync guards', () => {
  it('an emptied feed stops with the mass-deletion guard until forced', async () => {
    const { userId, port, t } = await env.newUser();
    const link = feedLink();
    for (let n = 0; n < 6; n++) t.storage.set(vevent(`m${n}@test`, `Event ${n}`, n + 1));
    await t.run(userId, port, [link]);
    t.storage.clear();
    await clearLog(env.emu);
    const blocked = await t.run(userId, port, [link]);
    expect(blocked.links[0]!.skipped).toBe('mass-deletion');
    expect(blocked.links[0]!.error).toMatch(/delete 6 of 6/);
    expect(await calendarCalls()).toEqual([]);
    expect(env.emu.admin.events(userId)).toHaveLength(6);
    // Still blocked on the next run (the cursor did not move past the empty listing).
    expect((await t.run(userId, port, [link])).links[0]!.skipped).toBe('mass-deletion');
    await t.run(userId, port, [link], { force: true });
    expect(env.emu.admin.events(userId)).toHaveLength(0);
  });

  it('a feed that mints new UIDs on every request is matched by content: nothing recreated', async () => {
    const { userId, port, t } = await env.newUser();
    const link = feedLink();
    const publish = (run: number) => {
      t.storage.clear();
      for (let n = 0; n < 4; n++) t.storage.set(vevent(`run${run}-${n}@minting`, `Match ${n}`, n + 2));
    };
    publish(1);
    await t.run(userId, port, [link]);
    publish(2);
    await clearLog(env.emu);
    const second = await t.run(userId, port, [link]);
    expect(second.links[0]!.warnings.join()).toMatch(/mints new UIDs/);
    expect((await calendarCalls()).filter((c) => !c.startsWith('GET'))).toEqual([]);
    publish(3);
    await clearLog(env.emu);
    await t.run(userId, port, [link]);
    expect((await calendarCalls()).filter((c) => !c.startsWith('GET'))).toEqual([]);
    expect(env.emu.admin.events(userId)).toHaveLength(4);
    expect((await t.store.load(userId, link.id)).identityMode).toBe('content');
    // A verification pass while the feed is unchanged deletes nothing.
    await clearLog(env.emu);
    await t.run(userId, port, [link], {}, () => new Date(Date.now() + 25 * 3600_000));
    expect((await calendarCalls()).filter((c) => !c.startsWith('GET'))).toEqual([]);
    expect(env.emu.admin.events(userId)).toHaveLength(4);
  });

  it("a verification window holding more than 1,000 events costs one call per page, other apps' events untouched", async () => {
    const { userId, port, t } = await env.newUser();
    const link = feedLink();
    t.storage.set(vevent('p@test', 'Ours', 3));
    await t.run(userId, port, [link]);
    const base = new Date(Date.now() + 3 * 86_400_000);
    base.setUTCHours(0, 0, 0, 0);
    for (let n = 0; n < 1100; n++) {
      const start = new Date(base.getTime() + (n % 200) * 300_000);
      const end = new Date(start.getTime() + 300_000);
      const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
      env.emu.admin.seedEvent(userId, { foreign: true, time: { start_at: iso(start), end_at: iso(end) } });
    }
    await clearLog(env.emu);
    const later = new Date(Date.now() + 25 * 3600_000);
    await t.run(userId, port, [link], {}, () => later);
    expect(await calendarCalls()).toEqual(['GET /v2/api/calendar/events', 'GET /v2/api/calendar/events']);
    expect(env.emu.admin.events(userId)).toHaveLength(1101);
    // The snapshot knows our event (with its content) and the other apps' busy blocks.
    const snap = await t.snapshot.read(userId);
    expect(snap.entries.filter((e) => e.linkId === link.id).map((e) => e.brief.title)).toEqual(['Ours']);
    expect(snap.entries.filter((e) => e.key.startsWith('busy:')).length).toBeGreaterThan(0);
    expect(Object.values(snap.windows).filter((at) => at === later.toISOString())).toHaveLength(1);
  });

  it('a recurrence expanded into occurrences is re-read as the horizon moves (storage unchanged)', async () => {
    const { userId, port, t } = await env.newUser();
    const link = feedLink();
    t.storage.set(vevent('x@test', 'Expanded', 1));
    // A translator that expands the item into three daily occurrences from "today" (as the real one
    // does for rules Kakao cannot represent, within the horizon it is given).
    const translate = (item: SourceItem, ctx: ItemTranslateOptions): DesiredItem => {
      const day0 = Math.floor(ctx.now.getTime() / 86_400_000) * 86_400_000 + 86_400_000;
      const units = [0, 1, 2].map((k) => {
        const start = new Date(day0 + k * 86_400_000 + 3600_000).toISOString().replace('.000Z', 'Z');
        const end = new Date(day0 + k * 86_400_000 + 7200_000).toISOString().replace('.000Z', 'Z');
        return {
          unitKey: start.replace(/[-:]/g, ''),
          event: { title: 'Expanded', time: { start_at: start, end_at: end } },
          instances: [],
        };
      });
      return { kind: 'event', sourceKey: item.uid, units, warnings: [], exactTimes: {} };
    };
    const work: SourceWork = {
      ...inProcessWork,
      translate: async (items, options) =>
        items.map((item) => ({ ok: true, desired: translate(item, options) })),
    };
    const run = (now: Date) =>
      syncUser({ userId, timeZone: 'UTC', links: [link] }, { ...t.deps(port, () => now), work });
    // 06:00 UTC today: the run an hour after t1 stays on t1's UTC day whenever the test runs.
    const t0 = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 + 6 * 3600_000);
    await run(t0);
    expect(env.emu.admin.events(userId)).toHaveLength(3);
    const t1 = new Date(t0.getTime() + 86_400_000);
    await clearLog(env.emu);
    await run(t1);
    const writes = (await calendarCalls()).filter((c) => !c.startsWith('GET'));
    expect(writes.sort()).toEqual([
      'DELETE /v2/api/calendar/delete/event',
      'POST /v2/api/calendar/create/event',
    ]);
    expect(env.emu.admin.events(userId)).toHaveLength(3);
    await clearLog(env.emu);
    await run(new Date(t1.getTime() + 3600_000));
    expect(await calendarCalls()).toEqual([]);
  });
});
