// Running the emulator on its own (`npm run emulator`, `talkcal emulator`): option checks and the
// foreground loop, shared by both entry points.
import { type EmulatorOptions, startEmulator } from './server.js';

export interface StandaloneArgs {
  port: string;
  host: string;
  quota?: string | undefined;
  latencyMs?: string | undefined;
  logger?: boolean | undefined;
}

/** Checks the command-line values; the returned string says what is wrong with the first bad one. */
export function standaloneOptions(args: StandaloneArgs): EmulatorOptions | string {
  const port = Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    return `--port must be 0..65535, got ${args.port}`;
  const quota = args.quota === undefined ? undefined : Number(args.quota);
  if (quota !== undefined && !(Number.isInteger(quota) && quota > 0)) {
    return `--quota must be a positive integer (calls per day), got ${args.quota}`;
  }
  const latencyMs = args.latencyMs === undefined ? undefined : Number(args.latencyMs);
  if (latencyMs !== undefined && !(Number.isFinite(latencyMs) && latencyMs >= 0)) {
    return `--latency-ms must be a number ≥ 0, got ${args.latencyMs}`;
  }
  return {
    host: args.host,
    port,
    logger: args.logger === true,
    ...(quota !== undefined ? { quota: { enabled: true, daily: quota } } : {}),
    ...(latencyMs !== undefined ? { latencyMs } : {}),
  };
}

/** Starts the emulator, prints its URL and a seeded demo user's tokens, and runs until SIGINT/SIGTERM. */
export async function runStandalone(options: EmulatorOptions): Promise<void> {
  const emulator = await startEmulator(options);
  const demo = emulator.admin.createUser({ userId: 'demo' });
  console.log(`Kakao Talk Calendar emulator listening on ${emulator.url}`);
  console.log(`  apiBaseUrl = authBaseUrl = ${emulator.url}`);
  console.log(`  REST API key (client_id): emulator-rest-api-key   admin key: emulator-admin-key`);
  console.log(`  demo user ${demo.userId}`);
  console.log(`    access token:  ${demo.accessToken}`);
  console.log(`    refresh token: ${demo.refreshToken}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await emulator.close();
}
