import { ComponentReader } from '../../ics/component-reader.js';
import { propertyValue, unescapeText, unfoldLines } from '../../ics/content-lines.js';
import type { KakaoColor } from '../../kakao/types.js';
import { cssColorToKakaoColor, hexToKakaoColor } from '../../translate/colour.js';

// A feed's calendar-level name and colour, for the sub-calendar a link creates: X-WR-CALNAME (or
// RFC 7986 NAME) and X-APPLE-CALENDAR-COLOR (a hex code, taken first as the more precise) or RFC
// 7986 COLOR (a CSS3 colour name), mapped to the nearest Kakao colour. Only lines of the VCALENDAR
// itself count, never those of its components. Pure; a value that is not a colour is ignored.

export interface CalendarLooks {
  name?: string;
  color?: KakaoColor;
}

const maxNameLength = 200;

export function calendarLooksOf(text: string): CalendarLooks {
  const props = new Map<string, string>();
  let calendars = 0;
  // The one structure rule: properties of the first VCALENDAR itself, not of its components.
  const reader = new ComponentReader<number>({
    begin: (_name, _line, _parent, depth) => (depth === 0 ? ++calendars : 0),
    property(calendar, name, line) {
      if (calendar === 1 && !props.has(name)) props.set(name, propertyValue(line).trim());
    },
    end: () => {},
    problem: () => {},
  });
  for (const { line, text: content } of unfoldLines(text)) reader.line(content, line, undefined);
  reader.finish();
  const out: CalendarLooks = {};
  const name = unescapeText(props.get('X-WR-CALNAME') ?? props.get('NAME') ?? '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, maxNameLength);
  if (name) out.name = name;
  const color = appleColour(props.get('X-APPLE-CALENDAR-COLOR')) ?? cssColour(props.get('COLOR'));
  if (color) out.color = color;
  return out;
}

function appleColour(value: string | undefined): KakaoColor | undefined {
  if (!value) return undefined;
  try {
    return hexToKakaoColor(value).color;
  } catch {
    return cssColour(value);
  }
}

function cssColour(value: string | undefined): KakaoColor | undefined {
  return value ? cssColorToKakaoColor(value)?.color : undefined;
}
