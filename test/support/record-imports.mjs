// Preload (`node --import ./test/support/record-imports.mjs …`) that appends every module URL the
// process resolves to the file named by RECORD_IMPORTS_TO, one per line: what a command loads.
import { appendFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const file = process.env.RECORD_IMPORTS_TO;
if (file) {
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const resolved = nextResolve(specifier, context);
      appendFileSync(file, `${resolved.url}\n`);
      return resolved;
    },
  });
}
