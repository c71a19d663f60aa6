// Issue #13 (fidelity) in the published feed: what a source event carries into Talk Calendar comes
// back in the feed. Each event goes source ICS → feed splitter → translator (what Talk Calendar
// receives) → the snapshot entry the sync records → feedEvents → renderFeed (ical-generator), and
// the feed is read back by our reader and by node-ical. Class 6: LOCATION was dropped for events
// with nothing but a location among the detail fields ("Lunch in Gangnam" of the demo feed).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ical from 'node-ical';
import { describe, expect, it } from 'vitest';
import { unescapeText } from '../../../src/ics/content-lines.js';
import type { EventCreate } from '../../../src/kakao/types.js';
import type { InstanceOperation } from '../../../src/model/desired.js';
import { renderFeed } from '../../../src/publish/render-feed.js';
import { feedEvents } from '../../../src/publish/snapshot-events.js';
import { splitCalendar } from '../../../src/sources/ics-split.js';
import type { SnapshotEntry } from '../../../src/sync/store/kakao-snapshot.js';
import { defaultLimits } from '../../../src/translate/limits.js';
import { parseComponents, prop } from '../../../src/translate/parse.js';
import { translateSourceItem } from '../../../src/translate/source-item.js';

const horizon = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-07-01T00:00:00Z') };

interface Sent {
  uid: string;
  event: EventCreate;
  instances: InstanceOperation[];
}

/** Source text → the events Talk Calendar gets, keyed by Kakao id (one per source unit). */
function sentToKakao(ics: string): Map<string, Sent> {
  const out = new Map<string, Sent>();
  for (const item of splitCalendar(ics, defaultLimits).items) {
    const desired = translateSourceItem(item, {
      userTimeZone: 'Asia/Seoul',
      now: horizon.from,
      horizon,
      suppressDefaultReminders: false,
      limits: defaultLimits,
    });
    if (desired.kind !== 'event') continue;
    for (const unit of desired.units)
      out.set(`k-${out.size}`, { uid: item.uid, event: unit.event, instances: unit.instances });
  }
  return out;
}

/** The feed published from the snapshot the sync records after writing those events. */
function publishedFeed(sent: Map<string, Sent>): string {
  const entries: SnapshotEntry[] = [...sent].map(([id, { event }]) => ({
    key: id,
    brief: { id, title: event.title, type: 'USER', is_host: true, time: event.time },
    linkId: 'L',
    event,
    seenAt: horizon.from.toISOString(),
  }));
  const specs = feedEvents({
    entries,
    windows: {},
    own: new Map([...sent].map(([id, s]) => [id, { instances: s.instances }])),
    linkCalendars: new Map([['L', 'primary']]),
    otherApps: 'busy',
    zone: 'Asia/Seoul',
    horizon,
  });
  return renderFeed(specs, new Map(), { name: 'Fidelity', description: 'test', refreshMinutes: 60 });
}

/** SUMMARY (+ RECURRENCE-ID) → LOCATION of every VEVENT, as our reader and as node-ical read it. */
function locationsBySummary(feed: string): { ours: Map<string, string>; nodeIcal: Map<string, string> } {
  const ours = new Map<string, string>();
  for (const e of parseComponents(feed).events) {
    const location = prop(e, 'LOCATION');
    const rid = prop(e, 'RECURRENCE-ID')?.value;
    const summary = unescapeText(prop(e, 'SUMMARY')?.value ?? '') + (rid ? ` @${rid}` : '');
    if (location) ours.set(summary, unescapeText(location.value));
  }
  const nodeIcal = new Map<string, string>();
  for (const e of Object.values(ical.sync.parseICS(feed))) {
    if (e?.type !== 'VEVENT') continue;
    const location = typeof e.location === 'string' ? e.location : e.location?.val;
    const summary = typeof e.summary === 'string' ? e.summary : e.summary?.val;
    if (location && summary) nodeIcal.set(summary, location);
  }
  return { ours, nodeIcal };
}

const fixture = readFileSync(
  join(import.meta.dirname, '../../fixtures/fidelity/class-06-feed-location.ics'),
  'utf8',
);

describe('class 6: the published feed keeps every location Talk Calendar holds', () => {
  const sent = sentToKakao(fixture);
  const feed = publishedFeed(sent);
  const { ours, nodeIcal } = locationsBySummary(feed);
  const expected = new Map([
    ['Lunch in Gangnam', 'Gangnam Station Exit 11'],
    ['Visit', 'Kakao, 235 Pangyoyeok-ro'],
    ['Greenwich', 'Royal Observatory'],
    ['Weekly in Room 301', 'Room 301'],
    ['Trip', 'Jeju'],
  ]);

  it('sends each location to Talk Calendar', () => {
    const titles = [...sent.values()].filter((s) => s.event.location).map((s) => s.event.title);
    expect(titles.sort()).toEqual([...expected.keys()].sort());
  });

  it('publishes each one, as our reader and node-ical read the feed', () => {
    expect(ours).toEqual(new Map([...expected, ['Weekly in Room 301 @20260309T100000', 'Room 502']]));
    expect(nodeIcal).toEqual(expected);
  });

  it("publishes an instance's own location as an override (Talk Calendar holds it on that instance)", () => {
    const weekly = [...sent.values()].find((s) => s.event.title === 'Weekly in Room 301');
    expect(weekly?.instances.map((i) => [i.instanceStart, i.update?.location])).toEqual([
      ['20260309T010000Z', { name: 'Room 502' }],
    ]);
    expect(ours.get('Weekly in Room 301 @20260309T100000')).toBe('Room 502');
  });

  it('publishes the coordinates, also on the prime meridian', () => {
    const back = sentToKakao(feed);
    const located = (title: string) =>
      [...back.values()].find((s) => s.event.title === title)?.event.location;
    expect(located('Visit')).toEqual({
      name: 'Kakao',
      address: '235 Pangyoyeok-ro',
      latitude: 37.3957,
      longitude: 127.1104,
    });
    expect(located('Greenwich')).toEqual({ name: 'Royal Observatory', latitude: 51.4779, longitude: 0 });
  });
});

describe('class 6 on the demo feed (config/demo/sample.ics)', () => {
  it('publishes the location of every demo event that has one, "Lunch in Gangnam" among them', () => {
    const sample = readFileSync(join(import.meta.dirname, '../../../config/demo/sample.ics'), 'utf8');
    const sent = sentToKakao(sample);
    const withLocation = new Map(
      [...sent.values()].flatMap((s) => (s.event.location ? [[s.event.title, s.event.location.name]] : [])),
    );
    expect(withLocation.get('Lunch in Gangnam')).toBe('Gangnam Station Exit 11');
    const { ours } = locationsBySummary(publishedFeed(sent));
    for (const [title, name] of withLocation) expect(ours.get(title), title).toBe(name);
  });
});

describe('class 1 in the feed: a Talk Calendar title is published as written', () => {
  it('keeps runs of spaces, also where a long line is folded', () => {
    const titles = ['A.  B', `${'가나  다라 '.repeat(6)}  end`, '  leading and trailing  '];
    const sent = new Map(
      titles.map((title, i): [string, Sent] => [
        `t-${i}`,
        {
          uid: `t-${i}`,
          instances: [],
          event: {
            title,
            time: {
              start_at: '2026-03-10T01:00:00Z',
              end_at: '2026-03-10T02:00:00Z',
              time_zone: 'Asia/Seoul',
            },
          },
        },
      ]),
    );
    const feed = publishedFeed(sent);
    const lines = feed.split('\r\n');
    const folded = lines.some((l, i) => l.startsWith('SUMMARY:') && (lines[i + 1] ?? '').startsWith(' '));
    expect(folded).toBe(true);
    const ours = parseComponents(feed).events.map((e) => unescapeText(prop(e, 'SUMMARY')?.value ?? ''));
    const theirs = Object.values(ical.sync.parseICS(feed)).flatMap((e) =>
      e?.type === 'VEVENT' ? [typeof e.summary === 'string' ? e.summary : (e.summary?.val ?? '')] : [],
    );
    expect(ours.sort()).toEqual([...titles].sort());
    expect(theirs.sort()).toEqual([...titles].sort());
  });
});
