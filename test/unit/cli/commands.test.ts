import { describe, expect, it } from 'vitest';
import { commandsFor } from '../../../src/cli/commands/index.js';

describe('commandsFor', () => {
  it('loads only the named command, past global options', () => {
    expect(commandsFor(['inspect', 'a.ics'])).toHaveLength(1);
    expect(commandsFor(['-c', 'my.yaml', '--json', 'worker'])).toHaveLength(1);
    expect(commandsFor(['--config', 'inspect', 'users', 'list'])).toHaveLength(1);
  });

  it('loads every command for help and for names it does not know', () => {
    const all = commandsFor([]).length;
    expect(all).toBeGreaterThan(5);
    expect(commandsFor(['--help'])).toHaveLength(all);
    expect(commandsFor(['help', 'inspect'])).toHaveLength(all);
    expect(commandsFor(['bogus'])).toHaveLength(all);
  });
});
