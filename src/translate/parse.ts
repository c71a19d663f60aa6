// A tolerant iCalendar reader that keeps every property raw (name, parameters, text value).
// node-ical is not used here: its parsed objects lose what translation needs to judge (the literal
// TZID, VALUE=DATE on a date-time, unknown zones silently mapped, RANGE on RECURRENCE-ID), and it
// throws on some malformed files. One bad line or component never aborts the file: it is reported
// in `problems` and skipped.
import { type ContentLine, parseContentLine, unfoldLines } from '../ics/content-lines.js';

/** A property as read: name, parameters (names upper-cased, values unquoted), text value. */
export type RawProperty = ContentLine;

export interface ParsedComponent {
  name: string;
  props: RawProperty[];
  children: ParsedComponent[];
}

export interface ParsedCalendar {
  events: ParsedComponent[];
  todos: ParsedComponent[];
  timezones: ParsedComponent[];
  /** Lines or components that could not be read (skipped). */
  problems: string[];
}

export function parseComponents(ics: string): ParsedCalendar {
  const result: ParsedCalendar = { events: [], todos: [], timezones: [], problems: [] };
  const stack: ParsedComponent[] = [];
  const roots: ParsedComponent[] = [];
  for (const { text: line } of unfoldLines(ics)) {
    const prop = parseContentLine(line);
    if (!prop) {
      result.problems.push(`unreadable line: ${line.slice(0, 60)}`);
      continue;
    }
    if (prop.name === 'BEGIN') {
      stack.push({ name: prop.value.trim().toUpperCase(), props: [], children: [] });
    } else if (prop.name === 'END') {
      const name = prop.value.trim().toUpperCase();
      // Close up to the matching BEGIN; a missing END inside is tolerated.
      const at = stack.map((c) => c.name).lastIndexOf(name);
      if (at < 0) {
        result.problems.push(`END:${name} without BEGIN`);
        continue;
      }
      while (stack.length > at) {
        const done = stack.pop() as ParsedComponent;
        if (done.name !== name) result.problems.push(`${done.name} not closed`);
        const parent = stack[stack.length - 1];
        if (parent) parent.children.push(done);
        else roots.push(done);
      }
    } else {
      const top = stack[stack.length - 1];
      if (top) top.props.push(prop);
    }
  }
  for (const open of stack) result.problems.push(`${open.name} not closed`);
  const collect = (c: ParsedComponent): void => {
    if (c.name === 'VEVENT') result.events.push(c);
    else if (c.name === 'VTODO') result.todos.push(c);
    else if (c.name === 'VTIMEZONE') result.timezones.push(c);
    else if (c.name === 'VCALENDAR') for (const child of c.children) collect(child);
  };
  for (const root of roots) collect(root);
  return result;
}

export function prop(c: ParsedComponent, name: string): RawProperty | undefined {
  return c.props.find((p) => p.name === name);
}

export function propsNamed(c: ParsedComponent, name: string): RawProperty[] {
  return c.props.filter((p) => p.name === name);
}
