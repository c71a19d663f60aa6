// THE iCalendar structure rule: how unfolded content lines nest into components, and how broken
// structure is recovered from. Every reader builds its tree through this one (the feed splitter in
// sources/, the translator's reader in translate/parse.ts, write-back's tree in translate/ics-lines.ts),
// so a file means the same to all of them. What a reader keeps of a component is its own business
// (the `ComponentSink`); which lines belong to which component, and which are broken, is decided here:
//
// - A VCALENDAR holds the components; lines outside any component are ignored.
// - Components without a VCALENDAR around them (a file of bare VEVENTs) are read as if wrapped in
//   one, with a `bare-components` notice.
// - BEGIN of a top-level component (VEVENT, VTODO, VTIMEZONE…) while another is open: the open one
//   never ended and is dropped. So is one nested deeper than `maxDepth`, and one still open when
//   its VCALENDAR ends or the text ends (an open VCALENDAR at the end: the text is cut off).
// - END of an enclosing component closes the ones open inside it (each reported not closed): an
//   alarm missing its END does not cost its event.
// - BEGIN:VCALENDAR inside an open VCALENDAR, a stray END, a line that is no content line: ignored,
//   reported.
import { contentLineName } from './content-lines.js';

/** Components that may only appear directly inside VCALENDAR. */
export const topLevelTypes: ReadonlySet<string> = new Set([
  'VEVENT',
  'VTODO',
  'VJOURNAL',
  'VFREEBUSY',
  'VTIMEZONE',
  'VAVAILABILITY',
]);
// VCALENDAR > VEVENT > VALARM is as deep as real data goes; the cap keeps every reader bounded.
export const maxDepth = 8;

export interface StructureProblem {
  /** 1-based physical line where the problem is (or the component starts). */
  line: number;
  message: string;
  /** A reading chosen, nothing left out (absent: something was skipped). */
  code?: 'bare-components';
}

/** What a reader makes of the structure. `R` is whatever it carries per line (e.g. the raw text). */
export interface ComponentSink<N, R = undefined> {
  /** A component begins; `parent` is undefined for a VCALENDAR and for components of an implicit one. */
  begin(name: string, line: number, parent: N | undefined, depth: number, raw: R): N;
  /** A property line of `node`; `name` is its upper-cased property name. */
  property(node: N, name: string, text: string, line: number, raw: R): void;
  /** `node` ended (its END line, or implicitly when an enclosing component ended). */
  end(node: N, parent: N | undefined, depth: number, raw: R | undefined): void;
  /** `node` never ended and is left out of the calendar (only the outermost dropped is named). */
  drop?(node: N, parent: N | undefined, depth: number): void;
  /** A line ignored by the rule (outside any component, stray END, not a content line). */
  ignored?(node: N | undefined, text: string, raw: R): void;
  problem(problem: StructureProblem): void;
}

interface Open<N> {
  name: string;
  line: number;
  /** Undefined for the implicit VCALENDAR of bare components. */
  node: N | undefined;
}

function beginEnd(text: string): { kind: 'BEGIN' | 'END'; type: string } | undefined {
  // Most lines are properties starting with another letter: rule them out before the expression.
  const first = text.charCodeAt(0) | 0x20;
  if (first >= 0x61 && first <= 0x7a && first !== 0x62 && first !== 0x65) return undefined;
  const m = /^\s*(BEGIN|END)\s*:\s*([A-Za-z0-9-]+)\s*$/i.exec(text);
  if (!m) return undefined;
  return { kind: m[1]?.toUpperCase() as 'BEGIN' | 'END', type: (m[2] ?? '').toUpperCase() };
}

/** Reads lines one at a time (`line`), then `finish`: returns whether the text looks cut off. */
export class ComponentReader<N, R = undefined> {
  private stack: Open<N>[] = [];
  private bareNoticed = false;
  private lastLine = 0;

  constructor(private readonly sink: ComponentSink<N, R>) {}

  line(text: string, number: number, raw: R): void {
    this.lastLine = number;
    const be = beginEnd(text);
    if (this.stack.length === 0 || (this.implicitOnly() && be !== undefined)) {
      if (!this.enterCalendar(be, text, number, raw)) return;
    }
    if (be?.kind === 'BEGIN') this.begin(be.type, text, number, raw);
    else if (be?.kind === 'END') this.end(be.type, text, number, raw);
    else this.property(text, number, raw);
  }

  /** Ends the text: whatever is open is dropped; true when a VCALENDAR was never closed. */
  finish(): boolean {
    if (this.stack.length === 0) return false;
    this.dropOpen('the file ended before it was closed', this.lastLine);
    const calendar = this.stack[0] as Open<N>;
    this.stack = [];
    if (calendar.node === undefined) return false;
    this.sink.problem({ line: calendar.line, message: 'VCALENDAR not closed: the file looks truncated' });
    this.sink.end(calendar.node, undefined, 0, undefined);
    return true;
  }

  private implicitOnly(): boolean {
    return this.stack.length === 1 && this.stack[0]?.node === undefined;
  }

  /** Outside any VCALENDAR: opens one (real or implicit); false when the line is done with. */
  private enterCalendar(be: ReturnType<typeof beginEnd>, text: string, number: number, raw: R): boolean {
    if (be?.kind === 'BEGIN' && be.type === 'VCALENDAR') {
      this.stack = [
        { name: 'VCALENDAR', line: number, node: this.sink.begin('VCALENDAR', number, undefined, 0, raw) },
      ];
      return false;
    }
    if (this.implicitOnly()) return true;
    if (be?.kind !== 'BEGIN' || !topLevelTypes.has(be.type)) {
      this.sink.ignored?.(undefined, text, raw);
      return false;
    }
    if (!this.bareNoticed) {
      this.bareNoticed = true;
      this.sink.problem({
        line: number,
        code: 'bare-components',
        message: `BEGIN:${be.type} without a VCALENDAR around it: read as if wrapped in one`,
      });
    }
    this.stack = [{ name: 'VCALENDAR', line: number, node: undefined }];
    return true;
  }

  private begin(type: string, text: string, number: number, raw: R): void {
    if (type === 'VCALENDAR') {
      this.dropOpen('a new VCALENDAR began before it ended', number);
      this.sink.problem({ line: number, message: 'BEGIN:VCALENDAR inside an open VCALENDAR' });
      this.sink.ignored?.(this.stack[0]?.node, text, raw);
      return;
    }
    if (topLevelTypes.has(type) && this.stack.length > 1) {
      this.dropOpen(`BEGIN:${type} before its END`, number);
    } else if (this.stack.length >= maxDepth) {
      this.dropOpen('components nested too deeply', number);
      this.sink.ignored?.(this.stack[0]?.node, text, raw);
      return;
    }
    const parent = this.stack[this.stack.length - 1]?.node;
    const node = this.sink.begin(type, number, parent, this.stack.length, raw);
    this.stack.push({ name: type, line: number, node });
  }

  private end(type: string, text: string, number: number, raw: R): void {
    let at = this.stack.length - 1;
    while (at >= 0 && this.stack[at]?.name !== type) at--;
    if (at < 0 || (at === 0 && this.stack[0]?.node === undefined)) {
      this.sink.problem({ line: number, message: `stray END:${type} ignored` });
      this.sink.ignored?.(this.stack[this.stack.length - 1]?.node, text, raw);
      return;
    }
    if (at === 0 && this.stack.length > 1) this.dropOpen('unterminated component', number);
    while (this.stack.length - 1 > at) {
      const inner = this.stack[this.stack.length - 1] as Open<N>;
      this.sink.problem({
        line: inner.line,
        message: `${inner.name} at line ${inner.line} not closed (END:${type} at line ${number})`,
      });
      this.close(undefined);
    }
    this.close(raw);
  }

  private close(raw: R | undefined): void {
    const done = this.stack.pop() as Open<N>;
    const depth = this.stack.length;
    if (done.node !== undefined) this.sink.end(done.node, this.stack[depth - 1]?.node, depth, raw);
  }

  private property(text: string, number: number, raw: R): void {
    const open = this.stack[this.stack.length - 1];
    const name = contentLineName(text);
    if (!name) {
      this.sink.problem({ line: number, message: `not a content line, ignored: ${text.slice(0, 40)}` });
      this.sink.ignored?.(open?.node, text, raw);
      return;
    }
    if (open?.node === undefined) {
      this.sink.ignored?.(undefined, text, raw);
      return;
    }
    this.sink.property(open.node, name, text, number, raw);
  }

  /** The open top-level component (and all inside it) never ended: it is left out. */
  private dropOpen(why: string, at: number): void {
    const top = this.stack[1];
    if (!top) return;
    this.sink.problem({
      line: top.line,
      message: `${top.name} starting at line ${top.line} skipped: ${why} (line ${at})`,
    });
    if (top.node !== undefined) this.sink.drop?.(top.node, this.stack[0]?.node, 1);
    this.stack = this.stack.slice(0, 1);
  }
}
