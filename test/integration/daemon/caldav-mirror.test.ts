import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningDaemon, runDaemon } from '../../../src/daemon/run.js';
import { subscribeUser, unsubscribeUser } from '../../../src/daemon/subscription-service.js';
import { addUser } from '../../../src/daemon/user-service.js';
import { type RunningEmulator, startEmulator } from '../../../src/emulator/server.js';
import { type CaldavTestServer, makeCalendar, startRadicale } from '../helpers/caldav-servers.js';
import { readAll, storageOn } from '../sync/caldav-harness.js';
import { deletePrefix, testConfig } from './helpers.js';

// The daemon end to end: a two-way CalDAV link asking for its user's subscribed calendar gets it
// written into its Radicale collection after a sync, with no Kakao call beyond the subscription's
// own listings; unsubscribed, the objects leave at the next sync.

const baseball = 'subscribe_65f0000000000000000000b1';

describe('daemon: subscribed calendar mirrored into a CalDAV collection', () => {
  let emulator: RunningEmulator;
  let radicale: CaldavTestServer;
  let daemon: RunningDaemon;
  let config: ReturnType<typeof testConfig>;

  beforeAll(async () => {
    emulator = await startEmulator({ host: '127.0.0.1', port: 0 });
    radicale = await startRadicale();
    config = testConfig({
      kakao: {
        apiBaseUrl: emulator.url,
        authBaseUrl: emulator.url,
        restApiKey: 'emulator-rest-api-key',
        adminKey: 'emulator-admin-key',
      },
      sources: { allowHosts: ['127.0.0.1'] },
      quota: { dailyBudget: 30_000, perSecond: 1000, writeReserve: 0.2 },
    });
    daemon = await runDaemon(config, { api: false, worker: true });
  });
  afterAll(async () => {
    await daemon?.stop();
    await radicale?.stop();
    await emulator?.close();
    await deletePrefix(config.redis.keyPrefix);
  });

  it('writes the subscribed calendar after a sync and removes it after unsubscribing', async () => {
    const k = emulator.admin.createUser();
    await addUser(daemon.ctx, {
      id: k.userId,
      tokens: { accessToken: k.accessToken, refreshToken: k.refreshToken, expiresIn: k.expiresIn },
    });
    const collection = await makeCalendar(radicale, { components: ['VEVENT'] });
    const auth = radicale.auth;
    await daemon.ctx.registry.links.put(k.userId, {
      id: 'dav',
      source: {
        type: 'caldav',
        url: collection,
        component: 'event',
        ...(auth.kind === 'basic' ? { username: auth.username, password: auth.password } : {}),
      },
      target: { kind: 'primary' },
      direction: 'two-way',
      mirror: { subscribed: true },
    });
    await subscribeUser(daemon.ctx, k.userId, baseball);
    const { outcome } = await daemon.ctx.queue.triggerAndWait(k.userId, { force: true });
    const storage = storageOn(radicale, collection, 'event');
    const objects = await readAll(storage);
    expect(objects.length).toBeGreaterThan(20);
    expect(objects.every((o) => /UID:[^\r\n]*@mirror\.talkcal-sync/.test(o.ics))).toBe(true);
    expect(objects.some((o) => o.ics.includes('SUMMARY:Weekend game'))).toBe(true);
    const link = (outcome as { result?: { links: { linkId: string; mirror?: unknown }[] } }).result?.links[0];
    expect(link?.mirror).toEqual({ written: objects.length, deleted: 0 });
    expect(emulator.admin.events(k.userId)).toEqual([]);

    await unsubscribeUser(daemon.ctx, k.userId, baseball);
    await daemon.ctx.queue.triggerAndWait(k.userId);
    expect(await readAll(storage)).toEqual([]);
  });
});
