// What we export, read by a real iCalendar client (python3-icalendar + recurring-ical-events from
// Debian): every occurrence it expands must match the instants our own expansion gives, including
// EXDATEs, overrides, all-day dates, DST changes and the generated VTIMEZONEs.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { EventBrief, EventDetail } from '../../../src/kakao/types.js';
import { expandMaster, kakaoEventToVevents } from '../../../src/translate/kakao-to-ical.js';
import { renderVevents } from '../../../src/translate/render-vevents.js';
import type { VeventSpec } from '../../../src/translate/vevent-spec.js';

const python = '/usr/bin/python3';
const hasClient =
  existsSync(python) &&
  (() => {
    try {
      execFileSync(python, ['-c', 'import icalendar, recurring_ical_events'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

const script = `
import sys, json, datetime, icalendar, recurring_ical_events
cal = icalendar.Calendar.from_ical(sys.stdin.read())
out = []
for e in recurring_ical_events.of(cal).between(datetime.datetime(2026, 1, 1), datetime.datetime(2027, 1, 1)):
    s = e['DTSTART'].dt
    en = e['DTEND'].dt if 'DTEND' in e else s + e['DURATION'].dt
    if isinstance(s, datetime.datetime):
        f = lambda d: d.astimezone(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
    else:
        f = lambda d: d.isoformat()
    out.append([str(e['SUMMARY']), f(s), f(en)])
print(json.dumps(sorted(out)))
`;

import { missing } from '../../support/prerequisite.js';

const horizon = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') };
const opts = { horizon, zone: 'Asia/Seoul', otherApps: 'busy' as const };
const iso = (ms: number): string => new Date(ms).toISOString().replace('.000', '');

function ours(specs: VeventSpec[]): string[][] {
  const out: string[][] = [];
  const fmt = (s: VeventSpec, d: VeventSpec['start']): string =>
    s.allDay ? (d.toISODate() ?? '') : iso(d.toMillis());
  for (const s of specs) {
    if (!s.rrule) {
      out.push([s.summary, fmt(s, s.start), fmt(s, s.end)]);
      continue;
    }
    const length = s.end.diff(s.start);
    const exdates = new Set(s.exdates.map((d) => d.toMillis()));
    const overridden = new Set(s.overrides.map((o) => o.recurrenceId.toMillis()));
    for (const at of expandMaster(s, horizon)) {
      if (exdates.has(at.toMillis()) || overridden.has(at.toMillis())) continue;
      out.push([s.summary, fmt(s, at), fmt(s, at.plus(length))]);
    }
    for (const o of s.overrides) out.push([o.summary, fmt(s, o.start), fmt(s, o.end)]);
  }
  return out.sort((a, b) => (a.join() < b.join() ? -1 : 1));
}

describe.skipIf(missing(hasClient))(
  'export read by python icalendar (needs /usr/bin/python3 with icalendar)',
  () => {
    it('expands to the same occurrences we computed', () => {
      const weekly: EventDetail = {
        id: 'w',
        title: 'Weekly Berlin',
        type: 'USER',
        calendar_id: 'primary',
        is_host: true,
        time: {
          start_at: '2026-03-02T08:00:00Z',
          end_at: '2026-03-02T09:00:00Z',
          time_zone: 'Europe/Berlin',
        },
        rrule: 'FREQ=WEEKLY;UNTIL=20260501T000000Z',
        dt_start: '2026-03-02T08:00:00Z',
      };
      const instances: EventBrief[] = [];
      for (let w = 0; w < 9; w++) {
        // Wall 09:00 Berlin: 08:00Z before 29 March, 07:00Z after.
        const start = Date.UTC(2026, 2, 2 + 7 * w, w >= 4 ? 7 : 8);
        if (w === 2) continue;
        const moved = w === 5 ? 3_600_000 : 0;
        instances.push({
          id: `w_${iso(start).replace(/[-:]/g, '')}`,
          title: w === 6 ? 'Renamed' : 'Weekly Berlin',
          time: {
            start_at: iso(start + moved),
            end_at: iso(start + moved + 3_600_000),
            time_zone: 'Europe/Berlin',
          },
        });
      }
      const allDay: EventDetail = {
        id: 'a',
        title: 'Monthly all-day',
        type: 'USER',
        calendar_id: 'primary',
        is_host: true,
        time: {
          start_at: '2026-01-15T00:00:00Z',
          end_at: '2026-01-16T00:00:00Z',
          all_day: true,
          time_zone: 'Asia/Seoul',
        },
        rrule: 'FREQ=MONTHLY;COUNT=6',
        dt_start: '2026-01-15T00:00:00Z',
      };
      const lunar: EventDetail = {
        id: 'l',
        title: 'Lunar birthday',
        type: 'USER',
        calendar_id: 'primary',
        is_host: true,
        time: {
          start_at: '2020-05-05T00:00:00Z',
          end_at: '2020-05-06T00:00:00Z',
          all_day: true,
          lunar: true,
        },
        rrule: 'FREQ=YEARLY',
      };
      const ny: EventBrief = {
        id: 'n',
        title: 'New York single',
        time: {
          start_at: '2026-11-01T06:30:00Z',
          end_at: '2026-11-01T07:00:00Z',
          time_zone: 'America/New_York',
        },
      };
      const specs = [
        ...kakaoEventToVevents(weekly, { ...opts, instances }),
        ...kakaoEventToVevents(allDay, opts),
        ...kakaoEventToVevents(lunar, opts),
        ...kakaoEventToVevents(ny, opts),
        ...kakaoEventToVevents(
          { time: { start_at: '2026-06-01T01:00:00Z', end_at: '2026-06-01T02:00:00Z' } },
          opts,
        ),
      ];
      const text = renderVevents(specs, { now: new Date('2026-01-01T00:00:00Z') });
      const theirs = JSON.parse(
        execFileSync(python, ['-c', script], { input: text, encoding: 'utf8' }),
      ) as string[][];
      expect(theirs).toEqual(ours(specs));
      // Spot checks that the comparison is not vacuous.
      expect(theirs).toContainEqual(['Weekly Berlin', '2026-03-30T07:00:00Z', '2026-03-30T08:00:00Z']);
      expect(theirs).toContainEqual(['Weekly Berlin', '2026-04-06T08:00:00Z', '2026-04-06T09:00:00Z']);
      expect(theirs).toContainEqual(['Renamed', '2026-04-13T07:00:00Z', '2026-04-13T08:00:00Z']);
      expect(theirs.some((o) => o[1] === '2026-03-16T08:00:00Z')).toBe(false);
      expect(theirs).toContainEqual(['New York single', '2026-11-01T06:30:00Z', '2026-11-01T07:00:00Z']);
      expect(theirs.filter((o) => o[0] === 'Lunar birthday')).toHaveLength(1);
      expect(theirs.filter((o) => o[0] === 'Monthly all-day')).toHaveLength(6);
    });
  },
);
