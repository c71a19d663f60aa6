import { TalkcalError } from '../model/errors.js';

// What a person typed on the command line is not usable. Each message says what is wrong and what
// to type instead; the CLI prints it as one line.

/** A command-line value is not what the option needs (usage: exit code 2). */
export class CliUsageError extends TalkcalError {
  readonly scope = 'user';
}

/** A command-line value of `talkcal inspect` is not what the option needs. */
export class InspectUsageError extends TalkcalError {
  readonly scope = 'user';
}
