import { CaldavMalformedResponseError, CaldavSyncTokenInvalidError } from './errors.js';
import { errorBodyNames, type MultistatusEntry, parseMultistatus, textProp } from './multistatus.js';
import { type DavTransport, isSuccess, statusError } from './transport.js';
import { CALDAV, CALENDARSERVER, DAV } from './xml.js';

// The WebDAV/CalDAV requests the storage makes, each one function: build the body, send it, check
// the status, parse the multistatus. No state here.

const xmlHeader = '<?xml version="1.0" encoding="utf-8"?>\n';

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function report(transport: DavTransport, method: string, url: string, depth: '0' | '1', body: string) {
  const response = await transport.send(method, url, { headers: { Depth: depth }, body });
  if (response.status !== 207) {
    if (isSuccess(response.status)) {
      throw new CaldavMalformedResponseError(
        url,
        `expected 207 Multi-Status for ${method}, got ${response.status}`,
      );
    }
    throw statusError(response.status, method, url);
  }
  return parseMultistatus(response.body, url);
}

export interface CollectionState {
  ctag: string | undefined;
  syncToken: string | undefined;
}

/** PROPFIND depth 0 on the collection: its ctag and sync-token (either may be absent). */
export async function readCollectionState(transport: DavTransport, url: string): Promise<CollectionState> {
  const body = `${xmlHeader}<d:propfind xmlns:d="DAV:" xmlns:cs="${CALENDARSERVER}"><d:prop><cs:getctag/><d:sync-token/></d:prop></d:propfind>`;
  const { entries } = await report(transport, 'PROPFIND', url, '0', body);
  const entry = entries[0];
  if (!entry) throw new CaldavMalformedResponseError(url, 'PROPFIND of the collection returned no response');
  return { ctag: textProp(entry, CALENDARSERVER, 'getctag'), syncToken: textProp(entry, DAV, 'sync-token') };
}

/** PROPFIND depth 0 on one object: its current ETag, or undefined when it does not exist. */
export async function readEtag(transport: DavTransport, url: string): Promise<string | undefined> {
  const body = `${xmlHeader}<d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>`;
  const response = await transport.send('PROPFIND', url, { headers: { Depth: '0' }, body });
  if (response.status === 404 || response.status === 410) return undefined;
  if (response.status !== 207) throw statusError(response.status, 'PROPFIND', url);
  const entry = parseMultistatus(response.body, url).entries[0];
  const etag = entry ? textProp(entry, DAV, 'getetag') : undefined;
  if (!etag) throw new CaldavMalformedResponseError(url, 'the object has no ETag');
  return etag;
}

/**
 * RFC 6578 sync-collection with only DAV:getetag (no calendar data). Follows 507 truncation by
 * asking again with the token of the partial answer. An expired token → CaldavSyncTokenInvalidError.
 */
export async function syncCollection(
  transport: DavTransport,
  url: string,
  syncToken: string,
): Promise<{ entries: MultistatusEntry[]; syncToken: string }> {
  const entries: MultistatusEntry[] = [];
  let token = syncToken;
  for (let round = 0; round < 1000; round++) {
    const body = `${xmlHeader}<d:sync-collection xmlns:d="DAV:"><d:sync-token>${escapeXml(token)}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`;
    const response = await transport.send('REPORT', url, { headers: { Depth: '0' }, body });
    if (response.status !== 207) {
      const invalid =
        errorBodyNames(response.body, DAV, 'valid-sync-token') ||
        (response.status >= 400 && response.status < 500 && ![401, 404, 410].includes(response.status));
      if (invalid) throw new CaldavSyncTokenInvalidError(url);
      throw statusError(response.status, 'REPORT', url);
    }
    const answer = parseMultistatus(response.body, url);
    if (!answer.syncToken)
      throw new CaldavMalformedResponseError(url, 'sync-collection answer has no sync-token');
    const truncated = answer.entries.some((e) => e.status === 507);
    entries.push(...answer.entries.filter((e) => e.status !== 507));
    if (!truncated || answer.syncToken === token) return { entries, syncToken: answer.syncToken };
    token = answer.syncToken;
  }
  throw new CaldavMalformedResponseError(url, 'sync-collection kept answering 507 (truncated)');
}

/** calendar-query for the hrefs and ETags of every VEVENT (or VTODO) object, without their data. */
export async function listEtags(
  transport: DavTransport,
  url: string,
  component: 'VEVENT' | 'VTODO',
): Promise<MultistatusEntry[]> {
  const body = `${xmlHeader}<c:calendar-query xmlns:d="DAV:" xmlns:c="${CALDAV}"><d:prop><d:getetag/></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="${component}"/></c:comp-filter></c:filter></c:calendar-query>`;
  return (await report(transport, 'REPORT', url, '1', body)).entries;
}

/** calendar-multiget: ETag and calendar data of the given hrefs in one request. */
export async function multiget(
  transport: DavTransport,
  url: string,
  hrefs: string[],
): Promise<MultistatusEntry[]> {
  const hrefXml = hrefs.map((h) => `<d:href>${escapeXml(h)}</d:href>`).join('');
  const body = `${xmlHeader}<c:calendar-multiget xmlns:d="DAV:" xmlns:c="${CALDAV}"><d:prop><d:getetag/><c:calendar-data/></d:prop>${hrefXml}</c:calendar-multiget>`;
  return (await report(transport, 'REPORT', url, '1', body)).entries;
}
