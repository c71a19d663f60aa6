// The root of every typed error the daemon raises. `scope` says who is affected and so what the
// caller does: retry later, skip one item, stop one user, or stop the whole app.
export type ErrorScope = 'retryable' | 'item' | 'user' | 'app';

export abstract class TalkcalError extends Error {
  abstract readonly scope: ErrorScope;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A configuration file (the defaults or `--config`) is missing, unreadable or not YAML. */
export class ConfigFileError extends TalkcalError {
  readonly scope = 'app';

  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`config file ${file}: ${problem}`);
  }
}

/** The configuration is invalid; `issues` lists every bad key. */
export class ConfigError extends TalkcalError {
  readonly scope = 'app';

  constructor(readonly issues: { key: string; value: unknown; expected: string }[]) {
    super(
      `invalid configuration:\n${issues
        .map((i) => `  - ${i.key} = ${JSON.stringify(i.value) ?? 'undefined'}: expected ${i.expected}`)
        .join('\n')}`,
    );
  }
}
