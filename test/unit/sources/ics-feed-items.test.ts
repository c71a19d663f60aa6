import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../../src/sources/ics-feed/cursor.js';
import { itemEtag } from '../../../src/sources/ics-feed/item-etag.js';
import { splitCalendar } from '../../../src/sources/ics-split.js';

const item = (stamp: string, summary: string, prodid = '-//a//EN') =>
  splitCalendar(
    [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      `PRODID:${prodid}`,
      'BEGIN:VEVENT',
      'UID:x',
      `DTSTAMP:${stamp}`,
      'LAST-MODIFIED:20240101T000000Z',
      'DTSTART:20240101T100000Z',
      `SUMMARY:${summary}`,
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n'),
  ).items[0]?.ics ?? '';

describe('itemEtag', () => {
  it('ignores DTSTAMP, LAST-MODIFIED and PRODID but not the content', () => {
    const base = itemEtag(item('20240101T000000Z', 'a'));
    expect(itemEtag(item('20250101T000000Z', 'a', '-//b//EN'))).toBe(base);
    expect(itemEtag(item('20240101T000000Z', 'b'))).not.toBe(base);
    expect(base).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('does not depend on line folding or line endings', () => {
    const long = item('20240101T000000Z', 'x'.repeat(200));
    expect(long).toContain('\r\n ');
    expect(itemEtag(long.replace(/\r\n /g, '').replace(/\r\n/g, '\n'))).toBe(itemEtag(long));
  });
});

describe('feed cursor', () => {
  it('round-trips', () => {
    const cursor = {
      v: 1 as const,
      etag: '"e"',
      bodyHash: 'a'.repeat(64),
      itemEtags: [
        ['u', 'h'],
        ['__proto__', 'p'],
        ['constructor', 'c'],
      ] as [string, string][],
    };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it.each([
    '',
    'not json',
    '{"v":2,"itemEtags":{}}',
    '{"v":1}',
    '{"v":1,"itemEtags":{},"bodyHash":"zz"}',
    '[]',
  ])('treats the hostile or stale cursor %j as none', (text) => {
    expect(decodeCursor(text)).toBeUndefined();
  });
});
