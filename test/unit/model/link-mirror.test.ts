import { describe, expect, it } from 'vitest';
import { parseLink } from '../../../src/model/link.js';

// The mirror option (holidays, subscribed calendars written into the link's collection) needs a
// collection the daemon may write events into: a two-way CalDAV event link.

const dav = (over: Record<string, unknown>) => ({
  id: 'dav',
  source: { type: 'caldav', url: 'https://dav.example.org/cal/', component: 'event' },
  target: { kind: 'primary' },
  ...over,
});

describe('link mirror option', () => {
  it('is taken on a two-way CalDAV event link, with defaults for what is not named', () => {
    const link = parseLink(dav({ direction: 'two-way', mirror: { holidays: true } }));
    expect(link.mirror).toEqual({ holidays: true, subscribed: false });
    expect(parseLink(dav({ direction: 'two-way' })).mirror).toBeUndefined();
  });

  it.each([
    ['a one-way CalDAV link', dav({ mirror: { subscribed: true } })],
    [
      'an ICS feed link',
      {
        id: 'f',
        source: { type: 'ics', url: 'https://x.example/a.ics' },
        target: { kind: 'primary' },
        mirror: { holidays: true },
      },
    ],
  ])('is refused on %s, saying where it belongs', (_name, input) => {
    expect(() => parseLink(input)).toThrow(/written only into the collection of a two-way CalDAV event link/);
  });
});
