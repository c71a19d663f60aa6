import type { Config } from '../../config/schema.js';
import type { SourceConfig } from '../../model/link.js';
import { CaldavStorage } from './storage.js';
import type { CaldavAuth, FetchLike } from './transport.js';

type CaldavSource = Extract<SourceConfig, { type: 'caldav' }>;

/** The auth a link's CalDAV source asks for: a bearer token wins over a username/password. */
export function authOf(source: CaldavSource): CaldavAuth {
  if (source.bearer) return { kind: 'bearer', token: source.bearer };
  if (source.username !== undefined)
    return { kind: 'basic', username: source.username, password: source.password ?? '' };
  return { kind: 'none' };
}

/** The storage for one link's CalDAV collection; read-only unless the link writes back. */
export function caldavStorageFor(
  source: CaldavSource,
  config: Pick<Config['sources']['caldav'], 'timeoutMs'>,
  options: { readOnly: boolean; fetch?: FetchLike },
): CaldavStorage {
  return new CaldavStorage({
    url: source.url,
    kind: source.component,
    auth: authOf(source),
    timeoutMs: config.timeoutMs,
    readOnly: options.readOnly,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}
