import { TalkcalError } from '../model/errors.js';

// What a person typed on the command line is not usable. Each message says what is wrong and what
// to type instead; the CLI prints it as one line.

/** A command-line value or a file it names is not what the command needs. */
export class CliUsageError extends TalkcalError {
  readonly scope = 'user';
}

/** The command cannot apply to what is stored (e.g. resolving conflicts of a link that has none). */
export class CliRefusedError extends TalkcalError {
  readonly scope = 'user';
}

/** A command-line value of `talkcal inspect` is not what the option needs. */
export class InspectUsageError extends TalkcalError {
  readonly scope = 'user';
}
