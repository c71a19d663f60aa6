import type { Command } from 'commander';
import { generateSecretKeySpec } from '../../registry/crypto.js';
import { globalOptions, withContext } from '../daemon-context.js';
import { print } from '../output.js';

// talkcal keys generate|rotate: encryption keys of tokens and source credentials at rest.

export function register(program: Command): void {
  const keys = program
    .command('keys')
    .description('encryption keys for secrets at rest (TALKCAL_SECRET_KEY)');

  keys
    .command('generate [kid]')
    .description('print a new random key entry "kid:base64" to add to TALKCAL_SECRET_KEY')
    .action((kid: string | undefined) => {
      console.log(generateSecretKeySpec(kid ?? `k${Date.now().toString(36)}`));
    });

  keys
    .command('rotate')
    .description('re-encrypt every stored secret with the active key (then the old key can be removed)')
    .action(async (_opts: unknown, cmd: Command) => {
      const counts = await withContext(cmd, (ctx) => ctx.registry.rotateKeys());
      print(
        globalOptions(cmd).json ?? false,
        counts,
        () => `re-encrypted the tokens of ${counts.users} user(s) and the sources of ${counts.links} link(s)`,
      );
    });
}
