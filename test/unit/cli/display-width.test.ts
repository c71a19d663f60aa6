import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayWidth, padToWidth } from '../../../src/cli/display-width.js';
import { table } from '../../../src/cli/output.js';

const ascii = fc.stringMatching(/^[ -~]*$/);
const hangul = fc
  .array(fc.integer({ min: 0xac00, max: 0xd7a3 }), { maxLength: 20 })
  .map((codes) => String.fromCodePoint(...codes));

describe('display width', () => {
  it('counts printable ASCII as one column and Hangul syllables as two', () => {
    fc.assert(fc.property(ascii, (s) => displayWidth(s) === s.length));
    fc.assert(fc.property(hangul, (s) => displayWidth(s) === 2 * [...s].length));
    fc.assert(
      fc.property(ascii, hangul, (a, h) => displayWidth(a + h) === displayWidth(a) + displayWidth(h)),
    );
  });

  it('gives CJK, fullwidth forms and emoji two columns, marks and joined jamo none', () => {
    expect(displayWidth('회의 Meeting')).toBe(12);
    expect(displayWidth('東京')).toBe(4);
    expect(displayWidth('ＡＢ')).toBe(4);
    expect(displayWidth('🎉')).toBe(2);
    expect(displayWidth('👩‍💻')).toBe(2); // one grapheme of three code points
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('한'.normalize('NFD'))).toBe(2); // ᄒ + ᅡ + ᆫ
    expect(displayWidth('a\u200bb')).toBe(2);
  });

  it('pads to a number of columns', () => {
    expect(padToWidth('회의', 6)).toBe('회의  ');
    expect(padToWidth('abc', 2)).toBe('abc');
  });

  it('lines up table columns whatever the script of the cells', () => {
    const title = fc.oneof(
      ascii.filter((s) => !s.includes('#')),
      hangul,
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(title, fc.nat()), { minLength: 1, maxLength: 6 }), (rows) => {
        const [header, , ...lines] = table(
          rows.map(([t, n]) => ({ title: t, id: `#${n}` })),
          ['title', 'id'],
        ).split('\n');
        const idColumn = displayWidth(header!.slice(0, header!.lastIndexOf('id')));
        for (const line of lines) expect(displayWidth(line.slice(0, line.lastIndexOf('#')))).toBe(idColumn);
      }),
    );
  });
});
