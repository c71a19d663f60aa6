// The independent oracle widened to recurring events and their overrides: for every recurring
// timed VEVENT of the real-world fixtures whose DTSTART is UTC or a plain IANA zone, the occurrence
// starts Talk Calendar gets (read, split, translated and expanded as inspect and the sync do) equal
// node-ical's expansion (RRULE, RDATE, EXDATE, RECURRENCE-ID overrides) put on Kakao's 5-minute grid.
// Where they differ the difference is listed below with the reading that explains it, and asserted
// exactly, so a new difference fails.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as nodeIcal from 'node-ical';
import ical from 'node-ical';
import { describe, expect, it } from 'vitest';
import { inspectCalendar } from '../../../src/cli/inspect/report.js';
import { decodeBody } from '../../../src/sources/ics-feed/charset.js';
import { isIanaZone } from '../../../src/translate/zone.js';
import { missing } from '../../support/prerequisite.js';

const dir = join(import.meta.dirname, '../../../../shared/fixtures/ics-real');
const from = new Date('2010-01-01T00:00:00Z');
const to = new Date('2030-01-01T00:00:00Z');

/** Known, explained differences: occurrences only we have, and only node-ical has. */
const differences: Record<string, { ours: string[]; theirs: string[]; why: string }> = {
  '623c13c0-6c2b-45d6-a12b-c33ad61c4868': {
    ours: ['2012-11-10T18:00:00Z', '2012-11-30T18:00:00Z', '2023-11-23T09:00:00Z', '2023-11-25T09:00:00Z'],
    theirs: [],
    why: 'each value of a multi-value RDATE, a UTC RDATE on a zoned series and an RDATE;VALUE=PERIOD are occurrences; node-ical drops them',
  },
  '1334F9B7-6136-444E-A58D-472564C6AA73': {
    ours: Array.from({ length: 18 }, (_, week) =>
      new Date(Date.UTC(2012, 2, 26 + 7 * week, 18)).toISOString().replace('.000', ''),
    ),
    theirs: [],
    why: 'two RRULEs (RFC 2445) recur as their union; node-ical keeps only the last (monthly on Sundays)',
  },
  '0000001': {
    ours: [],
    theirs: ['2015-07-08T16:00:00Z', '2015-07-10T16:00:00Z'],
    why: 'EXDATEs in another zone than DTSTART are matched by wall time in the series zone (exceptions.ts)',
  },
};

interface Case {
  file: string;
  uid: string;
  ours: string[];
  theirs: string[];
}

const grid = (d: Date): string =>
  new Date(Math.floor(d.getTime() / 300_000) * 300_000).toISOString().replace('.000', '');
const inRange = (iso: string): boolean => new Date(iso) >= from && new Date(iso) < to;

function cases(): Case[] {
  const out: Case[] = [];
  for (const file of readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) =>
    f.endsWith('.ics'),
  )) {
    const text = decodeBody(readFileSync(join(dir, file))).text;
    let theirs: nodeIcal.CalendarResponse;
    try {
      theirs = ical.sync.parseICS(text);
    } catch {
      continue; // node-ical gives up on some files; nothing to compare there
    }
    const report = inspectCalendar(text, {
      from,
      to,
      zone: 'Asia/Seoul',
      now: new Date('2020-01-01T00:00:00Z'),
      occurrences: true,
    });
    for (const component of Object.values(theirs)) {
      if (component?.type !== 'VEVENT') continue;
      const ev: nodeIcal.VEvent = component;
      if (!ev.rrule || ev.datetype === 'date') continue;
      const zone = (ev.start as Date & { tz?: string }).tz;
      if (!(zone === 'Etc/UTC' || zone === 'UTC' || (zone && isIanaZone(zone)))) continue;
      const item = report.items.find((i) => i.uid === ev.uid);
      if (!item || item.error) continue;
      out.push({
        file,
        uid: ev.uid,
        ours: (item.occurrences ?? [])
          .map((o) => o.start)
          .filter(inRange)
          .sort(),
        theirs: ical
          .expandRecurringEvent(ev, { from, to })
          .map((i) => grid(i.start))
          .filter(inRange)
          .sort(),
      });
    }
  }
  return out;
}

describe.skipIf(missing(existsSync(dir)))(
  'recurrences agree with node-ical (needs ../shared/fixtures/ics-real)',
  () => {
    const all = existsSync(dir) ? cases() : [];

    it('has enough recurring series to mean something', () => {
      expect(all.length).toBeGreaterThanOrEqual(20);
      expect(all.reduce((n, c) => n + c.theirs.length, 0)).toBeGreaterThan(500);
    });

    it('expands each series to the same occurrence starts', () => {
      for (const c of all) {
        const known = differences[c.uid] ?? { ours: [], theirs: [] };
        const onlyOurs = c.ours.filter((s) => !c.theirs.includes(s));
        const onlyTheirs = c.theirs.filter((s) => !c.ours.includes(s));
        expect({ onlyOurs, onlyTheirs }, `${c.file} ${c.uid}`).toEqual({
          onlyOurs: known.ours,
          onlyTheirs: known.theirs,
        });
      }
    });
  },
);
