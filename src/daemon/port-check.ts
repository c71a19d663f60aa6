import { createServer } from 'node:net';
import { portError } from './errors.js';

// A port in use is found before the daemon loads its HTTP server, worker and thread pool (seconds
// of start-up on a busy machine): the listen is tried and released at once. The daemon's own listen
// still reports a port taken in between.

/** Where each port is set, for the message of a port that cannot be listened on. */
export const portSettings = { http: 'http.port, TALKCAL_HTTP__PORT', workerMetrics: '--metrics-port' };

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
