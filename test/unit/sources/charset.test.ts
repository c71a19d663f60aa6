import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { charsetOf, decodeBody } from '../../../src/sources/ics-feed/charset.js';
import { encodeEucKr } from '../../support/euc-kr.js';

const text = 'SUMMARY:Café – 회의';
const korean = 'BEGIN:VEVENT\r\nSUMMARY:주간 회의\r\nLOCATION:서울 본사 3층\r\nEND:VEVENT\r\n';
describe('charsetOf', () => {
  it('reads quoted and plain charset parameters', () => {
    expect(charsetOf('text/calendar; charset="ISO-8859-1"')).toBe('iso-8859-1');
    expect(charsetOf('text/calendar;method=PUBLISH;charset=utf-8')).toBe('utf-8');
    expect(charsetOf('text/calendar')).toBeUndefined();
    expect(charsetOf(undefined)).toBeUndefined();
  });
});

describe('decodeBody: UTF-8', () => {
  it('decodes UTF-8 with and without BOM, dropping the BOM, without warnings', () => {
    const plain = Buffer.from(text, 'utf8');
    expect(decodeBody(plain)).toEqual({ text, encoding: 'utf-8', warnings: [] });
    expect(decodeBody(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), plain]))).toEqual({
      text,
      encoding: 'utf-8',
      warnings: [],
    });
  });

  it('keeps a Korean feed with one bad byte in UTF-8 and counts the one replaced sequence', () => {
    const good = Buffer.from(korean);
    const at = good.indexOf(Buffer.from('LOCATION'));
    const bytes = Buffer.concat([good.subarray(0, at), Buffer.from([0xff]), good.subarray(at)]);
    const decoded = decodeBody(bytes, 'text/calendar; charset=utf-8');
    expect(decoded.encoding).toBe('utf-8');
    expect(decoded.text).toContain('SUMMARY:주간 회의');
    expect(decoded.text).toContain('\ufffdLOCATION:서울 본사 3층');
    expect(decoded.warnings).toEqual([
      {
        code: 'invalid-sequences',
        encoding: 'utf-8',
        replaced: 1,
        message: '1 invalid utf-8 sequence replaced with U+FFFD',
      },
    ]);
  });

  it('counts each bad sequence once, and not a U+FFFD the body really contains', () => {
    const bytes = Buffer.concat([
      Buffer.from('회의 \ufffd '),
      Buffer.from([0xed, 0x95]), // a truncated 3-byte sequence: one error
      Buffer.from(' 일정 '),
      Buffer.from([0xc0, 0xaf]), // an overlong form: two errors
    ]);
    const decoded = decodeBody(bytes);
    expect(decoded.encoding).toBe('utf-8');
    expect(decoded.warnings).toMatchObject([{ code: 'invalid-sequences', replaced: 3 }]);
  });

  it('keeps any text with a non-ASCII character as UTF-8 when one bad byte is inserted (property)', () => {
    fc.assert(
      fc.property(
        fc
          .string({ unit: 'binary', minLength: 1, maxLength: 40 })
          .filter((s) => [...s].some((c) => (c.codePointAt(0) ?? 0) >= 0x80)),
        fc.nat(),
        (s, pick) => {
          const chars = [...s];
          const k = pick % (chars.length + 1);
          const before = chars.slice(0, k).join('');
          const after = chars.slice(k).join('');
          const bytes = Buffer.concat([Buffer.from(before), Buffer.from([0xff]), Buffer.from(after)]);
          const decoded = decodeBody(bytes);
          expect(decoded.encoding).toBe('utf-8');
          expect(decoded.text).toBe(`${before}\ufffd${after}`.replace(/^\ufeff/, ''));
          expect(decoded.warnings).toMatchObject([{ code: 'invalid-sequences', replaced: 1 }]);
        },
      ),
    );
  });
});

describe('decodeBody: declared and legacy charsets', () => {
  it('decodes UTF-16 little and big endian by their BOM, whatever the header says', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    expect(decodeBody(le, 'text/calendar; charset=utf-8').text).toBe(text);
    expect(decodeBody(be).text).toBe(text);
  });

  it('honours a declared latin1 charset without a warning', () => {
    const bytes = Buffer.from('SUMMARY:Caf\xe9 M\xfcnchen', 'latin1');
    const decoded = decodeBody(bytes, 'text/calendar; charset=ISO-8859-1');
    expect(decoded.text).toBe('SUMMARY:Café München');
    expect(decoded.warnings).toEqual([]);
  });

  it.each(['euc-kr', 'ks_c_5601-1987', 'cp949'])(
    'decodes a body declared %s as EUC-KR without a warning',
    (label) => {
      const decoded = decodeBody(encodeEucKr(korean), `text/calendar; charset=${label}`);
      expect(decoded).toEqual({ text: korean, encoding: 'euc-kr', warnings: [] });
    },
  );

  it('counts the bytes a declared legacy charset cannot decode', () => {
    const bytes = Buffer.concat([encodeEucKr(korean), Buffer.from([0xc7, 0x20])]);
    const decoded = decodeBody(bytes, 'text/calendar; charset=euc-kr');
    expect(decoded.text).toContain('SUMMARY:주간 회의');
    expect(decoded.warnings).toMatchObject([{ code: 'invalid-sequences', encoding: 'euc-kr', replaced: 1 }]);
  });

  it('reads valid UTF-8 as UTF-8 behind a legacy declaration, with a warning', () => {
    const decoded = decodeBody(Buffer.from(korean), 'text/calendar; charset=iso-8859-1');
    expect(decoded.text).toBe(korean);
    expect(decoded.warnings).toMatchObject([
      { code: 'declared-charset-ignored', declared: 'windows-1252', encoding: 'utf-8' },
    ]);
  });

  it('decodes an undeclared windows-1252 body as windows-1252 and names it in a warning', () => {
    const bytes = Buffer.from('SUMMARY:Caf\xe9 \x80 na\xefve', 'latin1');
    const decoded = decodeBody(bytes);
    expect(decoded.text).toBe('SUMMARY:Café € naïve');
    expect(decoded.encoding).toBe('windows-1252');
    expect(decoded.warnings).toEqual([
      {
        code: 'legacy-charset',
        encoding: 'windows-1252',
        message: 'the body is not UTF-8 (3 invalid sequences, 0 valid multibyte); decoded as windows-1252',
      },
    ]);
  });

  it('decodes windows-1252 bytes declared as UTF-8 as windows-1252, saying it was declared otherwise', () => {
    const decoded = decodeBody(Buffer.from('SUMMARY:Caf\xe9', 'latin1'), 'text/calendar; charset=utf-8');
    expect(decoded.text).toBe('SUMMARY:Café');
    expect(decoded.warnings).toMatchObject([
      { code: 'legacy-charset', encoding: 'windows-1252', declared: 'utf-8' },
    ]);
    expect(decoded.warnings[0]?.message).toMatch(/though declared utf-8/);
  });

  it('recognises an undeclared EUC-KR body by its Hangul', () => {
    const decoded = decodeBody(encodeEucKr(korean));
    expect(decoded.text).toBe(korean);
    expect(decoded.encoding).toBe('euc-kr');
    expect(decoded.warnings).toMatchObject([{ code: 'legacy-charset', encoding: 'euc-kr' }]);
  });

  it('warns about an unknown declared charset and reads UTF-8', () => {
    const decoded = decodeBody(Buffer.from(text), 'text/calendar; charset=klingon');
    expect(decoded.text).toBe(text);
    expect(decoded.warnings).toMatchObject([{ code: 'unknown-charset', declared: 'klingon' }]);
  });
});
