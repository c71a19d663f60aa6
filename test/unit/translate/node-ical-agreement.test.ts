// An independent oracle: for single timed events whose DTSTART is UTC or carries a plain IANA TZID,
// the exact start computed here equals node-ical's. (Where they differ in the fixtures, node-ical is
// the one that is wrong: vendor-prefixed TZIDs, custom VTIMEZONEs, invalid dates rolled over.)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ical from 'node-ical';
import { describe, expect, it } from 'vitest';
import { translateEvent } from '../../../src/translate/event.js';
import { defaultLimits } from '../../../src/translate/limits.js';
import { parseComponents, prop } from '../../../src/translate/parse.js';
import { isIanaZone } from '../../../src/translate/zone.js';
import { missing } from '../../support/prerequisite.js';

const dir = join(import.meta.dirname, '../../../../shared/fixtures/ics-real');

function icsFiles(root: string): string[] {
  return readdirSync(root, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? icsFiles(join(root, d.name)) : d.name.endsWith('.ics') ? [join(root, d.name)] : [],
  );
}

interface Case {
  file: string;
  uid: string;
  ics: string;
  expected: string;
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const file of icsFiles(dir)) {
    const ics = readFileSync(file, 'utf8');
    let theirs: Record<
      string,
      { type?: string; uid?: string; start?: Date; rrule?: unknown; recurrenceid?: unknown }
    >;
    try {
      theirs = ical.sync.parseICS(ics) as typeof theirs;
    } catch {
      continue; // node-ical gives up on some files; nothing to compare there
    }
    const ours = parseComponents(ics).events;
    for (const ev of Object.values(theirs)) {
      if (ev.type !== 'VEVENT' || !ev.uid || !(ev.start instanceof Date) || ev.rrule || ev.recurrenceid)
        continue;
      const mine = ours.filter((c) => prop(c, 'UID')?.value.trim() === ev.uid);
      const component = mine.length === 1 ? mine[0] : undefined;
      if (!component || prop(component, 'STATUS')?.value === 'CANCELLED') continue;
      const dtstart = prop(component, 'DTSTART');
      if (!dtstart || !/T\d{6}/.test(dtstart.value)) continue;
      const tzid = dtstart.params.TZID;
      if (!(dtstart.value.endsWith('Z') || (tzid && !tzid.startsWith('/') && isIanaZone(tzid)))) continue;
      out.push({ file, uid: ev.uid, ics, expected: ev.start.toISOString().replace('.000', '') });
    }
  }
  return out;
}

describe.skipIf(missing(existsSync(dir)))(
  'agreement with node-ical (needs ../shared/fixtures/ics-real)',
  () => {
    const all = existsSync(dir) ? cases() : [];

    it('has enough cases to mean something', () => {
      expect(all.length).toBeGreaterThanOrEqual(15);
    });

    it('computes the same start instants', () => {
      for (const c of all) {
        const result = translateEvent(
          { uid: c.uid, kind: 'event', ics: c.ics },
          {
            userTimeZone: 'UTC',
            horizon: { from: new Date(0), to: new Date(0) },
            suppressDefaultReminders: false,
            now: new Date(0),
            limits: defaultLimits,
          },
        );
        expect(result.exactTimes.main?.start, `${c.file} ${c.uid}`).toBe(c.expected);
      }
    });
  },
);
