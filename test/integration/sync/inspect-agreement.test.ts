import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectCalendar } from '../../../src/cli/inspect/report.js';
import { readCalendarSource } from '../../../src/cli/inspect/run.js';
import { instancesInWindow } from '../../../src/emulator/event-view.js';
import { splitCalendar } from '../../../src/sources/ics-split.js';
import { syncUser } from '../../../src/sync/sync-user.js';
import { horizonOf } from '../../../src/sync/verification/windows.js';
import { defaultLimits } from '../../../src/translate/limits.js';
import { missing } from '../../support/prerequisite.js';
import { feedLink, settings, useSyncEnv } from './harness.js';

// Issue #13: `talkcal inspect --occurrences` lists what a sync of the same file puts into Talk
// Calendar. Each file is read as inspect reads it, synced into the emulator, and the emulator's
// own expansion of what it holds (its rule walk, THIS and THIS_AND_FOLLOWING edits as it applied
// them) is compared occurrence by occurrence with inspect's list. Every real-world fixture of
// ../shared and every synthetic fidelity fixture.

const shared = new URL('../../../../shared/fixtures/ics-real/', import.meta.url).pathname;
const ours = new URL('../../fixtures/fidelity/', import.meta.url).pathname;
const icsFiles = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.ics'))
        .sort()
        .map((f) => join(dir, f))
    : [];

const env = useSyncEnv();
const wide = { ...settings, horizonPastDays: 3650, horizonFutureDays: 3650 };
const nowDate = new Date('2020-01-01T00:00:00Z');
const horizon = horizonOf(nowDate, wide.horizonPastDays, wide.horizonFutureDays);
// Compared a year inside the horizon: at its edges a sync and a preview may cut differently.
const compareFrom = new Date('2011-01-01T00:00:00Z');
const compareTo = new Date('2029-01-01T00:00:00Z');
const compared = { shared: 0, ours: 0 };

const line = (start: Date | string, end: Date | string, allDay: boolean, title: string): string =>
  `${new Date(start).toISOString()} ${new Date(end).toISOString()}${allDay ? ' all-day' : ''} ${title}`;

async function agreement(file: string, suite: keyof typeof compared): Promise<void> {
  const { text } = await readCalendarSource(file, []);
  const report = inspectCalendar(text, {
    from: new Date(horizon.from),
    to: new Date(horizon.to),
    zone: 'Asia/Seoul',
    now: nowDate,
    occurrences: true,
  });
  const inspected = report.items
    .filter((i) => i.kind === 'event')
    .flatMap((i) => i.occurrences ?? [])
    .filter((o) => new Date(o.start) >= compareFrom && new Date(o.start) < compareTo)
    .map((o) => line(o.start, o.end, o.allDay, o.title))
    .sort();

  const { userId, port, t } = await env.newUser();
  const { items } = splitCalendar(text, defaultLimits, nowDate.getTime());
  for (const item of items) if (item.kind === 'event') t.storage.set(item);
  const link = feedLink();
  const run = await syncUser(
    { userId, timeZone: 'Asia/Seoul', links: [link] },
    { ...t.deps(port, () => nowDate), settings: wide },
  );
  expect(run.links[0]?.error).toBeUndefined();
  const held = [...(env.emu.state.users.get(userId)?.events.all() ?? [])]
    .flatMap((event) => instancesInWindow(event, compareFrom, compareTo))
    .filter((i) => i.time.start >= compareFrom && i.time.start < compareTo)
    .map((i) => line(i.time.start, i.time.end, i.time.allDay, i.title))
    .sort();
  await t.store.dropLink(userId, link.id);

  expect(inspected).toEqual(held);
  compared[suite] += held.length;
}

describe.skipIf(missing(existsSync(shared)))('inspect == sync (needs ../shared/fixtures/ics-real)', () => {
  it.each(icsFiles(shared))('%s', (file) => agreement(file, 'shared'));

  it('compared real occurrences (the checks above are not vacuous)', () => {
    expect(compared.shared).toBeGreaterThan(1000);
  });
});

describe('inspect == sync on the fidelity fixtures', () => {
  it.each(icsFiles(ours))('%s', (file) => agreement(file, 'ours'));

  it('compared every fixture occurrence (the checks above are not vacuous)', () => {
    expect(compared.ours).toBeGreaterThanOrEqual(19);
  });
});
