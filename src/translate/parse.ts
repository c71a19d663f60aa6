// A tolerant iCalendar reader that keeps every property raw (name, parameters, text value); the
// structure (nesting, recovery from broken structure) is the one rule of ../ics/component-reader.ts.
// node-ical is not used here: its parsed objects lose what translation needs to judge (the literal
// TZID, VALUE=DATE on a date-time, unknown zones silently mapped, RANGE on RECURRENCE-ID), and it
// throws on some malformed files. One bad line or component never aborts the file: it is reported
// in `problems` and skipped. What one item may cost is bounded (limits.maxPropertyChars,
// limits.maxTimezonesPerSource, a nesting depth): a breach is reported, never a failure.
import { ComponentReader } from '../ics/component-reader.js';
import { IcsComponent, type ParsedComponent, prop } from '../ics/component-tree.js';
import {
  type ContentLine,
  eachUnfoldedLine,
  formatContentLine,
  isProperty,
  parseContentLine,
} from '../ics/content-lines.js';
import type { CappedProperty } from './limit-warnings.js';
import { defaultLimits, type TranslateLimits } from './limits.js';

/** A property as read: name, parameters (names upper-cased, values unquoted), text value. */
export type RawProperty = ContentLine;

export { type ParsedComponent, prop, propsNamed } from '../ics/component-tree.js';

export interface ParsedCalendar {
  events: ParsedComponent[];
  todos: ParsedComponent[];
  timezones: ParsedComponent[];
  /** Lines or components that could not be read (skipped); at most `maxProblems`, then a count. */
  problems: string[];
  /** Values longer than limits.maxPropertyChars: text cut, anything else dropped. */
  capped: CappedProperty[];
  /** VTIMEZONEs past limits.maxTimezonesPerSource (ignored). */
  timezonesDropped: number;
  /** The first VCALENDAR's X-WR-TIMEZONE: the zone its floating times are meant in. */
  calendarTimeZone?: string;
}

export type ParseLimits = Pick<TranslateLimits, 'maxPropertyChars' | 'maxTimezonesPerSource'>;

/** Text properties translation reads or carries: cut to the limit rather than dropped. */
const textProperties = new Set([
  'SUMMARY',
  'DESCRIPTION',
  'LOCATION',
  'COMMENT',
  'CONTACT',
  'CATEGORIES',
  'RESOURCES',
]);
const maxProblems = 100;

export function parseComponents(ics: string, limits: ParseLimits = defaultLimits): ParsedCalendar {
  const result: ParsedCalendar = {
    events: [],
    todos: [],
    timezones: [],
    problems: [],
    capped: [],
    timezonesDropped: 0,
  };
  const problems = new ProblemList(result.problems);
  const capped = new Map<string, CappedProperty>();
  const roots: ParsedComponent[] = [];
  // The one structure rule (../ics/component-reader.ts): a component is kept once it is closed.
  const reader = new ComponentReader<IcsComponent>({
    begin: (name, line) => new IcsComponent(name, line),
    property: (node, name, line) => addWithinLimit(node, name, line, limits.maxPropertyChars, capped),
    end(node, parent) {
      node.seal();
      if (parent) parent.children.push(node);
      else roots.push(node);
    },
    problem: (p) => problems.add(`line ${p.line}: ${p.message}`),
  });
  eachUnfoldedLine(ics, (line, number) => reader.line(line, number, undefined));
  reader.finish();
  for (const root of roots) collect(root, result, limits.maxTimezonesPerSource);
  result.capped = [...capped.values()];
  problems.finish();
  return result;
}

function collect(c: ParsedComponent, into: ParsedCalendar, maxTimezones: number): void {
  if (c.name === 'VEVENT') into.events.push(c);
  else if (c.name === 'VTODO') into.todos.push(c);
  else if (c.name === 'VTIMEZONE') {
    if (into.timezones.length < maxTimezones) into.timezones.push(c);
    else into.timezonesDropped++;
  } else if (c.name === 'VCALENDAR') {
    into.calendarTimeZone ??= prop(c, 'X-WR-TIMEZONE')?.value.trim() || undefined;
    for (const child of c.children) collect(child, into, maxTimezones);
  }
}

/** The property, its text value cut to `max` characters, or undefined when a long value is dropped. */
function withinLimit(
  p: RawProperty,
  max: number,
  capped: Map<string, CappedProperty>,
): RawProperty | undefined {
  if (p.value.length <= max) return p;
  const cut = textProperties.has(p.name);
  const seen = capped.get(p.name);
  if (seen) {
    seen.count++;
    seen.longest = Math.max(seen.longest, p.value.length);
  } else {
    capped.set(p.name, { name: p.name, count: 1, longest: p.value.length, cut });
  }
  return cut ? { ...p, value: cutText(p.value, max) } : undefined;
}

/** The first `max` characters of a TEXT value, neither splitting a surrogate pair nor an escape. */
function cutText(value: string, max: number): string {
  let end = max;
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  let backslashes = 0;
  while (backslashes < end && value.charCodeAt(end - 1 - backslashes) === 0x5c) backslashes++;
  if (backslashes % 2 === 1) end--;
  // A copy, so the rest of the long value can be freed.
  return JSON.parse(JSON.stringify(value.slice(0, end))) as string;
}

/** Problems up to a cap: a hostile item of garbage lines must not cost memory per line. */
class ProblemList {
  private dropped = 0;

  constructor(private readonly list: string[]) {}

  add(problem: string): void {
    if (this.list.length < maxProblems) this.list.push(problem);
    else this.dropped++;
  }

  finish(): void {
    if (this.dropped > 0) this.list.push(`${this.dropped} more problems not listed`);
  }
}

/** A line whose property name is `name`; long values are cut or dropped here. */
function addWithinLimit(
  node: IcsComponent,
  name: string,
  line: string,
  maxChars: number,
  capped: Map<string, CappedProperty>,
): void {
  // Lookups find a line by its leading name: one spelled otherwise ("summary :x") is rewritten.
  if (line.length <= maxChars && isProperty(line, name)) {
    node.addLine(line);
    return;
  }
  const p = parseContentLine(line);
  const kept = p && withinLimit(p, maxChars, capped);
  if (kept) node.addLine(formatContentLine(kept));
}
