/** Strips credentials from a URL before it is logged or stored in a status. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username || u.password) {
      u.username = u.username ? '[redacted]' : '';
      u.password = '';
    }
    // Secret feed links carry their token in the path (Google's /private-<hex>/basic.ics, …).
    u.pathname = u.pathname
      .split('/')
      .map((seg) =>
        seg.replace(/[A-Za-z0-9_-]{20,}/g, (m) => (/\d/.test(m) && /[A-Za-z]/.test(m) ? '[redacted]' : m)),
      )
      .join('/');
    for (const key of [...u.searchParams.keys()]) {
      if (/token|key|secret|password|auth/i.test(key)) u.searchParams.set(key, '[redacted]');
    }
    return u.toString();
  } catch {
    return '[unparseable url]';
  }
}
