import type { Command } from 'commander';
import { register as channels } from './channels.js';
import { register as conflicts } from './conflicts.js';
import { register as demo } from './demo.js';
import { register as emulator } from './emulator.js';
import { register as feeds } from './feeds.js';
import { register as inspect } from './inspect.js';
import { register as keys } from './keys.js';
import { register as links } from './links.js';
import { register as start } from './start.js';
import { register as status } from './status.js';
import { register as subscriptions } from './subscriptions.js';
import { register as sync } from './sync.js';
import { register as users } from './users.js';

/** Each command module exports one `register(program)`; add it here. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [
  users,
  links,
  sync,
  status,
  inspect,
  emulator,
  start,
  conflicts,
  demo,
  keys,
  feeds,
  channels,
  subscriptions,
];
