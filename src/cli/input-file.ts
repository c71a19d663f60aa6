import { readFileSync } from 'node:fs';
import { CliUsageError } from './errors.js';

/** The text of a file named on the command line; a missing or unreadable one is a one-line error. */
export function readInputFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory' : `cannot be read (${code})`;
    throw new CliUsageError(`${what} ${path}: ${problem}`);
  }
}
