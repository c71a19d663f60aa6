// Properties behind the fidelity classes of issue #13 (classes 1, 4, 5, 9), for generated input:
// a title arrives as written (cut only past Kakao's limit); a floating time under X-WR-TIMEZONE is
// the same instant as that wall time with TZID=<zone>; every RDATE period is an occurrence with
// its own length; an end before the start is never sent as a negative or reversed span.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeText } from '../../../src/ics/content-lines.js';
import { kakaoLimits } from '../../../src/kakao/types.js';
import { truncateText } from '../../../src/translate/text.js';
import { translate } from './event-helpers.js';

const hour = 3_600_000;
const day = 24 * hour;
const base = Date.UTC(2024, 0, 1);

/** yyyyMMddTHHmmss of a UTC ms value (no Z). */
const wall = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, '');

const printable = fc.string({
  unit: fc.constantFrom('a', 'B', ' ', '  ', '.', ',', ';', '\\', '가', '한', '😀', '\n', '\t', 'é'),
  minLength: 0,
  maxLength: 70,
});

describe('class 1: a title as written', () => {
  it('arrives unchanged unless blank (placeholder) or longer than Kakao allows (cut, with a warning)', () => {
    fc.assert(
      fc.property(printable, (title) => {
        const r = translate([
          ['DTSTART:20240105T100000Z', 'DTEND:20240105T110000Z', `SUMMARY:${escapeText(title)}`],
        ]);
        const sent = r.units[0]?.event.title;
        const codes = r.warnings.map((w) => w.code);
        if (title.trim() === '') {
          expect(sent).toBe('(no title)');
          expect(codes).toContain('title-changed');
          return;
        }
        expect(sent).toBe(truncateText(title, kakaoLimits.titleMax).text);
        expect(codes.includes('title-truncated')).toBe(sent !== title);
        expect(codes).not.toContain('title-changed');
      }),
      { numRuns: 300 },
    );
  });
});

const zones = ['America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Pacific/Apia'];

describe('class 4: floating times in the declared zone', () => {
  it('equal the same wall time written with TZID=<the declared zone>', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: 0, max: 730 * 24 * 4 }).map((q) => base + q * 15 * 60_000),
        fc.integer({ min: 1, max: 16 }).map((q) => q * 15 * 60_000),
        (zone, startWall, length) => {
          const floating = translate(
            [[`DTSTART:${wall(startWall)}`, `DTEND:${wall(startWall + length)}`, 'SUMMARY:x']],
            {},
            [`X-WR-TIMEZONE:${zone}`],
          );
          const zoned = translate([
            [
              `DTSTART;TZID=${zone}:${wall(startWall)}`,
              `DTEND;TZID=${zone}:${wall(startWall + length)}`,
              'SUMMARY:x',
            ],
          ]);
          expect(floating.units[0]?.event.time).toEqual(zoned.units[0]?.event.time);
          expect(floating.warnings.find((w) => w.code === 'floating-time')?.message).toContain(zone);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('class 5: RDATE periods', () => {
  it('each period is an occurrence with its own length, in either form', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.integer({ min: 1, max: 48 }), { minLength: 6, maxLength: 6 }),
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        (days, quarters, withEnd) => {
          const start = base + 10 * hour;
          const periods = days.map((d, i) => {
            const at = start + d * day;
            const length = (quarters[i] ?? 1) * 15 * 60_000;
            const end = withEnd[i] ? `${wall(at + length)}Z` : `PT${length / 60_000}M`;
            return { at, length, text: `${wall(at)}Z/${end}` };
          });
          const r = translate(
            [
              [
                `DTSTART:${wall(start)}Z`,
                'DURATION:PT1H',
                `RDATE;VALUE=PERIOD:${periods.map((p) => p.text).join(',')}`,
              ],
            ],
            { expandRecurrences: true },
          );
          const got = r.units
            .map((u) => [Date.parse(u.event.time.start_at), Date.parse(u.event.time.end_at)])
            .sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0));
          const expected = [[start, start + hour], ...periods.map((p) => [p.at, p.at + p.length])].sort(
            (a, b) => (a[0] ?? 0) - (b[0] ?? 0),
          );
          expect(got).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('class 9: an end before the start', () => {
  it('is read as ending at the start (timed) or as one day (all-day), with a warning naming it', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.integer({ min: 0, max: 700 }),
        fc.integer({ min: 1, max: 30 }),
        (allDay, startDay, back) => {
          const startMs = base + startDay * day + (allDay ? 0 : 10 * hour);
          const endMs = startMs - back * (allDay ? day : 15 * 60_000);
          const date = (ms: number) => wall(ms).slice(0, 8);
          const lines = allDay
            ? [`DTSTART;VALUE=DATE:${date(startMs)}`, `DTEND;VALUE=DATE:${date(endMs)}`]
            : [`DTSTART:${wall(startMs)}Z`, `DTEND:${wall(endMs)}Z`];
          const r = translate([[...lines, 'SUMMARY:x']]);
          const time = r.units[0]?.event.time;
          expect(Date.parse(time?.start_at ?? '')).toBe(startMs);
          expect(Date.parse(time?.end_at ?? '')).toBe(startMs + (allDay ? day : 5 * 60_000));
          expect(r.warnings.find((w) => w.code === 'contradictory-times')?.message).toContain(
            'is before DTSTART',
          );
        },
      ),
      { numRuns: 150 },
    );
  });
});
