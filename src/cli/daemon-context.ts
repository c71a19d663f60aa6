import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { createDaemonContext, type DaemonContext } from '../daemon/context.js';

// The root program's options (--config, --json) and a daemon context for one CLI command.

export interface GlobalOptions {
  config?: string;
  json?: boolean;
}

export function globalOptions(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

export function configOf(command: Command): Config {
  const { config } = globalOptions(command);
  return loadConfig(config ? { file: config } : {});
}

/** Runs `body` with a context and always closes it (so the process can exit). */
export async function withContext<T>(command: Command, body: (ctx: DaemonContext) => Promise<T>): Promise<T> {
  const ctx = createDaemonContext(configOf(command));
  try {
    return await body(ctx);
  } finally {
    await ctx.close();
  }
}
