import type { Rng } from './rng.js';

// The harness's own model of a feed: which events it holds, and the ICS text serving them. Every
// event is a one-hour event on Kakao's 5-minute grid within the sync horizon, with a title unique
// to its version, so the Talk Calendar side can be checked event by event (title + start).

export interface FeedEvent {
  uid: string;
  /** The feed's tag and the event's number in it (the UID is built from both). */
  tag: string;
  n: number;
  title: string;
  /** UTC start, epoch ms (on the 5-minute grid). */
  start: number;
  minutes: number;
}

const hour = 3_600_000;
const day = 86_400_000;
/** Days the events spread over, from tomorrow (well inside the default 365-day horizon). */
const spreadDays = 280;

/** Tomorrow 09:00 UTC. */
export function firstDay(now = Date.now()): number {
  return Math.floor(now / day) * day + day + 9 * hour;
}

function titleOf(tag: string, n: number, rev: number): string {
  return `주간 회의 ${tag}-${n} r${rev}`;
}

/** `count` events of feed `tag`: one a day from tomorrow 09:00 UTC, a later hour once the days run out. */
export function initialEvents(tag: string, count: number, day0 = firstDay()): FeedEvent[] {
  return Array.from({ length: count }, (_, i) => eventNumber(tag, i, 0, day0));
}

function eventNumber(tag: string, i: number, rev: number, day0: number): FeedEvent {
  return {
    uid: `${tag}-${i}@chaos.talkcal`,
    tag,
    n: i,
    title: titleOf(tag, i, rev),
    start: day0 + (i % spreadDays) * day + Math.floor(i / spreadDays) * hour,
    minutes: 60,
  };
}

/** An update-heavy change: `share` of the events get a new title, half of those also move by 1–3 h. */
export function editEvents(
  events: readonly FeedEvent[],
  share: number,
  rng: Rng,
  rev: number,
): { events: FeedEvent[]; edited: number } {
  const chosen = new Set(rng.sample(events, Math.round(events.length * share)).map((e) => e.uid));
  const out = events.map((e) => {
    if (!chosen.has(e.uid)) return e;
    const shift = rng.next() < 0.5 ? 0 : rng.int(1, 3) * hour;
    return { ...e, title: titleOf(e.tag, e.n, rev), start: e.start + shift };
  });
  return { events: out, edited: chosen.size };
}

/** A delete-heavy change: `share` of the events go, `addShare` new ones arrive. */
export function deleteEvents(
  events: readonly FeedEvent[],
  share: number,
  addShare: number,
  rng: Rng,
  rev: number,
): { events: FeedEvent[]; deleted: number; added: number } {
  const gone = new Set(rng.sample(events, Math.round(events.length * share)).map((e) => e.uid));
  const kept = events.filter((e) => !gone.has(e.uid));
  const tag = events[0]?.tag ?? 'feed';
  const next = Math.max(-1, ...events.map((e) => e.n)) + 1;
  const day0 = firstDay();
  const added = Array.from({ length: Math.round(events.length * addShare) }, (_, k) =>
    eventNumber(tag, next + k, rev, day0),
  );
  return { events: [...kept, ...added], deleted: gone.size, added: added.length };
}

/** A UTC date-time as iCalendar writes it: 20250301T090000Z. */
export const icsStamp = (ms: number): string =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

export function veventLines(e: FeedEvent): string[] {
  return [
    'BEGIN:VEVENT',
    `UID:${e.uid}`,
    'DTSTAMP:20260101T000000Z',
    `DTSTART:${icsStamp(e.start)}`,
    `DTEND:${icsStamp(e.start + e.minutes * 60_000)}`,
    `SUMMARY:${e.title}`,
    'END:VEVENT',
  ];
}

/** The calendar's opening lines (everything before the first component). */
export const calendarHead = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//talkcal chaos//EN'];

/** The feed as ICS text; `extra` lines (more components) go before END:VCALENDAR. */
export function renderIcs(events: readonly FeedEvent[], extra: readonly string[] = []): string {
  return [...calendarHead, ...events.flatMap(veventLines), ...extra, 'END:VCALENDAR', ''].join('\r\n');
}

/** The events as the head of a calendar that a hostile body continues (no END:VCALENDAR). */
export function openCalendar(events: readonly FeedEvent[]): string {
  return [...calendarHead, ...events.flatMap(veventLines), ''].join('\r\n');
}
