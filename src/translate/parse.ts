// A tolerant iCalendar reader that keeps every property raw (name, parameters, text value).
// node-ical is not used here: its parsed objects lose what translation needs to judge (the literal
// TZID, VALUE=DATE on a date-time, unknown zones silently mapped, RANGE on RECURRENCE-ID), and it
// throws on some malformed files. One bad line or component never aborts the file: it is reported
// in `problems` and skipped.

export interface RawProperty {
  name: string;
  /** Parameter names upper-cased; values with surrounding quotes removed. */
  params: Record<string, string>;
  value: string;
}

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

/** RFC 5545 §3.1: a line starting with a space or tab continues the previous one. */
function unfold(ics: string): string[] {
  const text = ics.replace(/^\uFEFF/, '');
  const lines: string[] = [];
  for (const line of text.split(/\r?\n|\r/)) {
    if ((line.startsWith(' ') || line.startsWith('\t')) && lines.length > 0) {
      lines[lines.length - 1] += line.slice(1);
    } else if (line.trim() !== '') {
      lines.push(line);
    }
  }
  return lines;
}

/** Splits `NAME;P=V;Q="x;y":value` respecting quoted parameter values. */
export function parseContentLine(line: string): RawProperty | undefined {
  let i = 0;
  let inQuotes = false;
  const parts: string[] = [];
  let current = '';
  for (; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"') inQuotes = !inQuotes;
    if (!inQuotes && (ch === ';' || ch === ':')) {
      parts.push(current);
      current = '';
      if (ch === ':') break;
      continue;
    }
    current += ch;
  }
  if (i >= line.length) {
    // Outlook sometimes quotes the value along with the parameter: TZID="Zone Name:20200609T090000".
    const lastColon = line.lastIndexOf(':');
    const quotes = line.split('"').length - 1;
    if (quotes % 2 === 0 && line.endsWith('"') && lastColon > 0) {
      return parseContentLine(`${line.slice(0, lastColon)}":${line.slice(lastColon + 1, -1)}`);
    }
    return undefined;
  }
  const value = line.slice(i + 1);
  const [rawName, ...paramParts] = parts;
  const name = rawName?.trim().toUpperCase();
  if (!name || !/^[A-Z0-9-]+$/.test(name)) return undefined;
  const params: Record<string, string> = {};
  for (const p of paramParts) {
    const eq = p.indexOf('=');
    if (eq <= 0) continue;
    const key = p.slice(0, eq).trim().toUpperCase();
    let val = p.slice(eq + 1).trim();
    if (val.length >= 2 && val.startsWith('"') && val.endsWith('"')) val = val.slice(1, -1);
    params[key] = val;
  }
  return { name, params, value };
}

export function parseComponents(ics: string): ParsedCalendar {
  const result: ParsedCalendar = { events: [], todos: [], timezones: [], problems: [] };
  const stack: ParsedComponent[] = [];
  const roots: ParsedComponent[] = [];
  for (const line of unfold(ics)) {
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

/** RFC 5545 §3.3.11 TEXT unescaping. */
export function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_m, ch: string) => (ch === 'n' || ch === 'N' ? '\n' : ch));
}
