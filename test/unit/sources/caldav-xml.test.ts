import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { childNamed, DAV, parseXml, XmlSyntaxError } from '../../../src/sources/caldav/xml.js';

const escapeXmlText = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

describe('parseXml', () => {
  it('resolves namespace prefixes and default namespaces', () => {
    const root = parseXml(
      '<?xml version="1.0"?><D:multistatus xmlns:D="DAV:"><D:response><href xmlns="DAV:">/a.ics</href></D:response></D:multistatus>',
    );
    expect(root).toMatchObject({ ns: DAV, name: 'multistatus' });
    const response = childNamed(root, DAV, 'response');
    expect(response && childNamed(response, DAV, 'href')?.text).toBe('/a.ics');
  });

  it('keeps text exactly: CRLF, CDATA, entities and character references', () => {
    const root = parseXml('<x>BEGIN:VCALENDAR\r\nA&amp;B&#13;&#x41;<![CDATA[<raw>&amp;]]>\r\n</x>');
    expect(root.text).toBe('BEGIN:VCALENDAR\r\nA&B\rA<raw>&amp;\r\n');
  });

  it('reads attributes without namespace declarations', () => {
    const root = parseXml(`<c:comp xmlns:c="urn:x" name='VEVENT' other="a&quot;b"/>`);
    expect([...root.attributes]).toEqual([
      ['name', 'VEVENT'],
      ['other', 'a"b'],
    ]);
  });

  it.each([
    ['mismatched tags', '<a><b></a></b>'],
    ['unclosed element', '<a><b></b>'],
    ['undeclared prefix', '<d:a></d:a>'],
    ['a DOCTYPE (entity expansion)', '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'],
    ['an unknown entity', '<a>&nbsp;</a>'],
    ['two roots', '<a/><b/>'],
    ['text only', 'not xml at all'],
    ['an empty body', ''],
    ['deep nesting', `${'<a>'.repeat(100)}${'</a>'.repeat(100)}`],
    ['a broken attribute', '<a b=c></a>'],
  ])('rejects %s', (_case, source) => {
    expect(() => parseXml(source)).toThrow(XmlSyntaxError);
  });

  it('returns any escaped text unchanged (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(parseXml(`<a xmlns="DAV:">${escapeXmlText(text)}</a>`).text).toBe(text);
      }),
    );
  });

  it('never throws anything but XmlSyntaxError on arbitrary input (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (junk) => {
        try {
          parseXml(junk);
        } catch (error) {
          expect(error).toBeInstanceOf(XmlSyntaxError);
        }
      }),
    );
  });
});
