import { CaldavMalformedResponseError } from './errors.js';
import { childNamed, childrenNamed, DAV, parseXml, type XmlElement, XmlSyntaxError } from './xml.js';

// Reads a 207 multistatus body into plain records, refusing anything that does not have the shape
// RFC 4918 promises (a multistatus root, an href in every response, a status or propstat).

export interface MultistatusEntry {
  /** The href exactly as the server wrote it (trimmed). */
  href: string;
  /** The response-level status (sync-collection deletions: 404), if given. */
  status: number | undefined;
  /** Properties from 2xx propstats only. */
  props: XmlElement[];
}

export interface Multistatus {
  entries: MultistatusEntry[];
  /** The multistatus-level DAV:sync-token (sync-collection answers). */
  syncToken: string | undefined;
}

export function parseStatusLine(line: string): number | undefined {
  const match = /^\s*HTTP\/\d(?:\.\d)?\s+(\d{3})/.exec(line);
  return match ? Number(match[1]) : undefined;
}

export function parseXmlBody(body: string, url: string): XmlElement {
  try {
    return parseXml(body);
  } catch (error) {
    if (error instanceof XmlSyntaxError)
      throw new CaldavMalformedResponseError(url, `invalid XML (${error.message})`);
    throw error;
  }
}

export function parseMultistatus(body: string, url: string): Multistatus {
  const root = parseXmlBody(body, url);
  if (root.ns !== DAV || root.name !== 'multistatus') {
    throw new CaldavMalformedResponseError(url, `expected a DAV:multistatus, got <${root.name}>`);
  }
  const entries = childrenNamed(root, DAV, 'response').map((response): MultistatusEntry => {
    const hrefs = childrenNamed(response, DAV, 'href');
    const href = hrefs[0]?.text.trim();
    if (!href) throw new CaldavMalformedResponseError(url, 'a response has no href');
    const statusElement = childNamed(response, DAV, 'status');
    const status = statusElement ? parseStatusLine(statusElement.text) : undefined;
    if (statusElement && status === undefined) {
      throw new CaldavMalformedResponseError(
        url,
        `unreadable status "${statusElement.text.trim()}" for ${href}`,
      );
    }
    const propstats = childrenNamed(response, DAV, 'propstat');
    if (!statusElement && propstats.length === 0) {
      throw new CaldavMalformedResponseError(url, `response for ${href} has neither status nor propstat`);
    }
    const props: XmlElement[] = [];
    for (const propstat of propstats) {
      const propstatStatus = parseStatusLine(childNamed(propstat, DAV, 'status')?.text ?? '');
      if (propstatStatus === undefined) {
        throw new CaldavMalformedResponseError(url, `propstat for ${href} has no readable status`);
      }
      if (propstatStatus >= 200 && propstatStatus < 300)
        props.push(...(childNamed(propstat, DAV, 'prop')?.children ?? []));
    }
    return { href, status, props };
  });
  const syncToken = childNamed(root, DAV, 'sync-token')?.text.trim() || undefined;
  return { entries, syncToken };
}

export function prop(entry: MultistatusEntry, ns: string, name: string): XmlElement | undefined {
  return entry.props.find((p) => p.ns === ns && p.name === name);
}

/** A text property's value, trimmed; undefined when absent or empty. */
export function textProp(entry: MultistatusEntry, ns: string, name: string): string | undefined {
  return prop(entry, ns, name)?.text.trim() || undefined;
}

/** True when a DAV:error body names the given precondition (e.g. valid-sync-token). */
export function errorBodyNames(body: string, ns: string, name: string): boolean {
  try {
    const root = parseXml(body);
    return root.ns === DAV && root.name === 'error' && childNamed(root, ns, name) !== undefined;
  } catch {
    return false;
  }
}
