// A light check of a calendar object resource's body before it becomes a SourceItem: it must be
// one VCALENDAR whose VEVENTs or VTODOs all share one UID (RFC 4791 §4.1). The text itself is
// never rewritten.
import { ComponentReader } from '../../ics/component-reader.js';
import { propertyValue, unfoldLines } from '../../ics/content-lines.js';

export type ObjectInspection =
  | { ok: true; kind: 'event' | 'todo'; uid: string }
  | { ok: true; kind: 'other' }
  | { ok: false; problem: string };

interface Seen {
  name: string;
  depth: number;
}

/** The first thing that makes the body more than one well-formed VCALENDAR, read by the one structure rule. */
function structureProblem(
  ics: string,
  onBegin: (c: Seen) => void,
  onProperty: (c: Seen, name: string, line: string) => void,
): string | undefined {
  let problem: string | undefined;
  let calendars = 0;
  let closedCalendars = 0;
  const note = (what: string) => {
    problem ??= what;
  };
  const reader = new ComponentReader<Seen>({
    begin(name, _line, _parent, depth) {
      if (depth === 0 && ++calendars > 1) note('holds more than one VCALENDAR');
      const seen = { name, depth };
      onBegin(seen);
      return seen;
    },
    property: (node, name, line) => onProperty(node, name, line),
    end(node) {
      if (node.depth === 0) closedCalendars++;
    },
    ignored(_node, text) {
      if (!text.trim()) return;
      note(
        calendars === 0
          ? 'does not start with BEGIN:VCALENDAR'
          : closedCalendars > 0
            ? 'content after END:VCALENDAR'
            : `not a content line: ${text.slice(0, 40)}`,
      );
    },
    problem(p) {
      note(p.code === 'bare-components' ? 'does not start with BEGIN:VCALENDAR' : p.message);
    },
  });
  for (const { line, text } of unfoldLines(ics)) reader.line(text, line, undefined);
  if (reader.finish()) note('unclosed VCALENDAR');
  if (calendars === 0) note('does not start with BEGIN:VCALENDAR');
  return problem;
}

export function inspectCalendarObject(ics: string): ObjectInspection {
  const kinds = new Set<string>();
  const uids = new Set<string>();
  const problem = structureProblem(
    ics,
    (c) => {
      if (c.depth === 1) kinds.add(c.name);
    },
    (c, name, line) => {
      if (c.depth === 1 && name === 'UID' && (c.name === 'VEVENT' || c.name === 'VTODO'))
        uids.add(propertyValue(line).trimEnd());
    },
  );
  if (problem) return { ok: false, problem };
  const hasEvent = kinds.has('VEVENT');
  const hasTodo = kinds.has('VTODO');
  if (!hasEvent && !hasTodo) return { ok: true, kind: 'other' };
  if (hasEvent && hasTodo) return { ok: false, problem: 'holds both VEVENT and VTODO' };
  if (uids.size !== 1)
    return { ok: false, problem: uids.size === 0 ? 'has no UID' : 'holds more than one UID' };
  return { ok: true, kind: hasEvent ? 'event' : 'todo', uid: [...uids][0]! };
}
