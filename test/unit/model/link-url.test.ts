import { describe, expect, it } from 'vitest';
import { parseLink } from '../../../src/model/link.js';

// Which URLs a link's source takes: feeds as calendar apps publish them (webcal too), CalDAV only
// over http(s).

const icsLink = (url: string) => ({ id: 'feed', source: { type: 'ics', url }, target: { kind: 'primary' } });
const caldavLink = (url: string) => ({
  id: 'dav',
  source: { type: 'caldav', url, component: 'event' },
  target: { kind: 'primary' },
});

describe('link source URLs', () => {
  it.each([
    'webcal://calendar.example/holidays.ics',
    'webcals://calendar.example/holidays.ics',
    'WEBCAL://calendar.example/a.ics?token=x',
    'https://calendar.example/a.ics',
    'http://calendar.example/a.ics',
  ])('an ICS feed takes %s, kept as given', (url) => {
    expect(parseLink(icsLink(url)).source.url).toBe(url);
  });

  it.each([
    'ftp://calendar.example/a.ics',
    'file:///etc/passwd',
    'webcal:/no-host.ics',
    'webcal://',
    'javascript:alert(1)',
    'calendar.example/a.ics',
  ])('an ICS feed refuses %s, saying what is expected', (url) => {
    expect(() => parseLink(icsLink(url))).toThrow(/an http:\/\/, https:\/\/ or webcal:\/\/ URL/);
  });

  it('keeps CalDAV to http and https', () => {
    expect(parseLink(caldavLink('https://dav.example/cal/')).source.url).toBe('https://dav.example/cal/');
    expect(() => parseLink(caldavLink('webcal://dav.example/cal/'))).toThrow(
      /an http:\/\/ or https:\/\/ URL/,
    );
  });
});
