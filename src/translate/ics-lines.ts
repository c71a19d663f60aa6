// iCalendar content lines (RFC 5545 §3.1) at the byte level: unfolding that remembers each line's
// original folded text (so untouched lines can be written back byte for byte), parsing a line into
// name/parameters/value, folding at 75 octets without splitting a UTF-8 sequence, and the component
// tree. Pure; no interpretation of values beyond TEXT escaping.

export interface ContentLine {
  /** Upper-cased property name (SUMMARY, X-FOO). */
  name: string;
  /** Parameters by upper-cased name, values unquoted. Order is kept for rewriting. */
  params: Record<string, string>;
  value: string;
}

/** One logical line as read: its original folded text and line ending, and its unfolded content. */
export interface RawLine {
  raw: string;
  eol: string;
  unfolded: string;
}

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

/** Splits text into logical lines, keeping each one's folded form and line ending. */
export function readLines(text: string): RawLine[] {
  const out: RawLine[] = [];
  const re = /([^\r\n]*)(\r\n|\n|\r|$)/g;
  let current: RawLine | undefined;
  for (let m = re.exec(text); m !== null && m[0] !== ''; m = re.exec(text)) {
    const body = m[1] ?? '';
    const eol = m[2] ?? '';
    if (current && (body.startsWith(' ') || body.startsWith('\t'))) {
      current.raw += current.eol + body;
      current.eol = eol;
      current.unfolded += body.slice(1);
      continue;
    }
    if (body === '') continue;
    // A byte-order mark stays in the raw text (written back as read) but not in the content.
    current = { raw: body, eol, unfolded: out.length === 0 ? body.replace(/^\uFEFF/, '') : body };
    out.push(current);
  }
  return out;
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

/** Parses "NAME;P=V;Q=\"a:b\":value". Returns null for a line without a colon. */
export function parseContentLine(unfolded: string): ContentLine | null {
  let i = 0;
  while (i < unfolded.length && unfolded[i] !== ';' && unfolded[i] !== ':') i++;
  if (i >= unfolded.length) return null;
  const name = unfolded.slice(0, i).toUpperCase();
  const params: Record<string, string> = {};
  while (unfolded[i] === ';') {
    i++;
    const eq = unfolded.indexOf('=', i);
    if (eq < 0) return null;
    const pname = unfolded.slice(i, eq).toUpperCase();
    i = eq + 1;
    let pvalue = '';
    // A parameter value is a comma list of (possibly quoted) values.
    for (;;) {
      if (unfolded[i] === '"') {
        const close = unfolded.indexOf('"', i + 1);
        if (close < 0) return null;
        pvalue += unfolded.slice(i + 1, close);
        i = close + 1;
      } else {
        const start = i;
        while (i < unfolded.length && !';:,'.includes(unfolded[i]!)) i++;
        pvalue += unfolded.slice(start, i);
      }
      if (unfolded[i] !== ',') break;
      pvalue += ',';
      i++;
    }
    params[pname] = pvalue;
  }
  if (unfolded[i] !== ':') return null;
  return { name, params, value: unfolded.slice(i + 1) };
}

function formatParamValue(value: string): string {
  return /[;:,]/.test(value) ? `"${value.replaceAll('"', '')}"` : value;
}

/** The unfolded text of a content line. */
export function formatContentLine(line: ContentLine): string {
  let out = line.name;
  for (const [key, value] of Object.entries(line.params)) out += `;${key}=${formatParamValue(value)}`;
  return `${out}:${line.value}`;
}

/** Folds one unfolded line into chunks of at most 75 octets, never inside a UTF-8 sequence. */
export function foldLine(unfolded: string, eol = '\r\n'): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const char of unfolded) {
    const size = Buffer.byteLength(char, 'utf8');
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
      limit = 74; // continuation lines start with one space
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join(`${eol} `);
}

/** A RawLine for a new content line, folded. */
export function rawLineOf(line: ContentLine, eol = '\r\n'): RawLine {
  const unfolded = formatContentLine(line);
  return { raw: foldLine(unfolded, eol), eol, unfolded };
}

/** Decodes a TEXT value (RFC 5545 §3.3.11). */
export function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_m, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

/** Encodes a TEXT value. */
export function escapeText(value: string): string {
  return value.replace(/\r\n|\r/g, '\n').replace(/[\\;,\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
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
