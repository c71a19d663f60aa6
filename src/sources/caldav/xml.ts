// A small namespace-aware XML reader for WebDAV multistatus bodies. tsdav's parser trims text,
// turns numeric-looking text into numbers and hides parse failures; the storage must hand back
// calendar data exactly as sent and reject hostile bodies, so responses are read here instead.
// DOCTYPEs are refused (no entity expansion) and nesting is bounded.

export interface XmlElement {
  /** Namespace URI ('' when none). */
  ns: string;
  /** Local name without prefix. */
  name: string;
  /** Attributes other than namespace declarations, by their qualified name as written. */
  attributes: Map<string, string>;
  children: XmlElement[];
  /** Direct text and CDATA content, entity-decoded, untrimmed. */
  text: string;
}

export class XmlSyntaxError extends Error {}

const maxDepth = 64;
const namedEntities: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&([^;&\s]{1,10});/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code =
        ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      if (!Number.isInteger(code) || code < 0 || code > 0x10ffff)
        throw new XmlSyntaxError(`bad character reference ${whole}`);
      return String.fromCodePoint(code);
    }
    const named = namedEntities[ref];
    if (named === undefined) throw new XmlSyntaxError(`unknown entity ${whole}`);
    return named;
  });
}

interface OpenElement {
  element: XmlElement;
  qname: string;
  scope: Map<string, string>;
}

function resolve(qname: string, scope: Map<string, string>): { ns: string; name: string } {
  const colon = qname.indexOf(':');
  const prefix = colon === -1 ? '' : qname.slice(0, colon);
  const name = colon === -1 ? qname : qname.slice(colon + 1);
  const ns = scope.get(prefix);
  if (ns === undefined && prefix !== '') throw new XmlSyntaxError(`undeclared namespace prefix ${prefix}`);
  return { ns: ns ?? '', name };
}

const attributePattern = /([^\s=/>]+)\s*=\s*("([^"]*)"|'([^']*)')/y;

function parseStartTag(
  source: string,
  start: number,
): { qname: string; attrs: Map<string, string>; end: number; selfClosing: boolean } {
  const nameMatch = /[^\s/>]+/y;
  nameMatch.lastIndex = start;
  const qname = nameMatch.exec(source)?.[0];
  if (!qname) throw new XmlSyntaxError(`element without a name at ${start}`);
  let i = start + qname.length;
  const attrs = new Map<string, string>();
  for (;;) {
    while (i < source.length && /\s/.test(source[i]!)) i++;
    if (source.startsWith('/>', i)) return { qname, attrs, end: i + 2, selfClosing: true };
    if (source[i] === '>') return { qname, attrs, end: i + 1, selfClosing: false };
    attributePattern.lastIndex = i;
    const m = attributePattern.exec(source);
    if (!m) throw new XmlSyntaxError(`malformed attribute in <${qname}> at ${i}`);
    attrs.set(m[1]!, decodeEntities(m[3] ?? m[4] ?? ''));
    i = attributePattern.lastIndex;
  }
}

/** Parses a whole document and returns its root element; throws XmlSyntaxError on anything malformed. */
export function parseXml(source: string): XmlElement {
  const stack: OpenElement[] = [];
  let root: XmlElement | undefined;
  let i = source.charCodeAt(0) === 0xfeff ? 1 : 0;
  const appendText = (text: string) => {
    const top = stack.at(-1);
    if (top) top.element.text += text;
    else if (text.trim() !== '') throw new XmlSyntaxError('text outside the root element');
  };
  while (i < source.length) {
    const lt = source.indexOf('<', i);
    if (lt === -1) {
      appendText(decodeEntities(source.slice(i)));
      break;
    }
    if (lt > i) appendText(decodeEntities(source.slice(i, lt)));
    const closeOf = (marker: string, from: number) => {
      const at = source.indexOf(marker, from);
      if (at === -1) throw new XmlSyntaxError(`unterminated construct at ${lt}`);
      return at;
    };
    if (source.startsWith('<?', lt)) i = closeOf('?>', lt) + 2;
    else if (source.startsWith('<!--', lt)) i = closeOf('-->', lt) + 3;
    else if (source.startsWith('<![CDATA[', lt)) {
      const end = closeOf(']]>', lt);
      appendText(source.slice(lt + 9, end));
      i = end + 3;
    } else if (source.startsWith('<!', lt))
      throw new XmlSyntaxError('DOCTYPE and declarations are not accepted');
    else if (source.startsWith('</', lt)) {
      const end = closeOf('>', lt);
      const qname = source.slice(lt + 2, end).trim();
      const top = stack.pop();
      if (!top || top.qname !== qname) throw new XmlSyntaxError(`unexpected closing tag </${qname}>`);
      i = end + 1;
    } else {
      if (root && stack.length === 0) throw new XmlSyntaxError('more than one root element');
      if (stack.length >= maxDepth) throw new XmlSyntaxError('elements nested too deeply');
      const tag = parseStartTag(source, lt + 1);
      const parentScope = stack.at(-1)?.scope ?? new Map<string, string>();
      let scope = parentScope;
      for (const [attr, value] of tag.attrs) {
        if (attr === 'xmlns' || attr.startsWith('xmlns:')) {
          if (scope === parentScope) scope = new Map(parentScope);
          scope.set(attr === 'xmlns' ? '' : attr.slice(6), value);
        }
      }
      const attributes = new Map(
        [...tag.attrs].filter(([name]) => name !== 'xmlns' && !name.startsWith('xmlns:')),
      );
      const element: XmlElement = { ...resolve(tag.qname, scope), attributes, children: [], text: '' };
      const parent = stack.at(-1);
      if (parent) parent.element.children.push(element);
      else root = element;
      if (!tag.selfClosing) stack.push({ element, qname: tag.qname, scope });
      i = tag.end;
    }
  }
  if (stack.length > 0) throw new XmlSyntaxError(`unclosed element <${stack.at(-1)!.qname}>`);
  if (!root) throw new XmlSyntaxError('no root element');
  return root;
}

export const DAV = 'DAV:';
export const CALDAV = 'urn:ietf:params:xml:ns:caldav';
export const CALENDARSERVER = 'http://calendarserver.org/ns/';
export const APPLE_ICAL = 'http://apple.com/ns/ical/';

export function childrenNamed(element: XmlElement, ns: string, name: string): XmlElement[] {
  return element.children.filter((c) => c.ns === ns && c.name === name);
}

export function childNamed(element: XmlElement, ns: string, name: string): XmlElement | undefined {
  return element.children.find((c) => c.ns === ns && c.name === name);
}
