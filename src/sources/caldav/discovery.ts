import { DAVClient } from 'tsdav';
import type { TalkcalError } from '../../model/errors.js';
import {
  CaldavAuthError,
  CaldavBlockedAddressError,
  CaldavCrossOriginError,
  CaldavDiscoveryError,
  CaldavMalformedResponseError,
  CaldavRedirectError,
} from './errors.js';
import { hrefUrl, sameResource } from './hrefs.js';
import { type MultistatusEntry, parseMultistatus, prop, textProp } from './multistatus.js';
import {
  type CaldavConnection,
  DavTransport,
  guardedFetch,
  normalizeConnection,
  statusError,
} from './transport.js';
import { APPLE_ICAL, CALDAV, CALENDARSERVER, childrenNamed, DAV } from './xml.js';

// From a server's base URL to its calendar collections: tsdav walks /.well-known/caldav →
// current-user-principal → calendar-home-set; one PROPFIND on the home then describes each
// collection.

export interface CaldavCollectionInfo {
  url: string;
  displayName: string | undefined;
  /** calendar-color (Apple namespace) as the server gives it, e.g. "#FF2968FF". */
  color: string | undefined;
  /** Supported components; absent on the server means every kind (RFC 4791 §5.2.3). */
  components: string[];
  ctag: string | undefined;
  syncToken: string | undefined;
}

const allComponents = ['VEVENT', 'VTODO', 'VJOURNAL'];

const isRefusal = (error: unknown): error is TalkcalError =>
  error instanceof CaldavBlockedAddressError ||
  error instanceof CaldavCrossOriginError ||
  error instanceof CaldavRedirectError;

/** Finds the calendar home of the connection's user. */
export async function discoverCalendarHome(given: CaldavConnection): Promise<string> {
  const connection = normalizeConnection(given);
  let sawUnauthorized = 0;
  // tsdav swallows a failed hop and tries the next candidate URL: keep the guard's refusal to report.
  let refused: TalkcalError | undefined;
  const fetch = guardedFetch(connection);
  const client = new DAVClient({
    serverUrl: connection.url,
    credentials:
      connection.auth.kind === 'basic'
        ? { username: connection.auth.username, password: connection.auth.password }
        : connection.auth.kind === 'bearer'
          ? { accessToken: connection.auth.token }
          : {},
    authMethod:
      connection.auth.kind === 'basic' ? 'Basic' : connection.auth.kind === 'bearer' ? 'Bearer' : 'Custom',
    authFunction: async () => ({}),
    defaultAccountType: 'caldav',
    fetch: async (input, init) => {
      const response = await fetch(input, init).catch((error: unknown) => {
        if (isRefusal(error)) refused ??= error;
        throw error;
      });
      if (response.status === 401) sawUnauthorized = 401;
      return response;
    },
  });
  try {
    await client.login({ loadCollections: false });
  } catch (error) {
    if (refused) throw refused;
    if (sawUnauthorized) throw new CaldavAuthError(connection.url, sawUnauthorized);
    if (error instanceof Error && error.name.startsWith('Caldav')) throw error;
    throw new CaldavDiscoveryError(connection.url, error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  }
  const home = client.account?.homeUrl;
  if (!home) throw new CaldavDiscoveryError(connection.url, 'the server named no calendar-home-set');
  return home;
}

function describe(homeUrl: string, entry: MultistatusEntry): CaldavCollectionInfo | undefined {
  const resourcetype = prop(entry, DAV, 'resourcetype');
  if (!resourcetype || childrenNamed(resourcetype, CALDAV, 'calendar').length === 0) return undefined;
  const componentSet = prop(entry, CALDAV, 'supported-calendar-component-set');
  const components = componentSet
    ? childrenNamed(componentSet, CALDAV, 'comp').flatMap((c) => {
        const name = c.attributes.get('name')?.toUpperCase();
        return name ? [name] : [];
      })
    : allComponents;
  return {
    url: hrefUrl(homeUrl, entry.href),
    displayName: textProp(entry, DAV, 'displayname'),
    color: textProp(entry, APPLE_ICAL, 'calendar-color'),
    components,
    ctag: textProp(entry, CALENDARSERVER, 'getctag'),
    syncToken: textProp(entry, DAV, 'sync-token'),
  };
}

/** Every calendar collection in the user's calendar home, with name, colour, components and versions. */
export async function listCollections(given: CaldavConnection): Promise<CaldavCollectionInfo[]> {
  const connection = normalizeConnection(given);
  const home = await discoverCalendarHome(connection);
  const homeUrl = home.endsWith('/') ? home : `${home}/`;
  const transport = new DavTransport(connection);
  const body = `<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:" xmlns:c="${CALDAV}" xmlns:cs="${CALENDARSERVER}" xmlns:a="${APPLE_ICAL}"><d:prop><d:resourcetype/><d:displayname/><a:calendar-color/><c:supported-calendar-component-set/><cs:getctag/><d:sync-token/></d:prop></d:propfind>`;
  const response = await transport.send('PROPFIND', homeUrl, { headers: { Depth: '1' }, body });
  if (response.status !== 207) {
    if (response.status >= 200 && response.status < 300) {
      throw new CaldavMalformedResponseError(homeUrl, `expected 207 Multi-Status, got ${response.status}`);
    }
    throw statusError(response.status, 'PROPFIND', homeUrl);
  }
  return parseMultistatus(response.body, homeUrl)
    .entries.filter((e) => !sameResource(homeUrl, e.href, homeUrl))
    .flatMap((e) => describe(homeUrl, e) ?? []);
}
