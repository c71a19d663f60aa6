import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  escapeText,
  foldLine,
  formatContentLine,
  parseContentLine,
  readLines,
  tzidKey,
  unescapeText,
  unfoldLines,
} from '../../../src/ics/content-lines.js';

// The shared content-line module: folding and both unfolders agree with each other, and parsing
// reads back what formatting wrote.

const lineText = fc
  .string({ unit: 'grapheme', maxLength: 300 })
  .map((s) => `X-T:${s.replace(/[\r\n]/g, '')}`);

describe('folding', () => {
  it('unfolds what it folds, with every physical line at most 75 octets', () => {
    fc.assert(
      fc.property(lineText, (line) => {
        const folded = foldLine(line);
        for (const physical of folded.split('\r\n'))
          expect(Buffer.byteLength(physical)).toBeLessThanOrEqual(75);
        expect(unfoldLines(folded).map((l) => l.text)).toEqual([line]);
        expect(readLines(folded).map((l) => l.unfolded)).toEqual([line]);
      }),
    );
  });

  it('folds with the line ending it is given', () => {
    expect(foldLine(`X:${'a'.repeat(80)}`, '\n')).toBe(`X:${'a'.repeat(73)}\n ${'a'.repeat(7)}`);
  });
});

describe('parsing', () => {
  it('reads back name, parameters and value that formatting wrote', () => {
    const name = fc.stringMatching(/^[A-Z][A-Z0-9-]{0,10}$/);
    const paramValue = fc.string({ maxLength: 20 }).map((s) => s.replace(/["\r\n]/g, '').trim());
    fc.assert(
      fc.property(
        name,
        fc.dictionary(name, paramValue, { maxKeys: 3 }),
        fc.string({ maxLength: 40 }),
        (n, params, value) => {
          const line = { name: n, params, value };
          expect(parseContentLine(formatContentLine(line))).toEqual(line);
        },
      ),
    );
  });

  it('rejects a line without a colon or with an invalid name', () => {
    expect(parseContentLine('SUMMARY')).toBeUndefined();
    expect(parseContentLine('SUM MARY:x')).toBeUndefined();
  });
});

describe('TEXT values', () => {
  it('unescapes what it escapes', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        expect(unescapeText(escapeText(text))).toBe(text.replace(/\r\n|\r/g, '\n'));
      }),
    );
  });
});

describe('TZID comparison', () => {
  it('reads a VTIMEZONE TZID (TEXT) and a TZID parameter (quoted) to the same key', () => {
    const property = parseContentLine('TZID:Foo\\, Bar ');
    const param = parseContentLine('DTSTART;TZID="Foo, Bar":20240105T093000');
    expect(tzidKey(property?.value ?? '')).toBe('Foo, Bar');
    expect(tzidKey(param?.params['TZID'] ?? '')).toBe('Foo, Bar');
  });

  // A backslash in a parameter is not an escape in RFC 5545: names with one are left out.
  it('matches any name written escaped as a property and quoted as a parameter', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 40 }).filter((s) => !/["\\\r\n]/.test(s)),
        (name) => {
          const property = parseContentLine(`TZID:${escapeText(name)}`);
          const param = parseContentLine(`DTSTART;TZID="${name}":20240105T093000`);
          expect(tzidKey(property?.value ?? '')).toBe(tzidKey(param?.params['TZID'] ?? ''));
        },
      ),
    );
  });
});
