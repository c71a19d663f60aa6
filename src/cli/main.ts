import { Command } from 'commander';
import { commands } from './commands/index.js';
import { errorMessage } from './error-line.js';

const program = new Command('talkcal')
  .description('Two-way sync between ICS/CalDAV calendars and Kakao Talk Calendar')
  .option('-c, --config <file>', 'YAML file merged over config/default.yaml')
  .option('--json', 'machine-readable output (one JSON object per line)');

for (const register of commands) register(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  console.error(errorMessage(error) ?? error);
  process.exitCode = 1;
  // A command that failed has nothing left to finish: a handle some library left open must not
  // keep the process up (the timer itself does not).
  setTimeout(() => process.exit(), 1000).unref();
}
