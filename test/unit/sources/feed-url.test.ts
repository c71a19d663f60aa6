import { describe, expect, it } from 'vitest';
import { FeedRedirectError, FeedUrlError } from '../../../src/sources/ics-feed/errors.js';
import { parseFeedUrl } from '../../../src/sources/ics-feed/fetch.js';

describe('parseFeedUrl', () => {
  it('reads webcal and webcals as https', () => {
    expect(parseFeedUrl('f', 'webcal://cal.example/a.ics?x=1').href).toBe('https://cal.example/a.ics?x=1');
    expect(parseFeedUrl('f', 'WEBCAL://cal.example/a.ics').href).toBe('https://cal.example/a.ics');
    expect(parseFeedUrl('f', 'webcals://cal.example/a.ics').href).toBe('https://cal.example/a.ics');
  });

  it('keeps http and https', () => {
    expect(parseFeedUrl('f', ' http://cal.example/a.ics ').href).toBe('http://cal.example/a.ics');
    expect(parseFeedUrl('f', 'https://cal.example/a.ics').protocol).toBe('https:');
  });

  it('resolves a relative redirect against the current URL', () => {
    expect(parseFeedUrl('f', '../b.ics', new URL('https://cal.example/x/a.ics')).href).toBe(
      'https://cal.example/b.ics',
    );
  });

  it.each(['file:///etc/passwd', 'ftp://cal.example/a.ics', 'javascript:alert(1)', 'not a url'])(
    'refuses %s',
    (url) => {
      expect(() => parseFeedUrl(url, url)).toThrow(FeedUrlError);
    },
  );

  it('refuses a redirect to another scheme as a FeedRedirectError', () => {
    expect(() => parseFeedUrl('f', 'file:///etc/passwd', new URL('https://cal.example/'))).toThrow(
      FeedRedirectError,
    );
  });

  it('keeps credentials out of the error message', () => {
    const url = 'ftp://bob:hunter2@cal.example/a.ics';
    expect(() => parseFeedUrl(url, url)).toThrow(/^(?!.*hunter2)(?!.*bob).*$/s);
  });
});
