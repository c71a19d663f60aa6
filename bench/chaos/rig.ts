import { randomUUID } from 'node:crypto';
import { deepMerge } from '../../src/config/load.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/server.js';
import { type FeedHost, startFeedHost } from './feed-host.js';
import { type AofRedis, startAofRedis } from './redis-server.js';
import type { Rng } from './rng.js';
import { Scope } from './scope.js';
import { daemonOverrides } from './settings.js';

// What every scenario shares: the Kakao emulator (in this process, over real HTTP on loopback, its
// fault draws seeded), the run's own redis-server with an append-only file, and the feed server.

/** Latency the emulator adds to every API call (a network hop to Kakao, roughly). */
export const emulatorLatencyMs = 5;

export interface Rig {
  emulator: RunningEmulator;
  redis: AofRedis;
  feeds: FeedHost;
  overrides: Record<string, unknown>;
  rng: Rng;
  /** A fresh key prefix with the harness's context on it (`extra` merged over the run's overrides). */
  scope(name: string, extra?: Record<string, unknown>): Scope;
  close(): Promise<void>;
}

export async function startRig(rng: Rng, quick: boolean): Promise<Rig> {
  const faultDraws = rng.fork();
  const emulator = await startEmulator({
    host: '127.0.0.1',
    port: 0,
    latencyMs: emulatorLatencyMs,
    random: () => faultDraws.next(),
  });
  const redis = await startAofRedis();
  const feeds = await startFeedHost();
  const overrides = daemonOverrides({ redisUrl: redis.url, emulatorUrl: emulator.url }, quick);
  const scopes: Scope[] = [];
  return {
    emulator,
    redis,
    feeds,
    overrides,
    rng,
    scope(name, extra = {}) {
      const prefix = `chaos-${name}-${randomUUID().slice(0, 8)}`;
      const scope = new Scope(prefix, deepMerge(overrides, extra), emulator);
      scopes.push(scope);
      return scope;
    },
    async close() {
      for (const s of scopes) await s.close().catch(() => {});
      await feeds.close();
      await emulator.close();
      await redis.stop();
    },
  };
}
