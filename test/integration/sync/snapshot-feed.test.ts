import { describe, expect, it } from 'vitest';
import { feedEvents, type OwnEventInfo } from '../../../src/publish/snapshot-events.js';
import { unitMappings } from '../../../src/sync/store/mapping.js';
import { icsText } from '../../support/ics-text.js';
import { feedLink, type Rig, useSyncEnv, vevent } from './harness.js';

// The Kakao snapshot keeps a recurring event as its master (our write) plus the instances a
// verification listing returned; the published feed must show it once: one RRULE master, no
// instance copies.

const env = useSyncEnv();

const day = (n: number) =>
  new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');

const weekly = {
  uid: 'w@test',
  kind: 'event' as const,
  ics: icsText('VEVENT', 'w@test', [
    `DTSTART:${day(2)}T010000Z`,
    `DTEND:${day(2)}T020000Z`,
    'RRULE:FREQ=WEEKLY;COUNT=8',
    'SUMMARY:Weekly',
  ]),
};

async function feedOf(t: Rig, userId: string, linkId: string) {
  const snap = await t.snapshot.read(userId);
  const state = await t.store.load(userId, linkId);
  const own = new Map<string, OwnEventInfo>();
  for (const unit of unitMappings(state))
    if (unit.kakaoId) own.set(unit.kakaoId, { instances: unit.instances ?? [] });
  const now = new Date();
  const specs = feedEvents({
    entries: snap.entries,
    windows: snap.windows,
    own,
    linkCalendars: new Map([[linkId, 'primary']]),
    otherApps: 'hide',
    zone: 'Asia/Seoul',
    horizon: {
      from: new Date(now.getTime() - 30 * 86_400_000),
      to: new Date(now.getTime() + 365 * 86_400_000),
    },
  });
  return { snap, specs };
}

describe('snapshot → published feed: recurring events', () => {
  it('a run stopped by the mass-deletion guard after its verification read keeps the master', async () => {
    const { userId, port, t } = await env.newUser();
    const link = feedLink();
    t.storage.set(weekly);
    for (let i = 0; i < 5; i++) t.storage.set(vevent(`s${i}@test`, `Single ${i}`, 3 + i));
    await t.run(userId, port, [link]);
    t.storage.clear();
    const stopped = await t.run(userId, port, [link], {}, () => new Date(Date.now() + 25 * 3600_000));
    expect(stopped.links[0]!.skipped).toBe('mass-deletion');
    const { snap, specs } = await feedOf(t, userId, link.id);
    expect(snap.entries.some((e) => /_\d{8}T\d{6}Z$/.test(e.key))).toBe(true); // instances were listed
    expect(specs.filter((s) => s.rrule)).toHaveLength(1);
    expect(specs).toHaveLength(6);
  });

  it('a recurring event synced and verified is one RRULE master, no duplicate instances', async () => {
    const { userId, port, t } = await env.newUser();
    const link = feedLink();
    t.storage.set(weekly);
    await t.run(userId, port, [link]);
    // A later verification pass (and a forced full listing) put listed instances in the snapshot.
    await t.run(userId, port, [link], {}, () => new Date(Date.now() + 25 * 3600_000));
    await t.run(userId, port, [link], { force: true }, () => new Date(Date.now() + 26 * 3600_000));

    const { snap, specs } = await feedOf(t, userId, link.id);
    expect(snap.entries.length).toBeGreaterThan(1); // master + listed instances: the check is not vacuous
    expect(specs).toHaveLength(1);
    expect(specs[0]!.rrule).toMatch(/FREQ=WEEKLY/);
    expect(specs[0]!.overrides ?? []).toEqual([]);
  });
});

describe('snapshot → published feed: locations (issue #13, class 6)', () => {
  const weeklyWithOverride = {
    uid: 'loc-w@test',
    kind: 'event' as const,
    ics: icsText(
      'VEVENT',
      'loc-w@test',
      [
        `DTSTART:${day(2)}T010000Z`,
        `DTEND:${day(2)}T020000Z`,
        'RRULE:FREQ=WEEKLY;COUNT=4',
        'SUMMARY:Weekly',
        'LOCATION:Room 301',
      ],
      [
        'BEGIN:VEVENT',
        'UID:loc-w@test',
        'DTSTAMP:20250101T000000Z',
        `RECURRENCE-ID:${day(9)}T010000Z`,
        `DTSTART:${day(9)}T010000Z`,
        `DTEND:${day(9)}T020000Z`,
        'SUMMARY:Weekly',
        'LOCATION:Room 502',
        'END:VEVENT',
      ],
    ),
  };
  const lunch = {
    uid: 'lunch@test',
    kind: 'event' as const,
    ics: icsText('VEVENT', 'lunch@test', [
      `DTSTART:${day(3)}T030000Z`,
      `DTEND:${day(3)}T043000Z`,
      'SUMMARY:Lunch in Gangnam',
      'LOCATION:Gangnam Station Exit 11',
    ]),
  };

  it('keeps a location-only event and an instance with its own location, also after a verification listing', async () => {
    const { userId, port, t } = await env.newUser();
    const link = feedLink();
    t.storage.set(weeklyWithOverride);
    t.storage.set(lunch);
    await t.run(userId, port, [link]);
    // Verification listings put the listed instances (title and time only) in the snapshot.
    await t.run(userId, port, [link], { force: true }, () => new Date(Date.now() + 25 * 3600_000));

    const { snap, specs } = await feedOf(t, userId, link.id);
    expect(snap.entries.some((e) => /_\d{8}T\d{6}Z$/.test(e.key))).toBe(true); // instances were listed
    const byTitle = new Map(specs.map((s) => [s.summary, s]));
    expect(byTitle.get('Lunch in Gangnam')?.location).toEqual({ name: 'Gangnam Station Exit 11' });
    const series = byTitle.get('Weekly');
    expect(series?.location).toEqual({ name: 'Room 301' });
    expect(series?.overrides.map((o) => [o.recurrenceId.toUTC().toISO(), o.location])).toEqual([
      [
        `${day(9).slice(0, 4)}-${day(9).slice(4, 6)}-${day(9).slice(6, 8)}T01:00:00.000Z`,
        { name: 'Room 502' },
      ],
    ]);
  });
});
