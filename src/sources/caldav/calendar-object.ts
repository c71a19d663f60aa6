// A light check of a calendar object resource's body before it becomes a SourceItem: it must be
// one VCALENDAR whose VEVENTs or VTODOs all share one UID (RFC 4791 §4.1). The text itself is
// never rewritten.
import { propertyName, propertyValue, unfoldLines } from '../../ics/content-lines.js';

export type ObjectInspection =
  | { ok: true; kind: 'event' | 'todo'; uid: string }
  | { ok: true; kind: 'other' }
  | { ok: false; problem: string };

/** The value of a content line if it is the property `name`. */
function valueIf(line: string, name: string): string | undefined {
  return propertyName(line) === name ? propertyValue(line) : undefined;
}

export function inspectCalendarObject(ics: string): ObjectInspection {
  const lines = unfoldLines(ics).map((l) => l.text);
  if (lines[0]?.trim().toUpperCase() !== 'BEGIN:VCALENDAR')
    return { ok: false, problem: 'does not start with BEGIN:VCALENDAR' };
  if (lines.at(-1)?.trim().toUpperCase() !== 'END:VCALENDAR')
    return { ok: false, problem: 'does not end with END:VCALENDAR' };
  const stack: string[] = [];
  const kinds = new Set<string>();
  const uids = new Set<string>();
  for (const [index, raw] of lines.entries()) {
    const line = raw.trimEnd();
    const begin = valueIf(line, 'BEGIN');
    const end = valueIf(line, 'END');
    if (begin !== undefined) {
      stack.push(begin.toUpperCase());
      if (stack.length === 2) kinds.add(begin.toUpperCase());
    } else if (end !== undefined) {
      if (stack.pop() !== end.toUpperCase()) return { ok: false, problem: `unbalanced END:${end}` };
      if (stack.length === 0 && index !== lines.length - 1)
        return { ok: false, problem: 'content after END:VCALENDAR' };
    } else if (stack.length === 2 && (stack[1] === 'VEVENT' || stack[1] === 'VTODO')) {
      const uid = valueIf(line, 'UID');
      if (uid !== undefined) uids.add(uid);
    }
  }
  if (stack.length > 0) return { ok: false, problem: `unclosed ${stack.at(-1)}` };
  const hasEvent = kinds.has('VEVENT');
  const hasTodo = kinds.has('VTODO');
  if (!hasEvent && !hasTodo) return { ok: true, kind: 'other' };
  if (hasEvent && hasTodo) return { ok: false, problem: 'holds both VEVENT and VTODO' };
  if (uids.size !== 1)
    return { ok: false, problem: uids.size === 0 ? 'has no UID' : 'holds more than one UID' };
  return { ok: true, kind: hasEvent ? 'event' : 'todo', uid: [...uids][0]! };
}
