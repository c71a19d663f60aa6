import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDaemonContext } from '../../../src/daemon/context.js';
import { PortUnavailableError } from '../../../src/daemon/errors.js';
import { runDaemon } from '../../../src/daemon/run.js';
import { deletePrefix, testConfig } from './helpers.js';

// A daemon whose port is taken fails to start with PortUnavailableError and stops what it had
// started (its worker leaves the queue), so the process can end.

describe('a daemon start that fails', () => {
  let busy: Server;
  let port = 0;
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    port = (busy.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => busy.close(resolve));
  });

  it('names the busy port and leaves no worker behind', async () => {
    const config = testConfig({ http: { host: '127.0.0.1', port, adminToken: 'admin-secret-token' } });
    const started = runDaemon(config, { api: true, worker: true, holidaySchedule: false });
    await expect(started).rejects.toThrow(PortUnavailableError);
    await expect(started).rejects.toThrow(`cannot listen on 127.0.0.1:${port}: the port is in use`);
    const probe = createDaemonContext(config);
    try {
      expect(await probe.queue.workerCount()).toBe(0);
    } finally {
      await probe.close();
      await deletePrefix(config.redis.keyPrefix);
    }
  });
});
