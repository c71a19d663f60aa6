import { isIP } from 'node:net';
import { blockedAddressReason, normaliseHost } from '../ssrf.js';
import { FeedBlockedAddressError } from './errors.js';

// A feed URL whose host is written as a refused address (127.0.0.1, [::1], 10.x, 169.254.169.254 …)
// or as localhost can be refused when the link is added, without any network I/O; host names are
// resolved and checked at every sync, on every hop, by the guard itself (ssrf.ts).

/** Throws FeedBlockedAddressError when the URL's host is a refused literal address or localhost. */
export function refuseBlockedFeedHost(feedUrl: string, allowHosts: readonly string[]): void {
  let hostname: string;
  try {
    hostname = new URL(feedUrl).hostname;
  } catch {
    return; // not a URL: the link's own validation says so
  }
  const host = normaliseHost(hostname);
  if (host === '' || allowHosts.some((allowed) => normaliseHost(allowed) === host)) return;
  if (host === 'localhost' || host.endsWith('.localhost'))
    throw new FeedBlockedAddressError(feedUrl, host, 'localhost is a loopback host name');
  if (isIP(host) === 0) return;
  const reason = blockedAddressReason(host);
  if (reason) throw new FeedBlockedAddressError(feedUrl, host, `${host} is a ${reason}`);
}
