// Source benchmarks: prints time and memory figures (no assertions) for a 10,000-event ICS feed and
// a 2,000-item CalDAV collection (bench/caldav.ts), each first read and unchanged re-read.
// Run: npx tsx bench/sources.ts
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { IcsFeedStorage } from '../src/sources/ics-feed/storage.js';
import { benchCaldav } from './caldav.js';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Times `fn` and reports heap and peak RSS around it. */
async function measure<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const rssPeakBefore = process.resourceUsage().maxRSS * 1024;
  let heapPeak = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  }, 5);
  const start = performance.now();
  const result = await fn();
  const ms = performance.now() - start;
  clearInterval(sampler);
  const mem = process.memoryUsage();
  heapPeak = Math.max(heapPeak, mem.heapUsed);
  const rssPeak = process.resourceUsage().maxRSS * 1024;
  console.log(
    `${label.padEnd(44)} ${ms.toFixed(1).padStart(8)} ms  heap ${mb(mem.heapUsed).padStart(9)} (sampled peak ${mb(heapPeak)})  ` +
      `rss ${mb(mem.rss)} (process peak ${mb(rssPeak)}, +${mb(Math.max(0, rssPeak - rssPeakBefore))})`,
  );
  return result;
}

// ---------------------------------------------------------------------------------------------
// ICS feed
// ---------------------------------------------------------------------------------------------

function generateFeed(events: number): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//talkcal-sync//bench//EN',
    'X-WR-TIMEZONE:Asia/Seoul',
    'BEGIN:VTIMEZONE',
    'TZID:Asia/Seoul',
    'BEGIN:STANDARD',
    'DTSTART:19700101T000000',
    'TZOFFSETFROM:+0900',
    'TZOFFSETTO:+0900',
    'TZNAME:KST',
    'END:STANDARD',
    'END:VTIMEZONE',
  ];
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
  for (let i = 0; i < events; i++) {
    const day = String((i % 28) + 1).padStart(2, '0');
    const month = String((Math.floor(i / 28) % 12) + 1).padStart(2, '0');
    lines.push(
      'BEGIN:VEVENT',
      `UID:bench-${i}@talkcal.test`,
      `DTSTAMP:${stamp}`,
      `DTSTART;TZID=Asia/Seoul:2026${month}${day}T${String(8 + (i % 10)).padStart(2, '0')}0000`,
      `DTEND;TZID=Asia/Seoul:2026${month}${day}T${String(9 + (i % 10)).padStart(2, '0')}0000`,
      `SUMMARY:Benchmark event ${i} — 회의 ${'x'.repeat(i % 40)}`,
      `DESCRIPTION:Line one of event ${i}\\nLine two with some more text to make the item realistic`,
      'LOCATION:Seoul',
    );
    if (i % 10 === 0) lines.push('RRULE:FREQ=WEEKLY;COUNT=10');
    lines.push(
      'BEGIN:VALARM',
      'ACTION:DISPLAY',
      'DESCRIPTION:Reminder',
      'TRIGGER:-PT15M',
      'END:VALARM',
      'END:VEVENT',
    );
    if (i % 100 === 0) {
      lines.push(
        'BEGIN:VEVENT',
        `UID:bench-${i}@talkcal.test`,
        `DTSTAMP:${stamp}`,
        `RECURRENCE-ID;TZID=Asia/Seoul:2026${month}${day}T${String(8 + (i % 10)).padStart(2, '0')}0000`,
        `DTSTART;TZID=Asia/Seoul:2026${month}${day}T200000`,
        `SUMMARY:Moved instance of ${i}`,
        'END:VEVENT',
      );
    }
  }
  lines.push('END:VCALENDAR');
  return `${lines.join('\r\n')}\r\n`;
}

async function benchFeed(): Promise<void> {
  const events = 10_000;
  const body = Buffer.from(generateFeed(events));
  let honourValidators = true;
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    if (honourValidators && req.headers['if-none-match'] === '"bench-v1"') {
      res.writeHead(304, { etag: '"bench-v1"' });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/calendar; charset=utf-8', etag: '"bench-v1"' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const settings = {
    timeoutMs: 30_000,
    maxBytes: 64 * 1024 * 1024,
    maxRedirects: 5,
    userAgent: 'talkcal-bench',
  };
  const allowHosts = ['127.0.0.1'];
  console.log(`\nICS feed: ${events} events, ${mb(body.length)} body, served on 127.0.0.1`);
  try {
    const feed = new IcsFeedStorage({ url: `http://127.0.0.1:${port}/bench.ics`, settings, allowHosts });
    const first = await measure('first fetch + split + hash (list)', () => feed.list());
    console.log(`  -> ${first.items.length} items, cursor ${mb(first.cursor.length)}`);
    await measure('getMany(all hrefs) from the snapshot', () => feed.getMany(first.items.map((i) => i.href)));
    const notModified = await measure('unchanged re-read: 304 path', () => feed.list(first.cursor));
    console.log(`  -> unchanged=${notModified.unchanged}`);
    honourValidators = false;
    const sameHash = await measure('unchanged re-read: server ignores validators', () =>
      feed.list(first.cursor),
    );
    console.log(`  -> unchanged=${sameHash.unchanged}`);
    const cold = new IcsFeedStorage({ url: `http://127.0.0.1:${port}/bench.ics`, settings, allowHosts });
    await measure('second storage, no cursor (full fetch again)', () => cold.list());
    console.log(`  -> ${requests} HTTP requests in total`);
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

await benchFeed();
await benchCaldav(2000);
