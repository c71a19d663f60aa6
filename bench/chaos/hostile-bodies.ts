import { gzipSync } from 'node:zlib';
import type { FeedHandler } from './feed-host.js';
import { type FeedEvent, firstDay, icsStamp, openCalendar, renderIcs } from './feed-model.js';
import type { Rng } from './rng.js';

// Hostile feed bodies. Each one that is still a calendar keeps the user's good events in it, so a
// daemon that takes it as a calendar has no reason to delete anything of the user. UIDs and names
// are neutral: a report must name the problem, not echo a UID that happens to spell it.

const mb = 1024 * 1024;
const calendarType = { 'content-type': 'text/calendar; charset=utf-8' };

/** An event repeating every second, a billion times, from tomorrow. */
export function secondlyRule(good: readonly FeedEvent[]): string {
  const start = firstDay();
  return renderIcs(good, [
    'BEGIN:VEVENT',
    'UID:x1@chaos.talkcal',
    'DTSTAMP:20260101T000000Z',
    `DTSTART:${icsStamp(start)}`,
    `DTEND:${icsStamp(start + 1000)}`,
    'RRULE:FREQ=SECONDLY;COUNT=1000000000',
    'SUMMARY:매초 반복',
    'END:VEVENT',
  ]);
}

/** A daily series with `count` RECURRENCE-ID overrides, each moving its occurrence by an hour. */
export function manyOverrides(good: readonly FeedEvent[], count: number): string {
  const start = firstDay();
  const uid = 'UID:s@x';
  const lines = [
    'BEGIN:VEVENT',
    uid,
    'DTSTAMP:20260101T000000Z',
    `DTSTART:${icsStamp(start)}`,
    `DTEND:${icsStamp(start + 3_600_000)}`,
    `RRULE:FREQ=DAILY;COUNT=${count}`,
    'SUMMARY:재정의 시리즈',
    'END:VEVENT',
  ];
  // As short as an override gets (the body must stay under sources.ics.maxBytes).
  for (let i = 0; i < count; i++) {
    const at = start + i * 86_400_000;
    lines.push(
      'BEGIN:VEVENT',
      uid,
      `RECURRENCE-ID:${icsStamp(at)}`,
      `DTSTART:${icsStamp(at + 3_600_000)}`,
      'END:VEVENT',
    );
  }
  return renderIcs(good, lines);
}

/** The Korean feed with one byte that is not UTF-8 (0xFF) in one extra event's title. */
export function invalidUtf8(good: readonly FeedEvent[]): Buffer {
  const start = firstDay() + 2 * 3_600_000;
  const [head, tail] = renderIcs(good, [
    'BEGIN:VEVENT',
    'UID:x2@chaos.talkcal',
    'DTSTAMP:20260101T000000Z',
    `DTSTART:${icsStamp(start)}`,
    `DTEND:${icsStamp(start + 3_600_000)}`,
    'SUMMARY:깨진 바이트 @@ 회의',
    'END:VEVENT',
  ]).split('@@');
  return Buffer.concat([Buffer.from(head!, 'utf8'), Buffer.from([0xff]), Buffer.from(tail!, 'utf8')]);
}

/** One extra event whose DESCRIPTION is 1 MiB (UTF-8) of Korean text on one unfolded line. */
export function hugeDescription(good: readonly FeedEvent[]): string {
  const start = firstDay() + 3 * 3_600_000;
  const word = '긴 설명 ';
  const text = word.repeat(Math.floor(mb / Buffer.byteLength(word)));
  return renderIcs(good, [
    'BEGIN:VEVENT',
    'UID:x3@chaos.talkcal',
    'DTSTAMP:20260101T000000Z',
    `DTSTART:${icsStamp(start)}`,
    `DTEND:${icsStamp(start + 3_600_000)}`,
    'SUMMARY:설명이 긴 일정',
    `DESCRIPTION:${text}`,
    'END:VEVENT',
  ]);
}

/** 10,000 BEGIN:VEVENT nested in one another (and as many ENDs). */
export function deepNesting(good: readonly FeedEvent[], depth: number): string {
  const begins = Array.from({ length: depth }, (_, i) => ['BEGIN:VEVENT', `UID:n${i}@chaos.talkcal`]).flat();
  return renderIcs(good, [...begins, ...Array.from({ length: depth }, () => 'END:VEVENT')]);
}

/** `bytes` of seeded random bytes, served as text/calendar. */
export function binaryGarbage(rng: Rng, bytes: number): Buffer {
  const out = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i += 4) out.writeUInt32LE(Math.floor(rng.next() * 4_294_967_296), i);
  return out;
}

function filler(from: number): string {
  const lines: string[] = [];
  for (let i = from; lines.length < 2000; i++) {
    lines.push(`BEGIN:VEVENT\r\nUID:f${i}@chaos.talkcal\r\nSUMMARY:채우기 ${i}\r\nEND:VEVENT`);
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** The good calendar, then filler events up to `total` bytes, chunked (no Content-Length). */
export function streamedBody(good: readonly FeedEvent[], total: number): FeedHandler {
  return (_req, res) => {
    res.writeHead(200, calendarType);
    let sent = 0;
    let n = 0;
    const pump = () => {
      while (sent < total) {
        const chunk = sent === 0 ? openCalendar(good) : filler(n);
        n += 2000;
        sent += Buffer.byteLength(chunk);
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
      res.end('END:VCALENDAR\r\n');
    };
    res.once('close', () => res.off('drain', pump));
    pump();
  };
}

/** The good calendar, then one event every 50 ms, for ever (until the reader hangs up). */
export function endlessBody(good: readonly FeedEvent[]): FeedHandler {
  return (_req, res) => {
    res.writeHead(200, calendarType);
    res.write(openCalendar(good));
    let n = 0;
    const timer = setInterval(() => {
      n++;
      res.write(`BEGIN:VEVENT\r\nUID:e${n}@chaos.talkcal\r\nSUMMARY:끝없음 ${n}\r\nEND:VEVENT\r\n`);
    }, 50);
    res.once('close', () => clearInterval(timer));
  };
}

/**
 * Content-Encoding: gzip that expands to `expandGb` GiB: the good calendar's head, then one
 * compressed member of 64 MiB of spaces repeated (gzip members concatenate), ~1,000:1 on the wire.
 */
export function gzipBomb(good: readonly FeedEvent[], expandGb: number): FeedHandler {
  const head = gzipSync(`${openCalendar(good)}X-PADDING:`);
  const member = gzipSync(Buffer.alloc(64 * mb, 0x20), { level: 9 });
  const members = Math.ceil((expandGb * 1024) / 64);
  return (_req, res) => {
    res.writeHead(200, { ...calendarType, 'content-encoding': 'gzip' });
    res.write(head);
    let sent = 0;
    const pump = () => {
      while (sent < members) {
        sent++;
        if (!res.write(member)) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    res.once('close', () => res.off('drain', pump));
    pump();
  };
}
