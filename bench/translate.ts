// Translation throughput: a generated 10,000-event feed (recurrence, alarms, several zones, a
// custom VTIMEZONE) split into items, parsed and translated. Prints events/second, the share of
// time spent parsing vs translating, and the process's peak RSS (the target is 250 MB).
// Run: npx tsx bench/translate.ts [events]
import { performance } from 'node:perf_hooks';
import { splitCalendar } from '../src/sources/ics-split.js';
import { translateEvent } from '../src/translate/event.js';
import { defaultLimits } from '../src/translate/limits.js';
import { parseComponents } from '../src/translate/parse.js';

const count = Number(process.argv[2] ?? 10_000);
const zones = [
  'Asia/Seoul',
  'Europe/Berlin',
  'America/New_York',
  'Australia/Lord_Howe',
  'W. Europe Standard Time',
  'Office Zone',
];
const rules = [
  '',
  'RRULE:FREQ=WEEKLY;BYDAY=MO,WE',
  'RRULE:FREQ=DAILY;COUNT=10',
  'RRULE:FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20261231T000000Z',
  'RRULE:FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-1', // expanded
];
const customZone = [
  'BEGIN:VTIMEZONE',
  'TZID:Office Zone',
  'BEGIN:STANDARD',
  'DTSTART:16010101T030000',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10',
  'END:STANDARD',
  'BEGIN:DAYLIGHT',
  'DTSTART:16010101T020000',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3',
  'END:DAYLIGHT',
  'END:VTIMEZONE',
];

function vevent(i: number): string[] {
  const zone = zones[i % zones.length] as string;
  const day = 1 + (i % 28);
  const hour = 8 + (i % 10);
  const start = `202601${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}${i % 2 ? '07' : '00'}00`;
  const allDay = i % 11 === 0;
  return [
    'BEGIN:VEVENT',
    `UID:bench-${i}`,
    allDay ? `DTSTART;VALUE=DATE:${start.slice(0, 8)}` : `DTSTART;TZID=${zone}:${start}`,
    allDay ? 'DURATION:P2D' : 'DURATION:PT45M',
    `SUMMARY:${i % 3 ? `Meeting ${i}` : `주간 회의 ${i} — 프로젝트 진행 상황 공유 및 다음 분기 계획 수립을 위한 회의`}`,
    `DESCRIPTION:Agenda for event ${i}\\nSecond line`,
    `LOCATION:Room ${i % 40}\\, Building ${i % 7}`,
    ...(rules[i % rules.length] ? [rules[i % rules.length] as string] : []),
    ...(i % 4 === 0
      ? ['EXDATE;TZID=' + zone + ':' + start.slice(0, 6) + String(day + 2).padStart(2, '0') + start.slice(8)]
      : []),
    'BEGIN:VALARM',
    'ACTION:DISPLAY',
    `TRIGGER:-PT${(i % 6) * 10 + 5}M`,
    'END:VALARM',
    ...(i % 5 === 0 ? ['BEGIN:VALARM', 'ACTION:DISPLAY', 'TRIGGER:-P1D', 'END:VALARM'] : []),
    'END:VEVENT',
  ];
}

// The feed text as a response body would give it: bytes decoded once. Built through a Buffer so
// that the generator's own strings do not weigh on the figures.
const feed = Buffer.concat([
  Buffer.from(
    ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//talkcal-sync//bench//EN', ...customZone, ''].join('\r\n'),
  ),
  ...Array.from({ length: count }, (_, i) => Buffer.from(`${vevent(i).join('\r\n')}\r\n`)),
  Buffer.from('END:VCALENDAR\r\n'),
]).toString('utf8');

const splitStart = performance.now();
const { items } = splitCalendar(feed, defaultLimits);
const splitMs = performance.now() - splitStart;
const ctx = {
  userTimeZone: 'Asia/Seoul',
  horizon: { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-04-01T00:00:00Z') },
  suppressDefaultReminders: false,
  now: new Date('2026-01-01T00:00:00Z'),
  limits: defaultLimits,
};

// Warm-up (JIT, zone caches) on a separate slice.
for (const it of items.slice(0, 200)) translateEvent(it, ctx);

const parseStart = performance.now();
for (const it of items) parseComponents(it.ics);
const parseMs = performance.now() - parseStart;

const totalStart = performance.now();
let units = 0;
let warnings = 0;
for (const it of items) {
  const r = translateEvent(it, ctx);
  units += r.units.length;
  warnings += r.warnings.length;
}
const totalMs = performance.now() - totalStart;
const translateMs = Math.max(0, totalMs - parseMs);

console.log(
  `events:            ${count} (feed ${(feed.length / 1e6).toFixed(1)} MB, split in ${splitMs.toFixed(0)} ms)`,
);
console.log(`units produced:    ${units} (warnings: ${warnings})`);
console.log(
  `total:             ${totalMs.toFixed(0)} ms → ${((count / totalMs) * 1000).toFixed(0)} events/s`,
);
console.log(`parsing:           ${parseMs.toFixed(0)} ms (${((parseMs / totalMs) * 100).toFixed(1)} %)`);
console.log(
  `translating:       ${translateMs.toFixed(0)} ms (${((translateMs / totalMs) * 100).toFixed(1)} %)`,
);
console.log(`peak RSS:          ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
