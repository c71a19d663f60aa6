import type { Config } from '../../config/schema.js';
import type { SourceConfig } from '../../model/link.js';
import { CaldavStorage } from './storage.js';
import type { CaldavAuth, CaldavConnection, FetchLike } from './transport.js';

type CaldavSource = Extract<SourceConfig, { type: 'caldav' }>;

/** The auth a link's CalDAV source asks for: a bearer token wins over a username/password. */
export function authOf(source: CaldavSource): CaldavAuth {
  if (source.bearer) return { kind: 'bearer', token: source.bearer };
  if (source.username !== undefined)
    return { kind: 'basic', username: source.username, password: source.password ?? '' };
  return { kind: 'none' };
}

/** The connection settings of a CalDAV source under the configured network rules. */
export function caldavConnectionOf(
  source: CaldavSource,
  sources: Pick<Config['sources'], 'caldav' | 'allowHosts'>,
): CaldavConnection {
  return {
    url: source.url,
    auth: authOf(source),
    timeoutMs: sources.caldav.timeoutMs,
    maxRedirects: sources.caldav.maxRedirects,
    allowHosts: sources.allowHosts,
  };
}

/** The storage for one link's CalDAV collection; read-only unless the link writes back. */
export function caldavStorageFor(
  source: CaldavSource,
  sources: Pick<Config['sources'], 'caldav' | 'allowHosts'>,
  options: { readOnly: boolean; fetch?: FetchLike; maxItems?: number },
): CaldavStorage {
  return new CaldavStorage({
    ...caldavConnectionOf(source, sources),
    kind: source.component,
    readOnly: options.readOnly,
    ...(options.maxItems !== undefined ? { maxItems: options.maxItems } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}
