import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitCalendar } from '../../../src/sources/ics-split.js';
import { countActions } from '../../../src/sync/events/plan-types.js';
import { syncUser } from '../../../src/sync/sync-user.js';
import { missing } from '../../support/prerequisite.js';
import { feedLink, settings, useSyncEnv } from './harness.js';

// Every real-world ICS file of ../shared through the real translator into the emulator: the first
// sync must not fail, a second one must plan nothing, and no source item may land twice.

const dir = new URL('../../../../shared/fixtures/ics-real/', import.meta.url).pathname;
const files = existsSync(dir)
  ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ics'))
  : [];

const env = useSyncEnv();

// A wide horizon around 2020 covers the fixtures' dates (2006–2030).
const wide = { ...settings, horizonPastDays: 3650, horizonFutureDays: 3650 };
const now = () => new Date('2020-01-01T00:00:00Z');
let created = 0;

describe.skipIf(missing(existsSync(dir)))('real-world feeds (needs ../shared/fixtures/ics-real)', () => {
  it.each(files)('%s syncs once, then plans nothing', async (file) => {
    const { userId, port, t } = await env.newUser();
    const { items } = splitCalendar(readFileSync(join(dir, file), 'utf8'));
    for (const item of items) if (item.kind === 'event') t.storage.set(item);
    const link = feedLink();
    const run = (opts = {}) =>
      syncUser(
        { userId: userId, timeZone: 'Asia/Seoul', links: [link] },
        { ...t.deps(port, now), settings: wide },
        opts,
      );

    const first = await run();
    expect(first.links[0]!.error).toBeUndefined();
    const again = await run({ force: true, dryRun: true });
    expect(countActions(again.links[0]!.plan!)).toBe(0);

    const state = await t.store.load(userId, link.id);
    const ids = [...state.items.values()].flatMap((m) =>
      Object.values(m.units).flatMap((x) => (x.kakaoId ? [x.kakaoId] : [])),
    );
    expect(new Set(ids).size).toBe(ids.length);
    expect(env.emu.admin.events(userId).filter((e) => !e.foreign)).toHaveLength(ids.length);
    created += ids.length;
    await t.store.dropLink(userId, link.id);
  });

  it('the fixtures did put events into Talk Calendar (the checks above are not vacuous)', () => {
    expect(created).toBeGreaterThan(100);
  });
});
