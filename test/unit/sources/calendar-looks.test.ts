import { describe, expect, it } from 'vitest';
import { calendarLooksOf } from '../../../src/sources/ics-feed/calendar-looks.js';

const feed = (head: string[], body: string[] = []) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//t//EN', ...head, ...body, 'END:VCALENDAR', ''].join(
    '\r\n',
  );

const event = [
  'BEGIN:VEVENT',
  'UID:1',
  'DTSTART:20260101T000000Z',
  'COLOR:red',
  'X-WR-CALNAME:Inner',
  'END:VEVENT',
];

describe('a feed’s calendar-level name and colour', () => {
  it('reads X-WR-CALNAME and X-APPLE-CALENDAR-COLOR (8-digit hex), mapped to a Kakao colour', () => {
    expect(calendarLooksOf(feed(['X-WR-CALNAME:Work\\, team', 'X-APPLE-CALENDAR-COLOR:#D42726FF']))).toEqual({
      name: 'Work, team',
      color: 'RED',
    });
  });

  it('reads RFC 7986 COLOR (CSS name) and NAME; Apple’s hex wins over COLOR', () => {
    expect(calendarLooksOf(feed(['NAME:Club', 'COLOR:forestgreen']))).toEqual({
      name: 'Club',
      color: 'GREEN',
    });
    expect(calendarLooksOf(feed(['COLOR:red', 'X-APPLE-CALENDAR-COLOR:#2C88DE']))).toEqual({ color: 'BLUE' });
  });

  it('ignores properties of components, also when they come after', () => {
    expect(calendarLooksOf(feed([], event))).toEqual({});
    expect(calendarLooksOf(feed([], [...event, 'X-WR-CALNAME:Late']))).toEqual({ name: 'Late' });
  });

  it('unfolds lines and ignores values that are not colours', () => {
    const text = feed(['X-WR-CALNAME:A long', '  name', 'COLOR:not-a-colour-at-all']).replace(
      'long\r\n  name',
      'long\r\n  name',
    );
    expect(calendarLooksOf(text)).toEqual({ name: 'A long name' });
    expect(calendarLooksOf('garbage')).toEqual({});
  });
});
