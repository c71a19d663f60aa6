import { describe, expect, it } from 'vitest';
import { parseContentLine } from '../../../src/ics/content-lines.js';
import { parseComponents } from '../../../src/translate/parse.js';

describe('parseComponents', () => {
  it('unfolds lines and keeps raw properties with parameters', () => {
    const ics = [
      'BEGIN:VCALENDAR',
      'BEGIN:VEVENT',
      'UID:1',
      'SUMMARY:long',
      '  title',
      'DTSTART;TZID="(UTC+09:00) Seoul":20240101T090000',
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n');
    const parsed = parseComponents(ics);
    expect(parsed.events).toHaveLength(1);
    const props = parsed.events[0]?.props ?? [];
    expect(props.find((p) => p.name === 'SUMMARY')?.value).toBe('long title');
    expect(props.find((p) => p.name === 'DTSTART')).toEqual({
      name: 'DTSTART',
      params: { TZID: '(UTC+09:00) Seoul' },
      value: '20240101T090000',
    });
  });

  it('skips unreadable lines and unclosed components without losing the rest', () => {
    const ics = [
      '\uFEFFBEGIN:VCALENDAR',
      'BEGIN:VEVENT',
      'UID:1',
      'garbage line without colon',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:2',
      'BEGIN:VALARM',
      'TRIGGER:-PT5M',
      'END:VEVENT',
      'BEGIN:VTODO',
      'UID:3',
      'END:VTODO',
      'END:VCALENDAR',
    ].join('\n');
    const parsed = parseComponents(ics);
    expect(parsed.events.map((e) => e.props.find((p) => p.name === 'UID')?.value)).toEqual(['1', '2']);
    expect(parsed.todos).toHaveLength(1);
    expect(parsed.problems.length).toBeGreaterThanOrEqual(2);
  });

  it('reads a value Outlook quoted together with its TZID', () => {
    expect(parseContentLine('DTSTART;TZID="W. Europe Standard Time:20200609T090000"')).toEqual({
      name: 'DTSTART',
      params: { TZID: 'W. Europe Standard Time' },
      value: '20200609T090000',
    });
  });

  it('reads a colon inside a quoted parameter', () => {
    expect(parseContentLine('X;P="a:b;c":v')).toEqual({ name: 'X', params: { P: 'a:b;c' }, value: 'v' });
  });
});
