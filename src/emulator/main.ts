// `npm run emulator -- --port 8787`: runs the emulator until interrupted and prints its URL and a
// seeded demo user's tokens.
import { parseArgs } from 'node:util';
import { startEmulator } from './server.js';

const options = {
  port: { type: 'string', default: '0' },
  host: { type: 'string', default: '127.0.0.1' },
  quota: { type: 'string' },
  'latency-ms': { type: 'string' },
  logger: { type: 'boolean', default: false },
} as const;

function readArgs() {
  try {
    return parseArgs({ options }).values;
  } catch (error) {
    // Unknown options, missing values: one line for the person who typed them, not a stack.
    console.error(`emulator: ${(error as Error).message}`);
    process.exit(2);
  }
}
const values = readArgs();

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`emulator: --port must be 0..65535, got ${values.port}`);
  process.exit(2);
}
const quota = values.quota === undefined ? undefined : Number(values.quota);
if (quota !== undefined && !(Number.isInteger(quota) && quota > 0)) {
  console.error(`emulator: --quota must be a positive integer (calls per day), got ${values.quota}`);
  process.exit(2);
}
const latencyMs = values['latency-ms'] === undefined ? undefined : Number(values['latency-ms']);
if (latencyMs !== undefined && !(Number.isFinite(latencyMs) && latencyMs >= 0)) {
  console.error(`emulator: --latency-ms must be a number ≥ 0, got ${values['latency-ms']}`);
  process.exit(2);
}
const emulator = await startEmulator({
  host: values.host,
  port,
  logger: values.logger,
  ...(quota !== undefined ? { quota: { enabled: true, daily: quota } } : {}),
  ...(latencyMs !== undefined ? { latencyMs } : {}),
});
const demo = emulator.admin.createUser({ userId: 'demo' });
console.log(`Kakao Talk Calendar emulator listening on ${emulator.url}`);
console.log(`  apiBaseUrl = authBaseUrl = ${emulator.url}`);
console.log(`  REST API key (client_id): emulator-rest-api-key   admin key: emulator-admin-key`);
console.log(`  demo user ${demo.userId}`);
console.log(`    access token:  ${demo.accessToken}`);
console.log(`    refresh token: ${demo.refreshToken}`);

const stop = async () => {
  await emulator.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
