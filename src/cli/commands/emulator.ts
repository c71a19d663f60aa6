import type { Command } from 'commander';
import { startEmulator } from '../../emulator/server.js';

// talkcal emulator: runs the Kakao Talk Calendar emulator in the foreground (tests, demo, local dev).

export function register(program: Command): void {
  program
    .command('emulator')
    .description('run the Kakao Talk Calendar emulator (API + OAuth on one local origin)')
    .option('-p, --port <port>', 'port to listen on (0 = a free port)', '0')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--quota <daily>', 'enforce a daily Talk Calendar quota (e.g. 30000)')
    .option('--latency-ms <ms>', 'delay added to every API request')
    .action(async (opts: { port: string; host: string; quota?: string; latencyMs?: string }) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65_535) {
        program.error(`talkcal emulator: --port must be an integer 0..65535, got ${opts.port}`);
      }
      const emulator = await startEmulator({
        host: opts.host,
        port,
        ...(opts.quota ? { quota: { enabled: true, daily: Number(opts.quota) } } : {}),
        ...(opts.latencyMs ? { latencyMs: Number(opts.latencyMs) } : {}),
      });
      const demo = emulator.admin.createUser({ userId: 'demo' });
      console.log(`Kakao Talk Calendar emulator on ${emulator.url} (use it as apiBaseUrl and authBaseUrl)`);
      console.log(`client_id emulator-rest-api-key, admin key emulator-admin-key`);
      console.log(`demo user ${demo.userId}: access token ${demo.accessToken}`);
      console.log(`                 refresh token ${demo.refreshToken}`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await emulator.close();
    });
}
