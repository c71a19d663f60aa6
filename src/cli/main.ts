import { Command } from 'commander';
import { TalkcalError } from '../model/errors.js';
import { commandsFor } from './commands/index.js';

const program = new Command('talkcal')
  .description('Two-way sync between ICS/CalDAV calendars and Kakao Talk Calendar')
  .option('-c, --config <file>', 'YAML file merged over config/default.yaml')
  .option('--json', 'machine-readable output (one JSON object per line)');

for (const load of commandsFor(process.argv.slice(2))) (await load()).register(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Typed errors carry a message meant for people; anything else is a bug and keeps its stack.
  if (error instanceof TalkcalError) {
    console.error(`talkcal: ${error.message}`);
  } else {
    console.error(error);
  }
  process.exitCode = 1;
}
