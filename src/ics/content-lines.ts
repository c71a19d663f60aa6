// iCalendar content lines (RFC 5545 §3.1), the one place that unfolds, folds and parses them:
// sources/ (feed splitting, item versions, CalDAV checks) and translate/ (reading, patching,
// writing) both build on this module. Pure; no interpretation of values beyond TEXT escaping.

/** A parsed content line. */
export interface ContentLine {
  /** Upper-cased property name (SUMMARY, X-FOO). */
  name: string;
  /** Parameters by upper-cased name, values unquoted. Order is kept for rewriting. Frozen when empty. */
  params: Record<string, string>;
  value: string;
}

/** One unfolded content line with the 1-based physical line where it starts. */
export interface NumberedLine {
  line: number;
  text: string;
}

/** One logical line as read: its original folded text and line ending, and its unfolded content. */
export interface RawLine {
  raw: string;
  eol: string;
  unfolded: string;
}

/** Unfolds lines (CRLF, LF or CR; space or tab continuations), dropping a BOM and empty lines. */
export function unfoldLines(text: string): NumberedLine[] {
  const out: NumberedLine[] = [];
  eachUnfoldedLine(text, (line, number) => {
    out.push({ line: number, text: line });
  });
  return out;
}

/**
 * The lines of `unfoldLines`, one at a time, without holding them all: a 15 MB feed is 700,000
 * lines, and an array of them costs several times the text.
 */
export function eachUnfoldedLine(text: string, visit: (line: string, number: number) => void): void {
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let pending: string | undefined;
  let pendingLine = 0;
  let physical = 0;
  let nextLf = -1;
  let nextCr = -1;
  while (pos <= text.length) {
    physical++;
    if (nextLf < pos) nextLf = indexOrEnd(text, '\n', pos);
    if (nextCr < pos) nextCr = indexOrEnd(text, '\r', pos);
    const end = Math.min(nextLf, nextCr);
    const raw = text.slice(pos, end);
    const first = raw.charCodeAt(0);
    // A continuation joins the previous non-empty line even across blank lines (seen in the wild).
    if ((first === 0x20 || first === 0x09) && pending !== undefined) {
      pending += raw.slice(1);
    } else if (nonBlank.test(raw)) {
      if (pending !== undefined) visit(pending, pendingLine);
      pending = raw;
      pendingLine = physical;
    }
    pos = end + (text.charCodeAt(end) === 0x0d && text.charCodeAt(end + 1) === 0x0a ? 2 : 1);
  }
  if (pending !== undefined) visit(pending, pendingLine);
}

const nonBlank = /\S/;

function indexOrEnd(text: string, char: string, from: number): number {
  const at = text.indexOf(char, from);
  return at < 0 ? text.length : at;
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

/** Folds one unfolded line into chunks of at most 75 octets, never inside a UTF-8 sequence. */
export function foldLine(unfolded: string, eol = '\r\n'): string {
  const byteLength = Buffer.byteLength(unfolded);
  if (byteLength <= 75) return unfolded;
  if (byteLength === unfolded.length) {
    // ASCII only: one byte per character.
    const ascii = [unfolded.slice(0, 75)];
    for (let i = 75; i < unfolded.length; i += 74) ascii.push(unfolded.slice(i, i + 74));
    return ascii.join(`${eol} `);
  }
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const char of unfolded) {
    const cp = char.codePointAt(0) ?? 0;
    const size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
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

/**
 * The property name of a content line (upper-cased), or undefined if the line is not one: the name
 * `parseContentLine` reads (one rule for every reader).
 */
export function propertyName(text: string): string | undefined {
  return contentLineName(text);
}

/**
 * Whether the content line starting at `at` in `text` is a `name` property (`name` upper-case),
 * without allocating.
 */
export function isProperty(text: string, name: string, at = 0): boolean {
  const n = name.length;
  const next = text.charCodeAt(at + n);
  if (next !== 0x3a && next !== 0x3b) return false;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(at + i);
    // ASCII letters compare case-insensitively; digits and '-' as they are.
    if (c !== name.charCodeAt(i) && (c < 0x61 || c > 0x7a || c - 0x20 !== name.charCodeAt(i))) return false;
  }
  return true;
}

/** The value part of a content line, as `parseContentLine` reads it ('' when it reads none). */
export function propertyValue(text: string): string {
  return parseContentLine(text)?.value ?? '';
}

/** The value of one parameter (e.g. TZID) of a content line, unquoted, as `parseContentLine` reads it. */
export function propertyParam(text: string, param: string): string | undefined {
  return parseContentLine(text)?.params[param];
}

/**
 * Parses `NAME;P=V;Q="a:b":value` into name, parameters and value, tolerant of what real feeds
 * do: a parameter without `=` is skipped, blanks around names are trimmed, and Outlook's value
 * quoted together with a parameter (TZID="Zone Name:20200609T090000") is read as meant.
 * Undefined for a line without a colon or with an invalid name.
 */
// Shared by every line without parameters (most of a feed), so frozen: copy it to change it.
const noParams: Record<string, string> = Object.freeze({}) as Record<string, string>;

export function parseContentLine(line: string): ContentLine | undefined {
  // Most lines are NAME:value: read those without the general scan.
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 0x3a) {
      const name = propertyNameOf(line.slice(0, i));
      return name ? { name, params: noParams, value: line.slice(i + 1) } : undefined;
    }
    if (c === 0x3b || c === 0x22) break;
  }
  return parseWithParams(line);
}

/**
 * The name `parseContentLine` would read from a line, without reading the rest; undefined when it
 * would read none. (A line whose value it still cannot read parses to undefined later.)
 */
export function contentLineName(line: string): string | undefined {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 0x3a) return propertyNameOf(line.slice(0, i));
    if (c === 0x3b)
      return line.includes(':') ? propertyNameOf(line.slice(0, i)) : parseContentLine(line)?.name;
    if (c === 0x22) return parseContentLine(line)?.name;
  }
  return parseContentLine(line)?.name;
}

function parseWithParams(line: string): ContentLine | undefined {
  let i = 0;
  let inQuotes = false;
  const parts: string[] = [];
  let start = 0;
  for (; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 0x22) inQuotes = !inQuotes;
    else if (!inQuotes && (c === 0x3b || c === 0x3a)) {
      parts.push(line.slice(start, i));
      start = i + 1;
      if (c === 0x3a) break;
    }
  }
  if (i >= line.length) {
    const lastColon = line.lastIndexOf(':');
    const quotes = line.split('"').length - 1;
    if (quotes % 2 === 0 && line.endsWith('"') && lastColon > 0) {
      return parseContentLine(`${line.slice(0, lastColon)}":${line.slice(lastColon + 1, -1)}`);
    }
    return undefined;
  }
  const value = line.slice(i + 1);
  const [rawName, ...paramParts] = parts;
  const name = rawName === undefined ? undefined : propertyNameOf(rawName);
  if (!name) return undefined;
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

// Names repeat on every line of a feed: one string per distinct name rather than one per line.
const knownNames = new Map<string, string>();
const maxKnownNames = 512;

/** The upper-cased, validated property name of a raw name, or undefined. */
function propertyNameOf(raw: string): string | undefined {
  const known = knownNames.get(raw);
  if (known !== undefined) return known;
  const name = raw.trim().toUpperCase();
  if (!name || !/^[A-Z0-9-]+$/.test(name)) return undefined;
  if (knownNames.size < maxKnownNames && raw.length <= 64) {
    // A copy, not a slice: a slice would keep the whole line it came from alive.
    const own = JSON.parse(JSON.stringify(name)) as string;
    knownNames.set(JSON.parse(JSON.stringify(raw)) as string, own);
    return own;
  }
  return name;
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

/**
 * A TZID as compared between a VTIMEZONE's TZID property and a TZID parameter: the property is
 * TEXT (`Foo\, Bar`), the parameter is quoted (`"Foo, Bar"`), and writers leave blanks around
 * either (`My Zone `). Both sides are unescaped and trimmed before they are compared.
 */
export function tzidKey(value: string): string {
  return unescapeText(value).trim();
}
