// HTTP caching of feed answers: which representation (gzip or identity) a client gets, its strong
// ETag, and whether a conditional request is answered 304 (RFC 9110 §13). Pure.

/** The client accepts gzip (Accept-Encoding lists gzip or * with a q above zero). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let gzip: number | undefined;
  let star: number | undefined;
  for (const part of header.split(',')) {
    const [coding = '', ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (coding.trim() === 'gzip') gzip = Number.isNaN(q) ? 0 : q;
    else if (coding.trim() === '*') star = Number.isNaN(q) ? 0 : q;
  }
  return (gzip ?? star ?? 0) > 0;
}

/** Strong ETags differ per representation (the gzip bytes are not the identity bytes). */
export function etagOf(hash: string, gzip: boolean): string {
  return gzip ? `"${hash}-gz"` : `"${hash}"`;
}

/**
 * 304 when If-None-Match names this content (either representation: the weak comparison of
 * §13.1.2 applies to GET), or, without If-None-Match, when If-Modified-Since is not before
 * Last-Modified.
 */
export function notModified(
  headers: { ifNoneMatch?: string | undefined; ifModifiedSince?: string | undefined },
  hash: string,
  lastModified: Date,
): boolean {
  if (headers.ifNoneMatch !== undefined) {
    const tags = headers.ifNoneMatch.split(',').map((t) => t.trim().replace(/^W\//, ''));
    return tags.some((t) => t === '*' || t === etagOf(hash, false) || t === etagOf(hash, true));
  }
  if (headers.ifModifiedSince !== undefined) {
    const since = Date.parse(headers.ifModifiedSince);
    return !Number.isNaN(since) && Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
  }
  return false;
}
