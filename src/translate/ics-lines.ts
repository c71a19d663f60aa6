// The iCalendar component tree over content lines read byte for byte: each line keeps its original
// folded text (so untouched lines can be written back exactly), components nest as in the file.
// Unfolding, folding and parsing of the lines themselves live in ../ics/content-lines.ts.
import { ComponentReader } from '../ics/component-reader.js';
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

/**
 * Builds the component tree by the one structure rule (../ics/component-reader.ts). Write-back
 * keeps every line where it was read: lines the rule ignores stay in place (outside any component
 * at the top level), a component that never ended stays in the tree (written back with its END), so
 * patching an object never loses what the server holds.
 */
export function parseTree(text: string): (RawLine | Component)[] {
  const top: (RawLine | Component)[] = [];
  const reader = new ComponentReader<Component, RawLine>({
    begin(name, _line, parent, _depth, raw) {
      const comp: Component = { name, begin: raw, children: [] };
      (parent?.children ?? top).push(comp);
      return comp;
    },
    property: (node, _name, _text, _line, raw) => node.children.push(raw),
    end(node, _parent, _depth, raw) {
      if (raw) node.end = raw;
    },
    ignored(node, _text, raw) {
      (node?.children ?? top).push(raw);
    },
    problem: () => {},
  });
  let number = 0;
  for (const line of readLines(text)) reader.line(line.unfolded, ++number, line);
  reader.finish();
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
