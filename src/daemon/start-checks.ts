import { createServer } from 'node:net';
import type { Config } from '../config/schema.js';
import { KakaoAppKeyMissingError, portError } from './errors.js';

// Checks `talkcal start` and `talkcal worker` make before the daemon loads its HTTP server, worker
// and thread pool (seconds of start-up on a busy machine), so a mistake is one line at once.

/** Kakao's own API host: a daemon talking to it needs the app's REST API key. */
const kakaoApiHost = 'kapi.kakao.com';

/**
 * Refuses an empty kakao.restApiKey when the daemon talks to Kakao itself: every token refresh and
 * the connect flow would fail later, user by user. The emulator (any other API host) needs none.
 */
export function ensureKakaoAppKey(kakao: Config['kakao']): void {
  if (kakao.restApiKey.trim() !== '') return;
  if (new URL(kakao.apiBaseUrl).hostname.toLowerCase() !== kakaoApiHost) return;
  throw new KakaoAppKeyMissingError();
}

/** Where each port is set, for the message of a port that cannot be listened on. */
export const portSettings = {
  http: 'http.port, TALKCAL_HTTP__PORT',
  metrics: 'http.metricsPort, TALKCAL_HTTP__METRICS_PORT',
  workerMetrics: '--metrics-port',
};

/**
 * A port in use is found before the daemon loads: the listen is tried and released at once. The
 * daemon's own listen still reports a port taken in between.
 */
export async function ensurePortFree(host: string, port: number, setting: string): Promise<void> {
  if (port === 0) return;
  const server = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host, port, exclusive: true }, resolve);
    });
  } catch (error) {
    throw portError(error, host, port, setting);
  }
  await new Promise((resolve) => server.close(resolve));
}
