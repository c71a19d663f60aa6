// Splits one iCalendar file (a feed, an export) into one calendar object per UID, the shape a
// CalDAV collection stores: a recurring master and its RECURRENCE-ID overrides travel together,
// with the VTIMEZONEs they reference. Pure and forgiving: a broken component is reported and
// skipped, it never aborts the file.
import { createHash } from 'node:crypto';
import type { SourceItem } from './storage.js';

export interface SplitProblem {
  /** 1-based physical line number in the input (after a BOM). */
  line: number;
  message: string;
}

export interface SplitResult {
  items: SourceItem[];
  problems: SplitProblem[];
  /** The last VCALENDAR was never closed: the text was most likely cut off in transfer. */
  truncated: boolean;
}

/** One unfolded content line with the physical line where it starts. */
export interface ContentLine {
  line: number;
  text: string;
}

interface Component {
  type: string;
  startLine: number;
  lines: ContentLine[];
  children: Component[];
}

// Components that may only appear directly inside VCALENDAR: meeting one of them deeper means the
// enclosing component was never closed.
const topLevelTypes = new Set(['VEVENT', 'VTODO', 'VJOURNAL', 'VFREEBUSY', 'VTIMEZONE', 'VAVAILABILITY']);
const keptCalendarProps = ['VERSION', 'PRODID', 'CALSCALE', 'X-WR-TIMEZONE'] as const;
/** Properties that change without the item changing (vdirsyncer's list, minus what we key on). */
export const volatileProps = new Set([
  'DTSTAMP',
  'LAST-MODIFIED',
  'CREATED',
  'PRODID',
  'METHOD',
  'X-WR-CALNAME',
]);
// VCALENDAR > VEVENT > VALARM is as deep as real data goes; the cap keeps recursion bounded.
const maxDepth = 6;
const propertyNamePattern = /^[A-Za-z0-9-]+$/;
const defaultProdId = '-//talkcal-sync//ics-split//EN';

/** Unfolds lines (CRLF, LF or CR; space or tab continuations), dropping a BOM and empty lines. */
export function unfoldLines(text: string): ContentLine[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const physical = body.split(/\r\n|\n|\r/);
  const out: ContentLine[] = [];
  for (let i = 0; i < physical.length; i++) {
    const raw = physical[i] ?? '';
    const first = raw.charCodeAt(0);
    const last = out[out.length - 1];
    // A continuation joins the previous non-empty line even across blank lines (seen in the wild).
    if ((first === 0x20 || first === 0x09) && last) {
      last.text += raw.slice(1);
    } else if (raw.trim() !== '') {
      out.push({ line: i + 1, text: raw });
    }
  }
  return out;
}

/** The property name of a content line (upper-cased), or undefined if the line is not one. */
export function propertyName(text: string): string | undefined {
  const end = text.search(/[;:]/);
  if (end <= 0) return undefined;
  const name = text.slice(0, end);
  return propertyNamePattern.test(name) ? name.toUpperCase() : undefined;
}

/** The value part of a content line: after the first colon outside a quoted parameter value. */
export function propertyValue(text: string): string {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === ':' && !quoted) return text.slice(i + 1);
  }
  return '';
}

/** The value of one parameter (e.g. TZID) of a content line, unquoted. */
export function propertyParam(text: string, param: string): string | undefined {
  const valueStart = text.length - propertyValue(text).length - 1;
  const head = text.slice(0, Math.max(valueStart, 0));
  const re = /;([A-Za-z0-9-]+)=("[^"]*"|[^;:]*)/g;
  for (let m = re.exec(head); m; m = re.exec(head)) {
    if (m[1]?.toUpperCase() === param) {
      const v = m[2] ?? '';
      return v.startsWith('"') ? v.slice(1, -1) : v;
    }
  }
  return undefined;
}

function beginEnd(text: string): { kind: 'BEGIN' | 'END'; type: string } | undefined {
  const m = /^\s*(BEGIN|END):([A-Za-z0-9-]+)\s*$/i.exec(text);
  if (!m) return undefined;
  return { kind: m[1]?.toUpperCase() as 'BEGIN' | 'END', type: (m[2] ?? '').toUpperCase() };
}

/** Collects problems up to a cap: a hostile file of garbage lines must not cost memory per line. */
class ProblemLog {
  static readonly cap = 1000;
  readonly list: SplitProblem[] = [];
  private dropped = 0;

  push(problem: SplitProblem): void {
    if (this.list.length < ProblemLog.cap) this.list.push(problem);
    else this.dropped++;
  }

  /** The problems in line order, with a last entry counting those not kept. */
  sorted(): SplitProblem[] {
    const out = [...this.list].sort((a, b) => a.line - b.line);
    if (this.dropped > 0) {
      out.push({ line: out[out.length - 1]?.line ?? 1, message: `${this.dropped} more problems not listed` });
    }
    return out;
  }
}

interface ParsedCalendar {
  calendarProps: Map<string, string>;
  components: Component[];
  problems: ProblemLog;
  truncated: boolean;
}

/** Builds the component tree of every VCALENDAR in the file, recovering from bad structure. */
function parseStructure(lines: ContentLine[]): ParsedCalendar {
  const calendarProps = new Map<string, string>();
  const components: Component[] = [];
  const problems = new ProblemLog();
  const broken = new Set<Component>();
  let truncated = false;
  // stack[0] is the VCALENDAR; deeper entries are open components.
  let stack: Component[] = [];

  const dropOpen = (why: string, at: number) => {
    const top = stack[1];
    if (top) {
      broken.add(top);
      problems.push({
        line: top.startLine,
        message: `${top.type} starting at line ${top.startLine} skipped: ${why} (line ${at})`,
      });
    }
    stack = stack.slice(0, 1);
  };

  for (const cl of lines) {
    const be = beginEnd(cl.text);
    if (stack.length === 0) {
      if (be?.kind === 'BEGIN' && be.type === 'VCALENDAR') {
        stack = [{ type: 'VCALENDAR', startLine: cl.line, lines: [], children: [] }];
      }
      // Anything else outside a VCALENDAR (whitespace, trailing comments) is ignored.
      continue;
    }
    if (be?.kind === 'BEGIN') {
      if (be.type === 'VCALENDAR') {
        dropOpen('a new VCALENDAR began before it ended', cl.line);
        problems.push({ line: cl.line, message: 'BEGIN:VCALENDAR inside an open VCALENDAR' });
        continue;
      }
      if (topLevelTypes.has(be.type) && stack.length > 1) {
        dropOpen(`BEGIN:${be.type} before its END`, cl.line);
      } else if (stack.length >= maxDepth) {
        dropOpen('components nested too deeply', cl.line);
        continue;
      }
      const comp: Component = { type: be.type, startLine: cl.line, lines: [], children: [] };
      const parent = stack[stack.length - 1];
      if (stack.length === 1) components.push(comp);
      else parent?.children.push(comp);
      stack.push(comp);
      continue;
    }
    if (be?.kind === 'END') {
      const open = stack[stack.length - 1];
      if (be.type === open?.type) {
        stack.pop();
        continue;
      }
      if (be.type === 'VCALENDAR') {
        dropOpen('unterminated component', cl.line);
        stack = [];
        continue;
      }
      if (stack.some((c) => c.type === be.type)) {
        dropOpen(`END:${be.type} while ${open?.type} is open`, cl.line);
      } else {
        problems.push({ line: cl.line, message: `stray END:${be.type} ignored` });
      }
      continue;
    }
    const name = propertyName(cl.text);
    if (!name) {
      problems.push({ line: cl.line, message: `not a content line, ignored: ${cl.text.slice(0, 40)}` });
      continue;
    }
    if (stack.length === 1) {
      if (!calendarProps.has(name)) calendarProps.set(name, cl.text);
    } else {
      stack[stack.length - 1]?.lines.push(cl);
    }
  }
  if (stack.length > 0) {
    const atEof = lines[lines.length - 1]?.line ?? 0;
    dropOpen('the file ended before it was closed', atEof);
    truncated = true;
    problems.push({
      line: stack[0]?.startLine ?? 1,
      message: 'VCALENDAR not closed: the file looks truncated',
    });
  }
  return { calendarProps, components: components.filter((c) => !broken.has(c)), problems, truncated };
}

function serialize(c: Component, out: string[]): void {
  out.push(`BEGIN:${c.type}`);
  for (const l of c.lines) out.push(l.text);
  for (const child of c.children) serialize(child, out);
  out.push(`END:${c.type}`);
}

function firstProp(c: Component, name: string): string | undefined {
  const l = c.lines.find((x) => propertyName(x.text) === name);
  return l ? propertyValue(l.text).trim() : undefined;
}

function collectTzids(c: Component, into: Set<string>): void {
  for (const l of c.lines) {
    if (!/;tzid=/i.test(l.text)) continue;
    const tz = propertyParam(l.text, 'TZID');
    if (tz) into.add(tz);
  }
  for (const child of c.children) collectTzids(child, into);
}

/** The content hash UID given to a component without one (volatile properties excluded). */
function contentUid(c: Component): string {
  const out: string[] = [];
  serialize(c, out);
  const stable = out.filter((l) => !volatileProps.has(propertyName(l) ?? ''));
  return `talkcal-${createHash('sha256').update(stable.join('\n')).digest('hex').slice(0, 32)}`;
}

function sequenceOf(c: Component): number {
  const n = Number.parseInt(firstProp(c, 'SEQUENCE') ?? '0', 10);
  return Number.isFinite(n) ? n : 0;
}

/** Folds a content line at 75 octets without splitting a UTF-8 sequence. */
export function foldLine(line: string): string {
  const byteLength = Buffer.byteLength(line);
  if (byteLength <= 75) return line;
  if (byteLength === line.length) {
    // ASCII only: one byte per character.
    const ascii = [line.slice(0, 75)];
    for (let i = 75; i < line.length; i += 74) ascii.push(line.slice(i, i + 74));
    return ascii.join('\r\n ');
  }
  const parts: string[] = [];
  let current = '';
  let bytes = 0;
  let limit = 75;
  for (const ch of line) {
    const cp = ch.codePointAt(0) ?? 0;
    const size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (bytes + size > limit) {
      parts.push(current);
      current = '';
      bytes = 0;
      limit = 74; // continuation lines start with a space
    }
    current += ch;
    bytes += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/** Splits an iCalendar text into one VCALENDAR per UID (VEVENT and VTODO); other components are dropped. */
export function splitCalendar(text: string): SplitResult {
  const { calendarProps, components, problems, truncated } = parseStructure(unfoldLines(text));

  const timezones = new Map<string, Component>();
  for (const c of components) {
    if (c.type !== 'VTIMEZONE') continue;
    const tzid = firstProp(c, 'TZID');
    if (tzid && !timezones.has(tzid)) timezones.set(tzid, c);
  }

  const groups = new Map<string, { kind: SourceItem['kind']; comps: Component[] }>();
  for (const c of components) {
    if (c.type !== 'VEVENT' && c.type !== 'VTODO') continue;
    const kind = c.type === 'VEVENT' ? 'event' : 'todo';
    let uid = firstProp(c, 'UID');
    if (!uid) {
      uid = contentUid(c);
      c.lines.unshift({ line: c.startLine, text: `UID:${uid}` });
    }
    const group = groups.get(uid);
    if (!group) {
      groups.set(uid, { kind, comps: [c] });
    } else if (group.kind !== kind) {
      problems.push({
        line: c.startLine,
        message: `${c.type} skipped: UID ${uid} is already used by another kind`,
      });
    } else {
      group.comps.push(c);
    }
  }

  const header = [
    'BEGIN:VCALENDAR',
    calendarProps.get('VERSION') ?? 'VERSION:2.0',
    calendarProps.get('PRODID') ?? `PRODID:${defaultProdId}`,
  ];
  for (const name of keptCalendarProps.slice(2)) {
    const line = calendarProps.get(name);
    if (line) header.push(line);
  }

  const items: SourceItem[] = [];
  for (const [uid, group] of groups) {
    const comps = dedupeInstances(group.comps, problems);
    const tzids = new Set<string>();
    for (const c of comps) collectTzids(c, tzids);
    const out = [...header];
    for (const tzid of tzids) {
      const tz = timezones.get(tzid);
      if (tz) serialize(tz, out);
    }
    for (const c of comps) serialize(c, out);
    out.push('END:VCALENDAR');
    items.push({ uid, kind: group.kind, ics: `${out.map(foldLine).join('\r\n')}\r\n` });
  }
  return { items, problems: problems.sorted(), truncated };
}

/**
 * Keeps one component per RECURRENCE-ID (the master has none): the highest SEQUENCE wins, the
 * later one on a tie, as a feed that repeats an instance means its last word.
 */
function dedupeInstances(comps: Component[], problems: ProblemLog): Component[] {
  if (comps.length === 1) return comps;
  const byInstance = new Map<string, Component>();
  for (const c of comps) {
    const key = firstProp(c, 'RECURRENCE-ID') ?? '';
    const seen = byInstance.get(key);
    if (!seen) {
      byInstance.set(key, c);
      continue;
    }
    const keep = sequenceOf(c) >= sequenceOf(seen) ? c : seen;
    const drop = keep === c ? seen : c;
    problems.push({
      line: drop.startLine,
      message: `${drop.type} at line ${drop.startLine} superseded by the one at line ${keep.startLine} (same UID${key ? ' and RECURRENCE-ID' : ''})`,
    });
    byInstance.set(key, keep);
  }
  // Master first, then overrides in their original order.
  return [...byInstance.values()].sort(
    (a, b) =>
      Number(firstProp(a, 'RECURRENCE-ID') !== undefined) -
        Number(firstProp(b, 'RECURRENCE-ID') !== undefined) || a.startLine - b.startLine,
  );
}
