// Feed bytes → calendar text, the one decoding the sync (fetch.ts) and `talkcal inspect` (a file)
// share: BOM, declared charset, UTF-8 or a guessed legacy charset (charset.ts), and a declaration
// that hides the calendar dropped.
import { type CharsetWarning, charsetOf, type DecodedBody, decodeBody } from './charset.js';
import { NotACalendarError } from './errors.js';

// A VCALENDAR, or bare components without one (read as one calendar, with a notice, by the splitter).
const calendarStart = /BEGIN:(VCALENDAR|VEVENT|VTODO)\b/i;
const isCalendar = (text: string) => calendarStart.test(text);

/**
 * Decodes the body as declared; a wrong declaration that hides the calendar is dropped.
 * Throws NotACalendarError when no reading shows a calendar.
 */
export function decodeCalendar(
  feed: string,
  bytes: Uint8Array,
  contentType: string | undefined,
): DecodedBody {
  const decoded = decodeBody(bytes, contentType);
  if (isCalendar(decoded.text)) return decoded;
  // E.g. utf-16 declared on UTF-8 bytes: sniff without the declaration.
  const sniffed = decodeBody(bytes);
  if (!isCalendar(sniffed.text)) throw new NotACalendarError(feed, contentType);
  const declared = charsetOf(contentType) ?? 'none';
  const message = `declared charset ${declared} ignored: the body reads as ${sniffed.encoding}`;
  const ignored: CharsetWarning = {
    code: 'declared-charset-ignored',
    declared,
    encoding: sniffed.encoding,
    message,
  };
  return { ...sniffed, warnings: [ignored, ...sniffed.warnings] };
}
