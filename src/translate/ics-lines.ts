// The iCalendar component tree over content lines read byte for byte: each line keeps its original
// folded text (so untouched lines can be written back exactly), components nest as in the file.
// Unfolding, folding and parsing of the lines themselves live in ../ics/content-lines.ts.
import { type ContentLine, parseContentLine, type RawLine, readLines } from '../ics/content-lines.js';

// Kept for the publish/ modules that import these from here.
export { escapeText, foldLine, formatContentLine } from '../ics/content-lines.js';

export interface Component {
  /** VCALENDAR, VEVENT, VALARM… */
  name: string;
  /** The BEGIN line as read. */
  begin: RawLine;
  end?: RawLine;
  /** Properties and sub-components in document order. */
  children: (RawLine | Component)[];
}

export function isComponent(child: RawLine | Component): child is Component {
  return 'children' in child;
}

/** Builds the component tree; stray lines outside any component are kept at the top level. */
export function parseTree(text: string): (RawLine | Component)[] {
  const top: (RawLine | Component)[] = [];
  const stack: Component[] = [];
  for (const line of readLines(text)) {
    const upper = line.unfolded.toUpperCase();
    if (upper.startsWith('BEGIN:')) {
      const comp: Component = { name: upper.slice(6).trim(), begin: line, children: [] };
      (stack.at(-1)?.children ?? top).push(comp);
      stack.push(comp);
    } else if (upper.startsWith('END:') && stack.length > 0) {
      const comp = stack.pop()!;
      comp.end = line;
    } else {
      (stack.at(-1)?.children ?? top).push(line);
    }
  }
  return top;
}

/** Writes a tree back: untouched lines exactly as read. */
export function serializeTree(nodes: (RawLine | Component)[], defaultEol = '\r\n'): string {
  let out = '';
  const emit = (line: RawLine): void => {
    out += line.raw + (line.eol || defaultEol);
  };
  const walk = (list: (RawLine | Component)[]): void => {
    for (const node of list) {
      if (isComponent(node)) {
        emit(node.begin);
        walk(node.children);
        emit(node.end ?? { raw: `END:${node.name}`, eol: defaultEol, unfolded: `END:${node.name}` });
      } else {
        emit(node);
      }
    }
  };
  walk(nodes);
  return out;
}

/** Parsed properties of one component (not its sub-components). */
export function propertiesOf(comp: Component): ContentLine[] {
  const out: ContentLine[] = [];
  for (const child of comp.children) {
    if (isComponent(child)) continue;
    const parsed = parseContentLine(child.unfolded);
    if (parsed) out.push(parsed);
  }
  return out;
}

export function firstProperty(comp: Component, name: string): ContentLine | undefined {
  return propertiesOf(comp).find((p) => p.name === name);
}

export function subComponents(comp: Component, name: string): Component[] {
  return comp.children.filter((c): c is Component => isComponent(c) && c.name === name);
}

/** All components of a given name anywhere under `nodes`. */
export function findComponents(nodes: (RawLine | Component)[], name: string): Component[] {
  const out: Component[] = [];
  const walk = (list: (RawLine | Component)[]): void => {
    for (const node of list) {
      if (!isComponent(node)) continue;
      if (node.name === name) out.push(node);
      walk(node.children);
    }
  };
  walk(nodes);
  return out;
}
