import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ComponentReader, type StructureProblem } from '../../../src/ics/component-reader.js';
import { unfoldLines } from '../../../src/ics/content-lines.js';
import { splitCalendar } from '../../../src/sources/ics-split.js';
import { parseTree, serializeTree } from '../../../src/translate/ics-lines.js';
import { parseComponents } from '../../../src/translate/parse.js';

// The one structure rule every reader builds on: nesting and recovery, and that the three readers
// (feed splitter, translator, write-back) see the same components in the same text.

interface Node {
  name: string;
  props: string[];
  children: Node[];
}

/** The kept tree as nested text, e.g. VCALENDAR(VEVENT[UID:a](VALARM)). */
function read(text: string): { tree: string[]; problems: StructureProblem[]; truncated: boolean } {
  const roots: Node[] = [];
  const problems: StructureProblem[] = [];
  const reader = new ComponentReader<Node>({
    begin: (name) => ({ name, props: [], children: [] }),
    property: (node, _name, line) => node.props.push(line),
    end: (node, parent) => (parent ? parent.children : roots).push(node),
    problem: (p) => problems.push(p),
  });
  for (const l of unfoldLines(text)) reader.line(l.text, l.line, undefined);
  const truncated = reader.finish();
  const show = (n: Node): string =>
    `${n.name}${n.props.length ? `[${n.props.join(',')}]` : ''}${n.children.length ? `(${n.children.map(show).join(' ')})` : ''}`;
  return { tree: roots.map(show), problems, truncated };
}

const text = (...lines: string[]) => lines.join('\r\n');

/** How deep the parentheses of a shown tree nest. */
function nesting(shown: string): number {
  let depth = 0;
  let max = 0;
  for (const c of shown) {
    if (c === '(') max = Math.max(max, ++depth);
    else if (c === ')') depth--;
  }
  return max;
}

describe('the structure rule', () => {
  it('nests components and keeps properties with their component', () => {
    const r = read(
      text(
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'BEGIN:VEVENT',
        'UID:a',
        'BEGIN:VALARM',
        'ACTION:DISPLAY',
        'END:VALARM',
        'END:VEVENT',
        'END:VCALENDAR',
      ),
    );
    expect(r.tree).toEqual(['VCALENDAR[VERSION:2.0](VEVENT[UID:a](VALARM[ACTION:DISPLAY]))']);
    expect(r.problems).toEqual([]);
  });

  it('reads bare components as if wrapped in a VCALENDAR, with a notice', () => {
    const r = read(text('BEGIN:VEVENT', 'UID:a', 'END:VEVENT', 'BEGIN:VTODO', 'UID:b', 'END:VTODO'));
    expect(r.tree).toEqual(['VEVENT[UID:a]', 'VTODO[UID:b]']);
    expect(r.problems).toEqual([expect.objectContaining({ line: 1, code: 'bare-components' })]);
    expect(r.truncated).toBe(false);
  });

  it('drops a top-level component that never ended, keeps the next', () => {
    const r = read(
      text(
        'BEGIN:VCALENDAR',
        'BEGIN:VEVENT',
        'UID:a',
        'BEGIN:VEVENT',
        'UID:b',
        'END:VEVENT',
        'END:VCALENDAR',
      ),
    );
    expect(r.tree).toEqual(['VCALENDAR(VEVENT[UID:b])']);
    expect(r.problems.map((p) => p.line)).toEqual([2]);
  });

  it('closes an alarm left open when its event ends', () => {
    const r = read(
      text('BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'UID:a', 'BEGIN:VALARM', 'END:VEVENT', 'END:VCALENDAR'),
    );
    expect(r.tree).toEqual(['VCALENDAR(VEVENT[UID:a](VALARM))']);
    expect(r.problems.map((p) => p.message)).toEqual(['VALARM at line 4 not closed (END:VEVENT at line 5)']);
  });

  it('flags a VCALENDAR the text ends inside as cut off, keeping what closed', () => {
    const r = read(text('BEGIN:VCALENDAR', 'BEGIN:VEVENT', 'UID:a', 'END:VEVENT', 'BEGIN:VEVENT', 'UID:b'));
    expect(r.truncated).toBe(true);
    expect(r.tree).toEqual(['VCALENDAR(VEVENT[UID:a])']);
  });

  it('never throws and stays bounded on any soup of structure lines', () => {
    const line = fc.oneof(
      fc
        .constantFrom('VCALENDAR', 'VEVENT', 'VALARM', 'VTIMEZONE', 'STANDARD', 'X-Y')
        .map((n) => `BEGIN:${n}`),
      fc.constantFrom('VCALENDAR', 'VEVENT', 'VALARM', 'VTIMEZONE', 'STANDARD', 'X-Y').map((n) => `END:${n}`),
      fc.constantFrom('UID:u', 'SUMMARY:s', 'garbage', ' folded'),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 60 }), (lines) => {
        const r = read(lines.join('\r\n'));
        for (const t of r.tree) expect(nesting(t)).toBeLessThan(8);
      }),
    );
  });
});

describe('the three readers agree', () => {
  const broken = text(
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'BEGIN:VEVENT',
    'UID:lost',
    'DTSTART:20240101T010000Z',
    'BEGIN:VEVENT',
    'UID:kept',
    'DTSTART:20240102T010000Z',
    'BEGIN:VALARM',
    'TRIGGER:-PT5M',
    'END:VEVENT',
    'END:VALARM',
    'not a content line',
    'END:VCALENDAR',
    '',
  );

  it('sees the same events in a broken file (splitter, translator)', () => {
    const uids = (ics: string) =>
      parseComponents(ics).events.map((e) => e.props.find((p) => p.name === 'UID')?.value);
    expect(uids(broken)).toEqual(['kept']);
    expect(splitCalendar(broken).items.map((i) => i.uid)).toEqual(['kept']);
  });

  it('write-back keeps every line of a broken object, in place', () => {
    // Lines the rule ignores (a stray END, a line that is no content line) stay where they were.
    const withEnds = broken
      .replace('DTSTART:20240101T010000Z\r\n', 'DTSTART:20240101T010000Z\r\nEND:VEVENT\r\n')
      .replace('TRIGGER:-PT5M\r\n', 'TRIGGER:-PT5M\r\nEND:VALARM\r\n');
    expect(serializeTree(parseTree(withEnds))).toBe(withEnds);
    // A component that never ended is written back with its END; nothing else changes.
    expect(serializeTree(parseTree(broken))).toBe(
      broken
        .replace('END:VEVENT\r\nEND:VALARM', 'END:VALARM\r\nEND:VEVENT\r\nEND:VALARM')
        .replace('BEGIN:VEVENT\r\nUID:kept', 'END:VEVENT\r\nBEGIN:VEVENT\r\nUID:kept'),
    );
  });
});
