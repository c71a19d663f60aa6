import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { errorMessage } from '../../../src/cli/error-line.js';
import { CliUsageError } from '../../../src/cli/errors.js';
import { ConfigFileError } from '../../../src/model/errors.js';

describe('the line the CLI prints for an error', () => {
  it('prints typed errors by their message', () => {
    expect(errorMessage(new CliUsageError('give --ics'))).toBe('talkcal: give --ics');
    expect(errorMessage(new ConfigFileError('/x.yaml', 'no such file'))).toBe(
      'talkcal: config file /x.yaml: no such file',
    );
  });

  it('folds a validation error into one line of paths and messages', () => {
    const result = z.object({ a: z.number(), b: z.object({ c: z.string() }) }).safeParse({ a: 'x', b: {} });
    const line = errorMessage(result.error);
    expect(line).toMatch(/^talkcal: invalid input: a: .*; b\.c: /);
    expect(line).not.toContain('\n');
  });

  it('prints errors of the system by their message, and leaves bugs to be printed whole', () => {
    const enoent = Object.assign(new Error("ENOENT: no such file or directory, open 'x'"), {
      code: 'ENOENT',
      syscall: 'open',
    });
    expect(errorMessage(enoent)).toBe("talkcal: ENOENT: no such file or directory, open 'x'");
    expect(errorMessage(new TypeError('x is undefined'))).toBeUndefined();
  });
});
