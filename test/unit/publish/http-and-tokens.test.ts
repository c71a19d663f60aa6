import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acceptsGzip, etagOf, notModified } from '../../../src/publish/conditional.js';
import { InvalidFeedInputError } from '../../../src/publish/errors.js';
import { feedUrls, parseFeedInput, publicFeed } from '../../../src/publish/feed.js';
import { hashFeedToken, looksLikeFeedToken, newFeedToken } from '../../../src/publish/feed-token.js';

describe('feed tokens', () => {
  it('are 256-bit base64url strings, distinct, and hashed with SHA-256', () => {
    const tokens = Array.from({ length: 200 }, newFeedToken);
    expect(new Set(tokens).size).toBe(200);
    for (const t of tokens) {
      expect(looksLikeFeedToken(t)).toBe(true);
      expect(Buffer.from(t, 'base64url')).toHaveLength(32);
    }
    expect(hashFeedToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('rejects anything that is not a token shape without looking it up', () => {
    for (const bad of [
      '',
      'short',
      `${'A'.repeat(43)}=`,
      `${'A'.repeat(42)}/`,
      'A'.repeat(44),
      '../../etc',
    ]) {
      expect(looksLikeFeedToken(bad)).toBe(false);
    }
  });
});

describe('feed definitions and links', () => {
  it('defaults to all calendars and needs calendarId exactly for one calendar', () => {
    expect(parseFeedInput(undefined)).toEqual({ kind: 'all' });
    expect(parseFeedInput({ kind: 'calendar', calendarId: 'primary' })).toEqual({
      kind: 'calendar',
      calendarId: 'primary',
    });
    expect(() => parseFeedInput({ kind: 'calendar' })).toThrow(InvalidFeedInputError);
    expect(() => parseFeedInput({ kind: 'all', calendarId: 'x' })).toThrow(/calendarId/);
    expect(() => parseFeedInput({ kind: 'all', token: 'x' })).toThrow(InvalidFeedInputError);
    expect(() => parseFeedInput({ otherAppEvents: 'show' })).toThrow(InvalidFeedInputError);
  });

  it('builds https and webcal links under the public base URL', () => {
    expect(feedUrls('https://cal.example.org/base/', 'TOKEN')).toEqual({
      url: 'https://cal.example.org/base/feeds/TOKEN.ics',
      webcal: 'webcal://cal.example.org/base/feeds/TOKEN.ics',
    });
    expect(feedUrls('http://localhost:8080', 'T').webcal).toBe('webcal://localhost:8080/feeds/T.ics');
  });

  it('never shows the token hash', () => {
    const shown = publicFeed({ id: 'f', userId: 'u', kind: 'all', tokenHash: 'secret', createdAt: 'now' });
    expect(shown).toEqual({ id: 'f', userId: 'u', kind: 'all', createdAt: 'now' });
  });
});

describe('conditional requests', () => {
  const lastModified = new Date('2026-01-02T03:04:05.678Z');

  it('reads Accept-Encoding with q-values', () => {
    expect(acceptsGzip(undefined)).toBe(false);
    expect(acceptsGzip('gzip')).toBe(true);
    expect(acceptsGzip('deflate, gzip;q=0.5')).toBe(true);
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip('*;q=0')).toBe(false);
    expect(acceptsGzip('identity')).toBe(false);
    expect(acceptsGzip('br, GZIP;q=1.0')).toBe(true);
  });

  it('gives each representation its own strong ETag and matches either on If-None-Match', () => {
    expect(etagOf('h', false)).toBe('"h"');
    expect(etagOf('h', true)).toBe('"h-gz"');
    expect(notModified({ ifNoneMatch: '"h"' }, 'h', lastModified)).toBe(true);
    expect(notModified({ ifNoneMatch: '"x", W/"h-gz"' }, 'h', lastModified)).toBe(true);
    expect(notModified({ ifNoneMatch: '*' }, 'h', lastModified)).toBe(true);
    expect(notModified({ ifNoneMatch: '"h2"' }, 'h', lastModified)).toBe(false);
  });

  it('lets If-None-Match win over If-Modified-Since, compared to the second', () => {
    const later = 'Fri, 02 Jan 2026 03:04:05 GMT';
    expect(notModified({ ifModifiedSince: later }, 'h', lastModified)).toBe(true);
    expect(notModified({ ifModifiedSince: 'Fri, 02 Jan 2026 03:04:04 GMT' }, 'h', lastModified)).toBe(false);
    expect(notModified({ ifModifiedSince: 'garbage' }, 'h', lastModified)).toBe(false);
    expect(notModified({ ifNoneMatch: '"other"', ifModifiedSince: later }, 'h', lastModified)).toBe(false);
  });

  it('never answers 304 to a request without validators (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.date({ noInvalidDate: true }), (hash, at) => {
        expect(notModified({}, hash, at)).toBe(false);
      }),
    );
  });
});
