// CalDAV storage benchmark on a real Radicale: a 2,000-item collection, first full read (listing +
// multiget of everything), an unchanged re-read, and a delta after 20 edits. Prints time, memory
// and bytes received. The first listing includes Radicale building its item cache (cold).
// Run: npx tsx bench/caldav.ts [items]; bench/sources.ts runs it too (the CalDAV half of the
// sources benchmark), so `npm run bench` without names runs it there only.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { CaldavStorage } from '../src/sources/caldav/storage.js';
import { defaultFetch, type FetchLike } from '../src/sources/caldav/transport.js';
import { makeCalendar, startRadicale } from '../test/integration/helpers/caldav-servers.js';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

let received = 0;
let requests = 0;
const countingFetch: FetchLike = async (input, init) => {
  const response = await defaultFetch(input, init);
  requests++;
  const body = await response.arrayBuffer();
  received += body.byteLength;
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
};

async function measure<T>(label: string, fn: () => Promise<T>): Promise<T> {
  received = 0;
  requests = 0;
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let heapPeak = heapBefore;
  const sampler = setInterval(() => {
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  }, 5);
  const start = performance.now();
  const result = await fn();
  const ms = performance.now() - start;
  clearInterval(sampler);
  heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  console.log(
    `${label.padEnd(36)} ${ms.toFixed(0).padStart(7)} ms  ${String(requests).padStart(3)} requests  ` +
      `${`${(received / 1024).toFixed(1)} KB`.padStart(10)} received  heap +${mb(Math.max(0, heapPeak - heapBefore))} (peak)  ` +
      `rss ${mb(process.memoryUsage().rss)}`,
  );
  return result;
}

function eventComponent(i: number, summary: string): string {
  const day = String((i % 28) + 1).padStart(2, '0');
  return [
    'BEGIN:VEVENT',
    `UID:bench-${i}@talkcal`,
    'DTSTAMP:20260101T000000Z',
    `DTSTART:202603${day}T090000Z`,
    `DTEND:202603${day}T100000Z`,
    `SUMMARY:${summary}`,
    'DESCRIPTION:A benchmark event with a description of moderate length, as real calendars have.',
    'LOCATION:Seoul',
    'END:VEVENT',
    '',
  ].join('\r\n');
}

/** Fills a Radicale collection with `itemCount` events and prints read figures. */
export async function benchCaldav(itemCount = 2000): Promise<void> {
  console.log(`\nCalDAV: ${itemCount}-item collection on a real Radicale (127.0.0.1)`);
  const server = await startRadicale();
  try {
    const url = await makeCalendar(server, { displayName: 'bench' });
    const options = {
      url,
      kind: 'event' as const,
      auth: server.auth,
      timeoutMs: 120_000,
      allowHosts: ['127.0.0.1'],
    };
    const writer = new CaldavStorage(options);
    // Radicale takes a whole VCALENDAR PUT on the collection and splits it by UID: far faster than
    // 2,000 single PUTs (each of which Radicale checks against the whole collection).
    const fillStart = performance.now();
    const components = Array.from({ length: itemCount }, (_, i) => eventComponent(i, `Event ${i}`)).join('');
    const filled = await fetch(url, {
      method: 'PUT',
      headers: {
        'Content-Type': 'text/calendar; charset=utf-8',
        Authorization: `Basic ${Buffer.from(`${server.user}:unused`).toString('base64')}`,
      },
      body: `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//talkcal-sync//bench//EN\r\n${components}END:VCALENDAR\r\n`,
    });
    await filled.body?.cancel();
    if (filled.status !== 201) throw new Error(`filling the collection failed: HTTP ${filled.status}`);
    console.log(
      `filled ${itemCount} items in ${(performance.now() - fillStart).toFixed(0)} ms (one collection PUT)`,
    );

    const reader = new CaldavStorage({ ...options, fetch: countingFetch });
    const first = await measure('first read: list (hrefs + etags)', () => reader.list());
    await measure('first read: multiget of every item', () => reader.getMany(first.items.map((i) => i.href)));
    // Radicale builds its item cache on the first listing; a second full read shows the warm cost.
    await measure('full listing again (warm server)', () => reader.list());
    const again = await measure('unchanged re-read (sync-collection)', () => reader.list(first.cursor));
    if (!again.unchanged) throw new Error('expected an unchanged collection');

    const byHref = new Map(first.items.map((i) => [i.href, i.etag]));
    const edited = first.items.slice(0, 20);
    const fetched = await writer.getMany(edited.map((i) => i.href));
    for (const f of fetched) {
      await writer.update(
        f.href,
        { ...f.item, ics: f.item.ics.replace(/SUMMARY:.*/, 'SUMMARY:Edited') },
        byHref.get(f.href)!,
      );
    }
    const delta = await measure('delta after 20 edits (sync-collection)', () => reader.list(again.cursor));
    await measure('delta: multiget of the 20 changed', () => reader.getMany(delta.items.map((i) => i.href)));
    console.log(`delta listed ${delta.items.length} changed, ${delta.deleted.length} deleted`);
  } finally {
    await server.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchCaldav(Number(process.argv[2] ?? 2000));
}
