// `npm run emulator -- --port 8787`: runs the emulator until interrupted and prints its URL and a
// seeded demo user's tokens.
import { parseArgs } from 'node:util';
import { runStandalone, standaloneOptions } from './standalone.js';

function fail(message: string): never {
  // Unknown options, missing or bad values: one line for the person who typed them, not a stack.
  console.error(`emulator: ${message}`);
  process.exit(2);
}

let values: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      quota: { type: 'string' },
      'latency-ms': { type: 'string' },
      logger: { type: 'boolean', default: false },
    },
  }).values;
}
try {
  values = parse();
} catch (error) {
  fail((error as Error).message);
}
const options = standaloneOptions({ ...values, latencyMs: values['latency-ms'] });
if (typeof options === 'string') fail(options);
await runStandalone(options);
process.exit(0);
