import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../../src/sources/caldav/cursor.js';
import { normalizeHref, objectHrefFor, sameResource } from '../../../src/sources/caldav/hrefs.js';

const collection = 'https://dav.example.com/cal/alice/work/';

describe('object hrefs', () => {
  it('puts the SHA-256 of the UID under the collection', () => {
    expect(objectHrefFor(collection, 'a@b')).toMatch(/^\/cal\/alice\/work\/[0-9a-f]{64}\.ics$/);
    expect(objectHrefFor('https://dav.example.com/cal/alice/work', 'a@b')).toBe(
      objectHrefFor(collection, 'a@b'),
    );
  });

  it('is deterministic and distinct per UID (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(objectHrefFor(collection, a)).toBe(objectHrefFor(collection, a));
        if (a !== b) expect(objectHrefFor(collection, a)).not.toBe(objectHrefFor(collection, b));
      }),
    );
  });

  it('normalizes relative and absolute hrefs to one absolute path', () => {
    expect(normalizeHref(collection, 'x.ics')).toBe('/cal/alice/work/x.ics');
    expect(normalizeHref(collection, 'https://dav.example.com/cal/alice/work/x.ics')).toBe(
      '/cal/alice/work/x.ics',
    );
    expect(sameResource(collection, '/cal/alice/work', 'https://dav.example.com/cal/alice/work/')).toBe(true);
    expect(sameResource(collection, '/cal/alice/w%6Frk/', collection)).toBe(true);
    expect(sameResource(collection, '/cal/alice/work/a.ics', collection)).toBe(false);
    expect(normalizeHref(collection, 'https%3A//dav.example.com%3A443/cal/alice/work/x.ics')).toBe(
      '/cal/alice/work/x.ics',
    );
  });
});

describe('cursor', () => {
  it('round-trips a sync-token or a ctag', () => {
    expect(decodeCursor(encodeCursor({ syncToken: 'http://radicale.org/ns/sync/1', ctag: 'c' }))).toEqual({
      syncToken: 'http://radicale.org/ns/sync/1',
    });
    expect(decodeCursor(encodeCursor({ ctag: '"42"' }))).toEqual({ ctag: '"42"' });
    expect(decodeCursor(encodeCursor({}))).toEqual({});
  });

  it.each([undefined, '', 'not json', '[]', 'null', '{"v":2,"syncToken":"x"}', '{"v":1,"syncToken":5}'])(
    'reads %s as no cursor',
    (cursor) => {
      expect(decodeCursor(cursor)).toEqual({});
    },
  );
});
