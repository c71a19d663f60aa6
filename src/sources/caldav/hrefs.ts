import { createHash } from 'node:crypto';

// Object hrefs: the deterministic name we create items under, and the one normal form (an absolute
// path) in which hrefs from servers are handed to the engine and compared.

/** `<collection path>/<sha256 of the UID>.ics`: the same UID always lands on the same href. */
export function objectHrefFor(collectionUrl: string, uid: string): string {
  const base = new URL(collectionUrl);
  const dir = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  return `${dir}${createHash('sha256').update(uid, 'utf8').digest('hex')}.ics`;
}

/** The absolute path of an href given relative or absolute by a server. */
export function normalizeHref(collectionUrl: string, href: string): string {
  const base = new URL(collectionUrl.endsWith('/') ? collectionUrl : `${collectionUrl}/`);
  // Xandikos writes some hrefs as an escaped absolute URL ("http%3A//host%3A8080/path").
  const unescaped = /^https?%3A\/\//i.test(href) ? decodeURIComponent(href) : href;
  return new URL(unescaped, base).pathname;
}

/** The full URL to send a request for an href to. */
export function hrefUrl(collectionUrl: string, href: string): string {
  const base = new URL(collectionUrl.endsWith('/') ? collectionUrl : `${collectionUrl}/`);
  return new URL(href, base).href;
}

function canonicalPath(path: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    decoded = path;
  }
  return decoded.endsWith('/') ? decoded.slice(0, -1) : decoded;
}

/** Whether two hrefs name the same resource (percent-encoding and a trailing slash aside). */
export function sameResource(collectionUrl: string, a: string, b: string): boolean {
  return canonicalPath(normalizeHref(collectionUrl, a)) === canonicalPath(normalizeHref(collectionUrl, b));
}
