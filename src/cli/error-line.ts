import { TalkcalError } from '../model/errors.js';

// What the CLI prints for an error that ends a command: typed errors and errors of the system
// (a file, a socket) carry a message meant for people and become one line; anything else is a
// bug, printed with its stack by the caller.

interface Issue {
  path?: PropertyKey[];
  message?: string;
}

const isZodError = (error: unknown): error is { issues: Issue[] } =>
  error instanceof Error &&
  error.name === 'ZodError' &&
  Array.isArray((error as { issues?: unknown }).issues);

const isSystemError = (error: unknown): error is NodeJS.ErrnoException =>
  error instanceof Error &&
  typeof (error as NodeJS.ErrnoException).code === 'string' &&
  typeof (error as NodeJS.ErrnoException).syscall === 'string';

/** The message to print for `error`, or undefined when it is a bug (print it whole). */
export function errorMessage(error: unknown): string | undefined {
  if (error instanceof TalkcalError) return `talkcal: ${error.message}`;
  if (isZodError(error)) {
    const issues = error.issues.map(
      (i) => `${(i.path ?? []).join('.') || '(input)'}: ${i.message ?? 'invalid'}`,
    );
    return `talkcal: invalid input: ${issues.join('; ')}`;
  }
  if (isSystemError(error)) return `talkcal: ${error.message}`;
  return undefined;
}
