import fc from 'fast-check';
import type { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { EventCreate } from '../../../src/kakao/types.js';
import type { FeedRecord } from '../../../src/publish/feed.js';
import { buildFeed, type FeedInputs, inputsDigest } from '../../../src/publish/feed-content.js';
import { renderFeed } from '../../../src/publish/render-feed.js';
import { type FeedEventsInput, feedEvents } from '../../../src/publish/snapshot-events.js';
import { assignVersions, type EventVersion } from '../../../src/publish/versions.js';
import type { SnapshotEntry } from '../../../src/sync/store/kakao-snapshot.js';

// The pure path from the sync engine's snapshot and mappings to a feed body.

const horizon = { from: new Date('2026-03-01T00:00:00Z'), to: new Date('2026-06-01T00:00:00Z') };
const seen = '2026-03-10T00:00:00Z';

function own(id: string, event: EventCreate, linkId = 'L'): SnapshotEntry {
  return {
    key: id,
    brief: { id, title: event.title, type: 'USER', is_host: true, time: event.time },
    linkId,
    event,
    seenAt: seen,
  };
}

const weekly: EventCreate = {
  title: 'Standup',
  time: { start_at: '2026-03-02T00:00:00Z', end_at: '2026-03-02T00:30:00Z', time_zone: 'Asia/Seoul' },
  rrule: 'FREQ=WEEKLY;COUNT=6',
  reminders: [15],
  color: 'RED',
};

function input(over: Partial<FeedEventsInput> = {}): FeedEventsInput {
  return {
    entries: [own('W1', weekly)],
    windows: {},
    own: new Map(),
    linkCalendars: new Map([['L', 'primary']]),
    otherApps: 'busy',
    zone: 'Asia/Seoul',
    horizon,
    ...over,
  };
}

const starts = (list: DateTime[]) => list.map((d) => d.toUTC().toISO()).sort();

describe('feedEvents: snapshot → VEVENT specs', () => {
  it('publishes our recurring event as one master with the exceptions we wrote', () => {
    const specs = feedEvents(
      input({
        own: new Map([
          [
            'W1',
            {
              instances: [
                { instanceStart: '20260309T000000Z', action: 'delete', scope: 'THIS' },
                {
                  instanceStart: '20260316T000000Z',
                  action: 'update',
                  scope: 'THIS',
                  update: {
                    title: 'Moved',
                    time: { start_at: '2026-03-16T02:00:00Z', end_at: '2026-03-16T02:30:00Z' },
                  },
                },
              ],
            },
          ],
        ]),
      }),
    );
    expect(specs).toHaveLength(1);
    const master = specs[0]!;
    expect(master.uid).toBe('W1@talkcal-sync');
    expect(master.rrule).toBe('FREQ=WEEKLY;COUNT=6');
    expect(starts(master.exdates)).toEqual(['2026-03-09T00:00:00.000Z']);
    expect(master.overrides).toHaveLength(1);
    expect(master.overrides[0]!.summary).toBe('Moved');
    expect(master.overrides[0]!.start.toUTC().toISO()).toBe('2026-03-16T02:00:00.000Z');
    expect(master.alarms).toHaveLength(1);
    expect(master.color?.kakao).toBe('RED');
  });

  it('trusts a listed window over what we wrote, and what we wrote where no window lists the event', () => {
    const listed = (key: string, title: string): SnapshotEntry => ({
      key: `W1_${key}`,
      brief: {
        id: `W1_${key}`,
        title,
        time: {
          start_at: `${key.slice(0, 4)}-${key.slice(4, 6)}-${key.slice(6, 8)}T00:00:00Z`,
          end_at: `${key.slice(0, 4)}-${key.slice(4, 6)}-${key.slice(6, 8)}T00:30:00Z`,
        },
      },
      seenAt: seen,
    });
    // Window 2026-03-01 lists 03-02 and 03-16 (03-09 deleted in Kakao, 03-16 renamed there).
    const specs = feedEvents(
      input({
        entries: [
          own('W1', weekly),
          listed('20260302T000000Z', 'Standup'),
          listed('20260316T000000Z', 'Renamed'),
        ],
        windows: { '2026-03-01': seen, '2026-04-01': seen },
      }),
    );
    const master = specs[0]!;
    expect(starts(master.exdates)).toEqual([
      '2026-03-09T00:00:00.000Z',
      '2026-03-23T00:00:00.000Z',
      '2026-03-30T00:00:00.000Z',
    ]);
    expect(master.overrides.map((o) => o.summary)).toEqual(['Renamed']);
  });

  it('adds an EXDATE for a DTSTART the rule does not produce (Kakao does not list it)', () => {
    const offRule: EventCreate = {
      title: 'Mon/Fri',
      time: { start_at: '2026-03-05T00:00:00Z', end_at: '2026-03-05T01:00:00Z', time_zone: 'UTC' },
      rrule: 'FREQ=WEEKLY;BYDAY=MO,FR;COUNT=4',
    };
    const [spec] = feedEvents(input({ entries: [own('X', offRule)] }));
    expect(starts(spec!.exdates)).toEqual(['2026-03-05T00:00:00.000Z']);
  });

  it('shows other apps’ events as busy blocks or hides them, and filters by calendar', () => {
    const busy: SnapshotEntry = {
      key: 'busy:a/b',
      brief: { time: { start_at: '2026-03-03T01:00:00Z', end_at: '2026-03-03T02:00:00Z' } },
      seenAt: seen,
    };
    const sub = own(
      'S1',
      { title: 'Sub', time: { start_at: '2026-03-04T01:00:00Z', end_at: '2026-03-04T02:00:00Z' } },
      'L2',
    );
    const base = input({ entries: [busy, sub], linkCalendars: new Map([['L2', 'user_sub']]) });
    expect(
      feedEvents(base)
        .map((s) => s.summary)
        .sort(),
    ).toEqual(['Busy', 'Sub']);
    expect(feedEvents({ ...base, otherApps: 'hide' }).map((s) => s.summary)).toEqual(['Sub']);
    expect(feedEvents({ ...base, calendarId: 'user_sub' }).map((s) => s.summary)).toEqual(['Sub']);
    expect(feedEvents({ ...base, calendarId: 'primary' }).map((s) => s.summary)).toEqual(['Busy']);
    const [block] = feedEvents({ ...base, calendarId: 'primary' });
    expect(block!.busy).toBe(true);
  });

  it('publishes a lunar event as its solar occurrences in the horizon', () => {
    const lunar: EventCreate = {
      title: 'Grandma',
      time: { start_at: '2020-04-15T00:00:00Z', end_at: '2020-04-16T00:00:00Z', all_day: true, lunar: true },
      rrule: 'FREQ=YEARLY',
    };
    const specs = feedEvents(
      input({
        entries: [own('LU', lunar)],
        horizon: { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') },
      }),
    );
    expect(specs).toHaveLength(1);
    expect(specs[0]!.lunar).toBe(true);
    expect(specs[0]!.rrule).toBeUndefined();
    expect(specs[0]!.allDay).toBe(true);
  });
});

describe('versions: SEQUENCE and LAST-MODIFIED', () => {
  const now1 = new Date('2026-03-01T00:00:00Z');
  const now2 = new Date('2026-03-02T00:00:00Z');

  it('raise SEQUENCE and LAST-MODIFIED only for events whose projection changed (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), (changes) => {
        const specs = changes.map(
          (_, i) => feedEvents(input({ entries: [own(`E${i}`, { ...weekly, title: `T${i}` })] }))[0]!,
        );
        const first = assignVersions(specs, new Map(), now1);
        expect(first.specs.every((s) => s.sequence === 0)).toBe(true);
        const records = new Map<string, EventVersion>(first.changed);
        const next = specs.map((s, i) => (changes[i] ? { ...s, summary: `${s.summary}!` } : s));
        const second = assignVersions(next, records, now2);
        second.specs.forEach((s, i) => {
          expect(s.sequence).toBe(changes[i] ? 1 : 0);
          expect(second.lastModified.get(s.uid)).toBe(
            changes[i] ? '2026-03-02T00:00:00Z' : '2026-03-01T00:00:00Z',
          );
        });
        expect(second.changed.size).toBe(changes.filter(Boolean).length);
      }),
      { numRuns: 30 },
    );
  });
});

describe('renderFeed and buildFeed', () => {
  const meta = { name: 'Talk Calendar', description: 'fresh', refreshMinutes: 30 };

  it('adds refresh interval, LAST-MODIFIED and an RFC 7986 COLOR; equal input gives equal bytes', () => {
    const specs = feedEvents(input());
    const v = assignVersions(specs, new Map(), new Date('2026-03-01T00:00:00Z'));
    const a = renderFeed(v.specs, v.lastModified, meta);
    const b = renderFeed(v.specs, v.lastModified, meta);
    expect(a).toBe(b);
    expect(a).toContain('REFRESH-INTERVAL;VALUE=DURATION:PT30M\r\nX-PUBLISHED-TTL:PT30M');
    expect(a).toMatch(/UID:W1@talkcal-sync\r\nLAST-MODIFIED:20260301T000000Z\r\nCOLOR:[a-z]+\r\n/);
    expect(a).toContain('DTSTAMP:20260301T000000Z');
    expect(a).toContain('X-WR-CALNAME:Talk Calendar');
  });

  const feed: FeedRecord = { id: 'f', userId: 'u', kind: 'all', tokenHash: 'h', createdAt: seen };
  const inputs: FeedInputs = {
    userId: 'u',
    zone: 'Asia/Seoul',
    snapshot: { W1: JSON.stringify(own('W1', weekly)) },
    windows: { '2026-03-01': '2026-03-10T05:06:07.000Z' },
    links: [{ id: 'L', calendarId: 'primary', tasks: false, items: {} }],
  };
  const settings = { refreshMinutes: 60, otherAppEvents: 'busy' as const, horizon };

  it('changes the digest when the snapshot, a mapping or the feed changes, not otherwise', () => {
    const d = inputsDigest(feed, inputs, settings);
    expect(inputsDigest(feed, { ...inputs }, settings)).toBe(d);
    expect(inputsDigest(feed, { ...inputs, snapshot: { ...inputs.snapshot, X: '{}' } }, settings)).not.toBe(
      d,
    );
    expect(inputsDigest({ ...feed, otherAppEvents: 'hide' }, inputs, settings)).not.toBe(d);
    const items = [{ id: 'L', calendarId: 'primary', tasks: false, items: { k: '{}' } }];
    expect(inputsDigest(feed, { ...inputs, links: items }, settings)).not.toBe(d);
  });

  it('states freshness to the day and skips corrupt snapshot entries', () => {
    const built = buildFeed(
      feed,
      { ...inputs, snapshot: { ...inputs.snapshot, bad: '{not json' } },
      settings,
      new Map(),
      new Date(seen),
    );
    expect(built.body.replace(/\r\n /g, '')).toContain(
      'X-WR-CALDESC:Talk Calendar as last verified against Kakao on 2026-03-10 UTC',
    );
    expect(built.body.match(/BEGIN:VEVENT/g)).toHaveLength(1);
    expect([...built.changed.keys()]).toEqual(['W1@talkcal-sync']);
  });

  it('publishes the tasks the daemon wrote as VTODOs', () => {
    const item = {
      sourceKey: 'todo-1',
      sourceHash: 'x',
      contentHash: 'y',
      units: {
        main: {
          kakaoId: 'T1',
          desiredHash: 'a',
          kakaoHash: 'b',
          start: '',
          end: '',
          recurring: false,
          instancesApplied: [],
          task: {
            content: 'Buy milk; eggs',
            due_info: { due_date: '20260305', alarm_time: '0900', time_zone: 'Asia/Seoul' },
          },
          completed: true,
        },
      },
    };
    const built = buildFeed(
      { ...feed, kind: 'tasks' },
      {
        ...inputs,
        links: [{ id: 'T', calendarId: 'primary', tasks: true, items: { 'todo-1': JSON.stringify(item) } }],
      },
      settings,
      new Map(),
      new Date(seen),
    );
    expect(built.body).toContain('BEGIN:VTODO\r\nUID:task-T1@talkcal-sync');
    expect(built.body).toContain('SUMMARY:Buy milk\\; eggs');
    expect(built.body).toContain('DUE;VALUE=DATE:20260305');
    expect(built.body).toContain('STATUS:COMPLETED');
    expect(built.body).toContain('TRIGGER;VALUE=DATE-TIME:20260305T000000Z');
    expect(built.body).not.toContain('BEGIN:VEVENT');
  });
});
