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
  'metricsToken',
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

// In its own module so that what needs only it (the Redis factory) does not load pino.
export { safeUrl } from './safe-url.js';
