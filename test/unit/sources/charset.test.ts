import { describe, expect, it } from 'vitest';
import { charsetOf, decodeBody } from '../../../src/sources/ics-feed/charset.js';

const text = 'SUMMARY:Café – 회의';

describe('charsetOf', () => {
  it('reads quoted and plain charset parameters', () => {
    expect(charsetOf('text/calendar; charset="ISO-8859-1"')).toBe('iso-8859-1');
    expect(charsetOf('text/calendar;method=PUBLISH;charset=utf-8')).toBe('utf-8');
    expect(charsetOf('text/calendar')).toBeUndefined();
    expect(charsetOf(undefined)).toBeUndefined();
  });
});

describe('decodeBody', () => {
  it('decodes UTF-8 with and without BOM, dropping the BOM', () => {
    const plain = Buffer.from(text, 'utf8');
    expect(decodeBody(plain)).toEqual({ text, encoding: 'utf-8' });
    expect(decodeBody(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), plain]))).toEqual({
      text,
      encoding: 'utf-8',
    });
  });

  it('decodes UTF-16 little and big endian by their BOM, whatever the header says', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    expect(decodeBody(le, 'text/calendar; charset=utf-8').text).toBe(text);
    expect(decodeBody(be).text).toBe(text);
  });

  it('honours a declared latin1 charset', () => {
    const bytes = Buffer.from('SUMMARY:Caf\xe9 M\xfcnchen', 'latin1');
    const decoded = decodeBody(bytes, 'text/calendar; charset=ISO-8859-1');
    expect(decoded.text).toBe('SUMMARY:Café München');
    expect(decoded.warning).toBeUndefined();
  });

  it('falls back to windows-1252 with a warning when the bytes are not valid UTF-8', () => {
    const bytes = Buffer.from('SUMMARY:Caf\xe9 \x80', 'latin1');
    const decoded = decodeBody(bytes, 'text/calendar; charset=utf-8');
    expect(decoded.text).toBe('SUMMARY:Café €');
    expect(decoded.encoding).toBe('windows-1252');
    expect(decoded.warning).toMatch(/not valid utf-8/);
    expect(decodeBody(bytes).encoding).toBe('windows-1252');
  });

  it('warns about an unknown declared charset and reads UTF-8', () => {
    const decoded = decodeBody(Buffer.from(text), 'text/calendar; charset=klingon');
    expect(decoded.text).toBe(text);
    expect(decoded.warning).toMatch(/unknown charset/);
  });
});
