import type { Command } from 'commander';
import type { Config } from '../config/schema.js';
import type { DaemonContext } from '../daemon/context.js';

// The root program's options (--config, --json) and a daemon context for one CLI command. The
// configuration and the context are imported when a command runs, never for `--help`.

export interface GlobalOptions {
  config?: string;
  json?: boolean;
}

export function globalOptions(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

export async function configOf(command: Command): Promise<Config> {
  const { loadConfig } = await import('../config/load.js');
  const { config } = globalOptions(command);
  return loadConfig(config ? { file: config } : {});
}

/**
 * The configuration, once the secret key parses and Redis has answered: each is one line here, not
 * a connection left open or the retries of every connection the context would open.
 */
export async function checkedConfig(command: Command): Promise<Config> {
  const config = await configOf(command);
  const { createSecretBox } = await import('../registry/crypto.js');
  createSecretBox(config.security);
  const { probeRedis } = await import('../registry/redis.js');
  await probeRedis(config.redis);
  return config;
}

/** Runs `body` with a context and always closes it (so the process can exit). */
export async function withContext<T>(command: Command, body: (ctx: DaemonContext) => Promise<T>): Promise<T> {
  const config = await checkedConfig(command);
  const { createDaemonContext } = await import('../daemon/context.js');
  const ctx = createDaemonContext(config);
  try {
    return await body(ctx);
  } finally {
    await ctx.close();
  }
}
