import { defineConfig } from 'vitest/config';

// Two projects: `unit` never touches the network or Redis; `integration` talks to real Redis,
// real HTTP servers (the emulator, local feeds) and real CalDAV servers.
export default defineConfig({
  test: {
    env: { TZ: 'UTC' },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          env: { TZ: 'UTC' },
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/contract/**/*.test.ts'],
          env: { TZ: 'UTC' },
          // Generous: tests that start CLI and worker processes take seconds each on a loaded CI
          // machine, and none should run near its limit.
          testTimeout: 180_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
