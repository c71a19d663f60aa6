import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyPrivacy,
  applyReminderPolicy,
  declinedBy,
  passesFilters,
} from '../../../src/sync/events/filters.js';
import { formatPlan } from '../../../src/sync/events/format-plan.js';
import { hashOf, stableStringify } from '../../../src/sync/events/hash.js';
import {
  compactTime,
  projectBrief,
  projectDesired,
  splitInstanceId,
} from '../../../src/sync/events/projection.js';
import { writeBackBrief } from '../../../src/sync/events/write-back.js';
import {
  contains,
  covered,
  coverInstants,
  horizonOf,
  horizonWindows,
  nearWindows,
  windowFrom,
} from '../../../src/sync/verification/windows.js';
import { brief, ev, item, link } from '../../support/sync-fixtures.js';

const src = (extra: string[] = []) => ({
  uid: 'x@t',
  kind: 'event' as const,
  ics: [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'BEGIN:VEVENT',
    'UID:x@t',
    'DTSTART:20250310T010000Z',
    'DTEND:20250310T020000Z',
    'SUMMARY:Dentist',
    ...extra,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n'),
});

describe('filters and privacy', () => {
  const A = item(
    'x@t',
    ev('Dentist', '2025-03-10T01:00:00Z', 1, { description: 'room 4', location: { name: 'Clinic' } }),
  );

  it('title include/exclude and timing', () => {
    expect(passesFilters(link({ filters: { includeTitle: '^Den' } }), src(), A)).toBe(true);
    expect(passesFilters(link({ filters: { excludeTitle: 'tist$' } }), src(), A)).toBe(false);
    expect(passesFilters(link({ filters: { timing: 'allDay' } }), src(), A)).toBe(false);
    expect(passesFilters(link({ filters: { timing: 'timed' } }), src(), A)).toBe(true);
  });

  it('drops invitations the user declined (their own ATTENDEE line only, folded lines too)', () => {
    const declined = ['ATTENDEE;CN="Kim: Team";PARTSTAT=DECLINED:mailto:me@example.org'];
    const other = [
      'ATTENDEE;PARTSTAT=DECLINED:mailto:someone@example.org',
      'ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@example.org',
    ];
    expect(declinedBy(src(declined).ics, ['me@example.org'])).toBe(true);
    expect(
      declinedBy(src(['ATTENDEE;PARTSTAT=DECL', ' INED:MAILTO:Me@Example.org']).ics, [
        'mailto:me@example.org',
      ]),
    ).toBe(true);
    expect(declinedBy(src(other).ics, ['me@example.org'])).toBe(false);
    const l = link({ filters: { userAddresses: ['me@example.org'] } });
    expect(passesFilters(l, src(declined), A)).toBe(false);
  });

  it('title-only strips description and location; busy-only also the title', () => {
    const t = applyPrivacy(link({ privacy: 'title-only' }), A);
    expect(t.kind === 'event' && t.units[0]!.event).toEqual({
      title: 'Dentist',
      time: A.units[0]!.event.time,
    });
    const b = applyPrivacy(link({ privacy: 'busy-only' }), A);
    expect(b.kind === 'event' && b.units[0]!.event.title).toBe('Busy');
  });

  it('suppressDefaultReminders sends [] only when the item has no reminders', () => {
    const out = applyReminderPolicy(link({ suppressDefaultReminders: true }), A);
    expect(out.kind === 'event' && out.units[0]!.event.reminders).toEqual([]);
    const withOwn = item('y', ev('R', '2025-03-10T01:00:00Z', 1, { reminders: [15] }));
    const kept = applyReminderPolicy(link({ suppressDefaultReminders: true }), withOwn);
    expect(kept.kind === 'event' && kept.units[0]!.event.reminders).toEqual([15]);
  });
});

describe('hashes and projections', () => {
  it('stable under key order and undefined fields', () => {
    expect(stableStringify({ b: 1, a: { d: undefined, c: [1, 2] } })).toBe('{"a":{"c":[1,2]},"b":1}');
    expect(hashOf({ x: 1, y: 2 })).toBe(hashOf({ y: 2, x: 1 }));
  });

  it('list projection ignores time_zone, millis and the description the list does not show', () => {
    const e = ev('T', '2025-03-10T01:00:00Z', 1, { description: 'not listed' });
    const listed = {
      ...brief('k', e),
      time: { start_at: '2025-03-10T01:00:00.000Z', end_at: '2025-03-10T02:00:00.000Z' },
    };
    expect(projectBrief(listed)).toBe(projectDesired(e));
    expect(projectBrief({ ...listed, title: 'T2' })).not.toBe(projectDesired(e));
  });

  it('instance ids', () => {
    expect(splitInstanceId('abc_20250310T010000Z')).toEqual({
      masterId: 'abc',
      instanceStart: '20250310T010000Z',
    });
    expect(splitInstanceId('abc')).toEqual({ masterId: 'abc' });
    expect(compactTime('2025-03-10T01:00:00.000Z')).toBe('20250310T010000Z');
  });
});

describe('windows', () => {
  const now = new Date('2025-03-01T12:00:00Z');
  const day = 86_400_000;
  const windows = horizonWindows(now, 30, 365);

  it('a full listing reads the fewest windows that cover the horizon exactly: 13 for 395 days', () => {
    expect(windows).toHaveLength(13);
    expect(horizonOf(now, 30, 365)).toEqual({ from: '2025-01-30T00:00:00Z', to: '2026-03-02T00:00:00Z' });
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('2024-01-01T00:00:00Z'), max: Date.parse('2030-01-01T00:00:00Z') }),
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 1, max: 800 }),
        (t, past, future) => {
          const at = new Date(t);
          const h = horizonOf(at, past, future);
          const ws = horizonWindows(at, past, future);
          const days = (Date.parse(h.to) - Date.parse(h.from)) / day;
          expect(ws).toHaveLength(Math.ceil(days / 31));
          expect(ws[0]!.from).toBe(h.from);
          expect(ws.at(-1)!.to).toBe(h.to);
          for (let i = 1; i < ws.length; i++) expect(ws[i]!.from).toBe(ws[i - 1]!.to);
          for (const w of ws) expect(Date.parse(w.to) - Date.parse(w.from)).toBeLessThanOrEqual(31 * day);
          expect(Date.parse(h.from)).toBeLessThanOrEqual(t - past * day);
          expect(Date.parse(h.to)).toBeGreaterThanOrEqual(t + future * day);
          expect(covered(ws, h, h)).toBe(true);
        },
      ),
    );
  });

  it('the near region is one call for 31 days, from the current hour (task listings: the day)', () => {
    const h = horizonOf(now, 30, 365);
    const at = new Date('2025-03-01T12:34:56Z');
    expect(nearWindows(at, 31, h, false)).toEqual([
      { from: '2025-03-01T12:00:00Z', to: '2025-04-01T12:00:00Z' },
    ]);
    expect(nearWindows(at, 31, h, true)).toEqual([
      { from: '2025-03-01T00:00:00Z', to: '2025-04-01T00:00:00Z' },
    ]);
    // Longer regions take as many calls as they need; the horizon's end clips them.
    expect(nearWindows(at, 62, h, false)).toHaveLength(2);
    expect(nearWindows(at, 31, { from: h.from, to: '2025-03-10T00:00:00Z' }, true)).toEqual([
      { from: '2025-03-01T00:00:00Z', to: '2025-03-10T00:00:00Z' },
    ]);
  });

  it('a cover of instants is what sorting the instants by Date.parse and covering greedily gives (property)', () => {
    const h = horizonOf(now, 30, 365);
    const reference = (instants: string[]) => {
      const out: { from: string; to: string }[] = [];
      for (const at of [...instants].sort((a, b) => Date.parse(a) - Date.parse(b)))
        if (!out.some((w) => contains(w, at))) out.push(windowFrom(at, h));
      return out;
    };
    const instant = fc.oneof(
      fc
        .integer({ min: Date.parse(h.from), max: Date.parse(h.to) - 1 })
        .map((t) => new Date(t).toISOString()),
      fc.constantFrom('2025-03-10', '2025-02-30T00:00:00Z', 'Mon, 10 Mar 2025 01:00:00 GMT', h.from),
    );
    fc.assert(
      fc.property(fc.array(instant, { maxLength: 40 }), (instants) => {
        expect(coverInstants(instants, h)).toEqual(reference(instants));
      }),
    );
  });

  it("a cover of instants: every instant in a window of at most 31 days that starts on an instant's day", () => {
    const h = horizonOf(now, 30, 365);
    const inHorizon = fc.integer({ min: Date.parse(h.from), max: Date.parse(h.to) - 1 });
    fc.assert(
      fc.property(fc.array(inHorizon, { maxLength: 60 }), (times) => {
        const instants = times.map((t) => new Date(t).toISOString());
        const cover = coverInstants(instants, h);
        for (const i of instants) expect(cover.some((w) => contains(w, i))).toBe(true);
        for (const w of cover) {
          expect(Date.parse(w.to) - Date.parse(w.from)).toBeLessThanOrEqual(31 * day);
          expect(instants.some((i) => i.slice(0, 10) === w.from.slice(0, 10))).toBe(true);
        }
        // Greedy from the earliest: no two windows overlap, so none could be spared.
        const sorted = [...cover].sort((a, b) => Date.parse(a.from) - Date.parse(b.from));
        for (let i = 1; i < sorted.length; i++)
          expect(Date.parse(sorted[i]!.from)).toBeGreaterThanOrEqual(Date.parse(sorted[i - 1]!.to));
      }),
    );
  });
});

describe('write-back', () => {
  it('rewrites only what Kakao changed', () => {
    const prev = ev('Dentist', '2025-03-10T01:00:00Z');
    const out = writeBackBrief(
      src(['LOCATION:Clinic']),
      brief('k', { ...prev, title: 'Dentist 2' }),
      prev,
      new Date('2025-03-02T00:00:00Z'),
    );
    expect(out).toContain('SUMMARY:Dentist 2');
    expect(out).toContain('DTSTART:20250310T010000Z');
    expect(out).toContain('LOCATION:Clinic');
    const moved = writeBackBrief(
      src(),
      brief('k', ev('Dentist', '2025-03-11T05:00:00Z', 2)),
      prev,
      new Date(),
    );
    expect(moved).toContain('DTSTART:20250311T050000Z');
    expect(moved).toContain('DTEND:20250311T070000Z');
    expect(writeBackBrief(src(), brief('k', prev), prev, new Date())).toBe(src().ics);
  });
});

describe('formatPlan', () => {
  it('one line per action, conflicts and warnings; "nothing to do" when empty', () => {
    const e = ev('Dentist', '2025-03-10T01:00:00Z');
    const plan = {
      linkId: 'l1',
      items: [
        {
          sourceKey: 'a@x',
          desired: null,
          actions: [
            {
              op: 'create' as const,
              sourceKey: 'a@x',
              unitKey: 'main',
              event: e,
              instances: [],
              desiredHash: 'h',
              reason: 'new',
            },
          ],
        },
      ],
      settledIntents: [],
      conflicts: [{ sourceKey: 'b@x', unitKey: 'main', detail: 'changed on both sides' }],
      warnings: ['w1'],
      quarantined: [],
      driftSeen: false,
    };
    expect(formatPlan(plan)).toEqual([
      'link l1:',
      '  a@x: create "Dentist" at 2025-03-10T01:00:00Z — new',
      '  b@x: CONFLICT — changed on both sides',
      '  warning: w1',
    ]);
    expect(formatPlan({ ...plan, items: [], conflicts: [], warnings: [] })).toEqual([
      'link l1:',
      '  nothing to do',
    ]);
  });
});
