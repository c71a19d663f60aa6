// Splits one iCalendar file (a feed, an export) into one calendar object per UID, the shape a
// CalDAV collection stores: a recurring master and its RECURRENCE-ID overrides travel together,
// with the VTIMEZONEs they reference. Pure and forgiving: a broken component is reported and
// skipped, it never aborts the file. Bounded: the text is read a line at a time and each
// component handed on as it closes (grouping into items, and the limits: ics-split-groups.ts).
import { ComponentReader, type StructureProblem } from '../ics/component-reader.js';
import { IcsComponent } from '../ics/component-tree.js';
import { eachUnfoldedLine, propertyName, propertyValue } from '../ics/content-lines.js';
import { defaultLimits } from '../translate/limits.js';
import { SourceLimitError } from './errors.js';
import { Grouper, keptCalendarProps, ProblemLog, type SplitLimits } from './ics-split-groups.js';
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
export type SplitNoticeCode = NonNullable<StructureProblem['code']> | 'itip-superseded' | 'itip-cancel';

export interface SplitResult {
  items: SourceItem[];
  problems: SplitProblem[];
  /** The last VCALENDAR was never closed: the text was most likely cut off in transfer. */
  truncated: boolean;
  /** More calendar objects than limits.maxItemsPerSource: `items` is empty, the caller throws this. */
  limitExceeded?: SourceLimitError;
}

/**
 * Reads the structure of every VCALENDAR in the file by the one structure rule
 * (../ics/component-reader.ts) and hands each top-level component to `onComponent` as it closes.
 * A component inside a METHOD:CANCEL calendar (an iTIP cancellation) is marked STATUS:CANCELLED.
 * Returns whether the text was cut off.
 */
function readStructure(
  text: string,
  calendarProps: Map<string, string>,
  problems: ProblemLog,
  onComponent: (c: IcsComponent) => void,
): boolean {
  let cancelling = false;
  const reader = new ComponentReader<IcsComponent>({
    begin(type, startLine, parent, depth) {
      const comp = new IcsComponent(type, startLine);
      if (depth === 0) cancelling = false;
      // Components of the calendar are handed on as they close, not kept in it.
      if (parent && depth > 1) parent.children.push(comp);
      return comp;
    },
    property(node, name, line) {
      if (node.name !== 'VCALENDAR') {
        node.addLine(line);
        return;
      }
      if (name === 'METHOD') cancelling = propertyValue(line).trim().toUpperCase() === 'CANCEL';
      if ((keptCalendarProps as readonly string[]).includes(name) && !calendarProps.has(name))
        calendarProps.set(name, line);
    },
    end(node, _parent, depth) {
      // Not sealed: the component is built into its item's text right away and then let go.
      if (depth !== 1) return;
      if (cancelling && (node.name === 'VEVENT' || node.name === 'VTODO')) markCancelled(node, problems);
      onComponent(node);
    },
    problem: (p) => problems.push(p),
  });
  eachUnfoldedLine(text, (line, number) => reader.line(line, number, undefined));
  return reader.finish();
}

/** An iTIP CANCEL: the component (the event, or the instance its RECURRENCE-ID names) is cancelled. */
function markCancelled(c: IcsComponent, problems: ProblemLog): void {
  const lines = c.lines().filter((l) => propertyName(l) !== 'STATUS');
  c.setLines([...lines, 'STATUS:CANCELLED']);
  const instance = lines.some((l) => propertyName(l) === 'RECURRENCE-ID');
  problems.push({
    line: c.line,
    code: 'itip-cancel',
    message: `${c.name} at line ${c.line} is a METHOD:CANCEL message: ${instance ? 'the instance its RECURRENCE-ID names' : 'the whole item'} is cancelled`,
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
