// Splits one iCalendar file (a feed, an export) into one calendar object per UID, the shape a
// CalDAV collection stores: a recurring master and its RECURRENCE-ID overrides travel together,
// with the VTIMEZONEs they reference. Pure and forgiving: a broken component is reported and
// skipped, it never aborts the file.
import { createHash } from 'node:crypto';
import {
  foldLine,
  type NumberedLine,
  propertyName,
  propertyParam,
  propertyValue,
  unfoldLines,
} from '../ics/content-lines.js';
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

interface Component {
  type: string;
  startLine: number;
  lines: NumberedLine[];
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
const defaultProdId = '-//talkcal-sync//ics-split//EN';

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
function parseStructure(lines: NumberedLine[]): ParsedCalendar {
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
    items.push({ uid, kind: group.kind, ics: `${out.map((l) => foldLine(l)).join('\r\n')}\r\n` });
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
