// An ICS feed storage under config `limits`: a feed with too many objects fails the link with a
// typed error (its Kakao state is kept by the engine); one series' overrides past the limit are
// ranked by the storage's clock.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { SourceLimitError } from '../../../src/sources/errors.js';
import type { FeedResponse } from '../../../src/sources/ics-feed/fetch.js';
import { IcsFeedStorage } from '../../../src/sources/ics-feed/storage.js';
import { defaultLimits } from '../../../src/translate/limits.js';

const settings = loadConfig({ env: {} }).sources.ics;
const event = (uid: string, ...props: string[]) =>
  ['BEGIN:VEVENT', `UID:${uid}`, 'DTSTART:20240101T100000Z', ...props, 'END:VEVENT'].join('\r\n');
const feed = (...events: string[]) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', ...events, 'END:VCALENDAR'].join('\r\n');

function storage(text: string, limits = defaultLimits, now = new Date('2024-01-08T00:00:00Z')) {
  const response: FeedResponse = {
    notModified: false,
    text,
    bodySha256: 'h',
    validators: {},
    contentType: 'text/calendar',
    encoding: 'utf-8',
    warnings: [],
    finalUrl: 'https://example.org/a.ics',
  };
  return new IcsFeedStorage({
    url: 'https://example.org/a.ics',
    settings,
    allowHosts: [],
    limits,
    now: () => now,
    fetch: () => Promise.resolve(response),
  });
}

describe('IcsFeedStorage under limits', () => {
  it('fails the listing of a feed with more objects than limits.maxItemsPerSource', async () => {
    const text = feed(event('a'), event('b'), event('c'));
    const listing = storage(text, { ...defaultLimits, maxItemsPerSource: 2 }).list();
    await expect(listing).rejects.toBeInstanceOf(SourceLimitError);
    await expect(listing).rejects.toThrow(/3 calendar objects; limits\.maxItemsPerSource is 2/);
    await expect(storage(text).list()).resolves.toMatchObject({
      items: [{ href: 'a' }, { href: 'b' }, { href: 'c' }],
    });
  });

  it('keeps the overrides of a series nearest its clock', async () => {
    const overrides = [2, 4, 6, 8, 10].map((d) => event('s', `RECURRENCE-ID:2024010${d % 10}T100000Z`));
    const s = storage(feed(event('s', 'RRULE:FREQ=DAILY'), ...overrides), {
      ...defaultLimits,
      maxOverridesPerSeries: 2,
    });
    await s.list();
    const [fetched] = await s.getMany(['s']);
    expect(fetched?.item.ignoredOverrides).toBe(3);
    expect(fetched?.item.ics.match(/RECURRENCE-ID:\d+/g)).toEqual([
      'RECURRENCE-ID:20240106',
      'RECURRENCE-ID:20240108',
    ]);
  });

  it('names the broken components it skipped among the listing warnings (the link shows them)', async () => {
    const nested = Array.from({ length: 50 }, () => 'BEGIN:VEVENT').join('\r\n');
    const listed = await storage(feed(event('ok'), nested)).list();
    expect(listed.items.map((i) => i.href)).toEqual(['ok']);
    expect(listed.warnings).toEqual([
      expect.stringMatching(
        /^feed has broken components, skipped: line \d+: VEVENT .* before its END .*\(and 49 more\)$/,
      ),
    ]);
    expect((await storage(feed(event('ok'))).list()).warnings).toBeUndefined();
  });
});
