// Splits one iCalendar file (a feed, an export) into one calendar object per UID, the shape a
// CalDAV collection stores: a recurring master and its RECURRENCE-ID overrides travel together,
// with the VTIMEZONEs they reference. Pure and forgiving: a broken component is reported and
// skipped, it never aborts the file. Bounded: the text is read a line at a time and each
// component handed on as it closes (grouping into items, and the limits: ics-split-groups.ts).
import { eachUnfoldedLine, propertyName, propertyValue } from '../ics/content-lines.js';
import { defaultLimits } from '../translate/limits.js';
import { SourceLimitError } from './errors.js';
import {
  Grouper,
  keptCalendarProps,
  type OpenComponent,
  ProblemLog,
  type SplitLimits,
} from './ics-split-groups.js';
import type { SourceItem } from './storage.js';

export { type SplitLimits, volatileProps } from './ics-split-groups.js';

export interface SplitProblem {
  /** 1-based physical line number in the input (after a BOM). */
  line: number;
  message: string;
  /** Set on notices about a reading chosen (nothing skipped); absent on a broken part skipped. */
  code?: SplitNoticeCode;
}

/** A reading chosen for input the RFC does not allow in a feed, but the common parsers accept. */
export type SplitNoticeCode = 'bare-components' | 'itip-superseded' | 'itip-cancel';

export interface SplitResult {
  items: SourceItem[];
  problems: SplitProblem[];
  /** The last VCALENDAR was never closed: the text was most likely cut off in transfer. */
  truncated: boolean;
  /** More calendar objects than limits.maxItemsPerSource: `items` is empty, the caller throws this. */
  limitExceeded?: SourceLimitError;
}

// Components that may only appear directly inside VCALENDAR: meeting one of them deeper means the
// enclosing component was never closed.
const topLevelTypes = new Set(['VEVENT', 'VTODO', 'VJOURNAL', 'VFREEBUSY', 'VTIMEZONE', 'VAVAILABILITY']);
// VCALENDAR > VEVENT > VALARM is as deep as real data goes; the cap keeps recursion bounded.
const maxDepth = 6;

function beginEnd(text: string): { kind: 'BEGIN' | 'END'; type: string } | undefined {
  // Most lines are properties starting with another letter: rule them out before the expression.
  const first = text.charCodeAt(0) | 0x20;
  if (first >= 0x61 && first <= 0x7a && first !== 0x62 && first !== 0x65) return undefined;
  const m = /^\s*(BEGIN|END):([A-Za-z0-9-]+)\s*$/i.exec(text);
  if (!m) return undefined;
  return { kind: m[1]?.toUpperCase() as 'BEGIN' | 'END', type: (m[2] ?? '').toUpperCase() };
}

/**
 * Reads the structure of every VCALENDAR in the file, recovering from bad structure, and hands
 * each top-level component to `onComponent` as it closes. Components outside any VCALENDAR (a
 * file of bare VEVENTs) are read as if wrapped in one, with a notice. A component inside a
 * METHOD:CANCEL calendar (an iTIP cancellation) is marked STATUS:CANCELLED. Returns whether the
 * text was cut off.
 */
function readStructure(
  text: string,
  calendarProps: Map<string, string>,
  problems: ProblemLog,
  onComponent: (c: OpenComponent) => void,
): boolean {
  // stack[0] is the VCALENDAR (implicit for bare components); deeper entries are open components.
  let stack: OpenComponent[] = [];
  let lastLine = 0;
  let implicit = false;
  let cancelling = false;
  let bareNoticed = false;

  const dropOpen = (why: string, at: number) => {
    const top = stack[1];
    if (top) {
      problems.push({
        line: top.startLine,
        message: `${top.type} starting at line ${top.startLine} skipped: ${why} (line ${at})`,
      });
    }
    stack = stack.slice(0, 1);
  };
  const openCalendar = (number: number, isImplicit: boolean) => {
    stack = [{ type: 'VCALENDAR', startLine: number, lines: [], children: [] }];
    implicit = isImplicit;
    cancelling = false;
  };
  const closeTop = (open: OpenComponent) => {
    if (cancelling && (open.type === 'VEVENT' || open.type === 'VTODO')) markCancelled(open, problems);
    onComponent(open);
  };

  eachUnfoldedLine(text, (line, number) => {
    lastLine = number;
    const be = beginEnd(line);
    if (stack.length === 0 || (implicit && stack.length === 1 && be?.type === 'VCALENDAR')) {
      if (be?.kind === 'BEGIN' && be.type === 'VCALENDAR') {
        openCalendar(number, false);
        return;
      }
      if (be?.kind !== 'BEGIN' || !topLevelTypes.has(be.type)) return;
      // Anything else outside a VCALENDAR (whitespace, trailing comments) is ignored.
      openCalendar(number, true);
      if (!bareNoticed) {
        bareNoticed = true;
        problems.push({
          line: number,
          code: 'bare-components',
          message: `BEGIN:${be.type} without a VCALENDAR around it: read as if wrapped in one`,
        });
      }
    }
    if (be?.kind === 'BEGIN') {
      if (be.type === 'VCALENDAR') {
        dropOpen('a new VCALENDAR began before it ended', number);
        problems.push({ line: number, message: 'BEGIN:VCALENDAR inside an open VCALENDAR' });
        return;
      }
      if (topLevelTypes.has(be.type) && stack.length > 1) {
        dropOpen(`BEGIN:${be.type} before its END`, number);
      } else if (stack.length >= maxDepth) {
        dropOpen('components nested too deeply', number);
        return;
      }
      const comp: OpenComponent = { type: be.type, startLine: number, lines: [], children: [] };
      if (stack.length > 1) stack[stack.length - 1]?.children.push(comp);
      stack.push(comp);
      return;
    }
    if (be?.kind === 'END') {
      const open = stack[stack.length - 1];
      if (be.type === open?.type) {
        stack.pop();
        if (stack.length === 1) closeTop(open);
        return;
      }
      if (be.type === 'VCALENDAR') {
        dropOpen('unterminated component', number);
        stack = [];
        return;
      }
      if (stack.some((c) => c.type === be.type)) {
        dropOpen(`END:${be.type} while ${open?.type} is open`, number);
      } else {
        problems.push({ line: number, message: `stray END:${be.type} ignored` });
      }
      return;
    }
    const name = propertyName(line);
    if (!name) {
      problems.push({ line: number, message: `not a content line, ignored: ${line.slice(0, 40)}` });
      return;
    }
    if (stack.length === 1) {
      if (name === 'METHOD') cancelling = propertyValue(line).trim().toUpperCase() === 'CANCEL';
      if ((keptCalendarProps as readonly string[]).includes(name) && !calendarProps.has(name))
        calendarProps.set(name, line);
    } else {
      stack[stack.length - 1]?.lines.push(line);
    }
  });
  if (stack.length === 0 || (implicit && stack.length === 1)) return false;
  dropOpen('the file ended before it was closed', lastLine);
  if (implicit) return false;
  problems.push({
    line: stack[0]?.startLine ?? 1,
    message: 'VCALENDAR not closed: the file looks truncated',
  });
  return true;
}

/** An iTIP CANCEL: the component (the event, or the instance its RECURRENCE-ID names) is cancelled. */
function markCancelled(c: OpenComponent, problems: ProblemLog): void {
  c.lines = c.lines.filter((l) => propertyName(l) !== 'STATUS');
  c.lines.push('STATUS:CANCELLED');
  const instance = c.lines.some((l) => propertyName(l) === 'RECURRENCE-ID');
  problems.push({
    line: c.startLine,
    code: 'itip-cancel',
    message: `${c.type} at line ${c.startLine} is a METHOD:CANCEL message: ${instance ? 'the instance its RECURRENCE-ID names' : 'the whole item'} is cancelled`,
  });
}

/**
 * Splits an iCalendar text into one VCALENDAR per UID (VEVENT and VTODO); other components are
 * dropped. `near` (ms), when given, is the instant overrides past the limit are ranked by.
 */
export function splitCalendar(text: string, limits: SplitLimits = defaultLimits, near?: number): SplitResult {
  const calendarProps = new Map<string, string>();
  const problems = new ProblemLog();
  const grouper = new Grouper(limits, problems, near, calendarProps);
  const truncated = readStructure(text, calendarProps, problems, (c) => grouper.add(c));
  grouper.reportDroppedTimezones();
  if (grouper.beyond.size > 0) {
    const actual = grouper.groups.size + grouper.beyond.size;
    return {
      items: [],
      problems: problems.sorted(),
      truncated,
      limitExceeded: new SourceLimitError('limits.maxItemsPerSource', limits.maxItemsPerSource, actual),
    };
  }
  return { items: grouper.items(), problems: problems.sorted(), truncated };
}
