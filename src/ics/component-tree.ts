// THE component tree of sources and translation: a component as read by the one structure rule
// (component-reader.ts). Its lines stay unfolded text, joined into one string once it is closed,
// and are parsed when asked for: a series with 100,000 overrides costs a string per component
// until translation reads the few it applies. (Write-back keeps folded bytes instead:
// translate/ics-lines.ts.)
import { type ContentLine, isProperty, parseContentLine } from './content-lines.js';

export interface ParsedComponent {
  name: string;
  readonly props: ContentLine[];
  children: ParsedComponent[];
}

/** Property lookups on a component before it is parsed in full. */
const lookupsBeforeParsing = 8;

export class IcsComponent implements ParsedComponent {
  readonly children: IcsComponent[] = [];
  private reading: string[] | undefined = [];
  /** The unfolded lines, '\n'-separated (an unfolded line holds no line break). */
  private text = '';
  private parsed: ContentLine[] | undefined;
  private lookups = 0;

  /** `line`: the 1-based physical line of its BEGIN. */
  constructor(
    readonly name: string,
    readonly line = 0,
  ) {}

  /** One more unfolded property line (while the component is read). */
  addLine(line: string): void {
    this.reading?.push(line);
    this.parsed = undefined;
  }

  /** Done reading: the lines become one string (a reader that keeps components long seals them). */
  seal(): void {
    if (!this.reading) return;
    this.text = this.reading.join('\n');
    this.reading = undefined;
  }

  /** The unfolded property lines, as read (or as last set). */
  lines(): string[] {
    return this.reading ?? (this.text === '' ? [] : this.text.split('\n'));
  }

  /** Rewrites the property lines (a reader that adds a UID or sets STATUS). */
  setLines(lines: string[]): void {
    if (this.reading) this.reading = lines;
    else this.text = lines.join('\n');
    this.parsed = undefined;
  }

  get props(): ContentLine[] {
    this.parsed ??= this.lines().flatMap((l) => parseContentLine(l) ?? []);
    return this.parsed;
  }

  /**
   * The properties named `name` (the first only, if `first`), parsing only those lines — until a
   * component is asked often enough to be read in full (a master is; a skipped override is not).
   */
  named(name: string, first: boolean): ContentLine[] {
    if (this.parsed || ++this.lookups > lookupsBeforeParsing) {
      const all = this.props.filter((p) => p.name === name);
      return first ? all.slice(0, 1) : all;
    }
    const out: ContentLine[] = [];
    if (this.reading) {
      for (const line of this.reading) {
        const p = isProperty(line, name) ? parseContentLine(line) : undefined;
        if (p) out.push(p);
        if (p && first) return out;
      }
      return out;
    }
    const text = this.text;
    for (let at = 0; at < text.length; ) {
      let end = text.indexOf('\n', at);
      if (end < 0) end = text.length;
      if (isProperty(text, name, at)) {
        const p = parseContentLine(text.slice(at, end));
        if (p) {
          out.push(p);
          if (first) return out;
        }
      }
      at = end + 1;
    }
    return out;
  }
}

export function prop(c: ParsedComponent, name: string): ContentLine | undefined {
  if (c instanceof IcsComponent) return c.named(name, true)[0];
  return c.props.find((p) => p.name === name);
}

export function propsNamed(c: ParsedComponent, name: string): ContentLine[] {
  if (c instanceof IcsComponent) return c.named(name, false);
  return c.props.filter((p) => p.name === name);
}
