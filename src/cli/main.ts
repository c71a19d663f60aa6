import { Command } from 'commander';
import { commandsFor } from './commands/index.js';
import { errorMessage } from './error-line.js';

const program = new Command('talkcal')
  .description('Two-way sync between ICS/CalDAV calendars and Kakao Talk Calendar')
  .option('-c, --config <file>', 'YAML file merged over config/default.yaml')
  .option('--json', 'machine-readable output (one JSON object per line)');

// Only the named command's module is loaded (all of them for help and unknown names).
for (const load of commandsFor(process.argv.slice(2))) (await load()).register(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  console.error(errorMessage(error) ?? error);
  process.exitCode = 1;
  // A command that failed has nothing left to finish: a handle some library left open must not
  // keep the process up (the timer itself does not).
  setTimeout(() => process.exit(), 1000).unref();
}
