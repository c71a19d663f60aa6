import type { Command } from 'commander';

/** Each command module exports one `register(program)`; add it here. */
export type RegisterCommand = (program: Command) => void;

type CommandModule = () => Promise<{ register: RegisterCommand }>;

const users: CommandModule = () => import('./users.js');
const links: CommandModule = () => import('./links.js');
const sync: CommandModule = () => import('./sync.js');
const status: CommandModule = () => import('./status.js');
const inspect: CommandModule = () => import('./inspect.js');
const emulator: CommandModule = () => import('./emulator.js');
const start: CommandModule = () => import('./start.js');
const conflicts: CommandModule = () => import('./conflicts.js');
const demo: CommandModule = () => import('./demo.js');
const keys: CommandModule = () => import('./keys.js');
const feeds: CommandModule = () => import('./feeds.js');
const channels: CommandModule = () => import('./channels.js');
const subscriptions: CommandModule = () => import('./subscriptions.js');

/** The module of each top-level command, in the order `--help` lists them. */
const byCommand: Record<string, CommandModule> = {
  users,
  links,
  sync,
  status,
  inspect,
  emulator,
  start,
  worker: start,
  conflicts,
  demo,
  keys,
  feeds,
  channels,
  subscriptions,
};

/**
 * The modules to load for these arguments: only the named command's (the daemon's imports cost a
 * second and 80 MB that `talkcal inspect` does not need), or all of them for help and unknown names.
 */
export function commandsFor(args: readonly string[]): CommandModule[] {
  const name = firstPositional(args);
  const one = name === undefined ? undefined : byCommand[name];
  return one ? [one] : [...new Set(Object.values(byCommand))];
}

/** The first argument that is neither an option nor the value of -c/--config. */
function firstPositional(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '-c' || arg === '--config') i++;
    else if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}
