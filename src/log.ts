import pino, { type DestinationStream, type Logger } from 'pino';

// Secrets never reach a log line: every path below is censored wherever it appears (two levels deep
// for nested objects such as `user.tokens.accessToken` or `req.headers.authorization`).
const secretKeys = [
  'authorization',
  'Authorization',
  'accessToken',
  'refreshToken',
  'access_token',
  'refresh_token',
  'adminKey',
  'admin_key',
  'adminToken',
  'password',
  'secret',
  'secretKeys',
  'clientSecret',
  'client_secret',
  'token',
  'credentials',
];

export const redactPaths = [
  ...secretKeys,
  ...secretKeys.map((k) => `*.${k}`),
  ...secretKeys.map((k) => `*.*.${k}`),
  ...secretKeys.map((k) => `*.*.*.${k}`),
];

export type { Logger };

export function createLogger(
  options: { level?: string; name?: string } = {},
  destination?: DestinationStream,
): Logger {
  return pino(
    {
      name: options.name ?? 'talkcal',
      level: options.level ?? 'info',
      redact: { paths: redactPaths, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

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
