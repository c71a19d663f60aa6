#!/usr/bin/env node
// Runs the compiled CLI when built (dist/), otherwise the TypeScript sources through tsx. The Node
// version is checked first, before anything that an old Node could not load.
import { existsSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';
import { nodeVersionProblem } from './check-node.js';

const problem = nodeVersionProblem();
if (problem) {
  console.error(problem);
  process.exit(1);
}
// V8's compiled code of the CLI and its packages is kept between runs (about 10% of a command's
// start-up); a cache directory that cannot be written is silently skipped.
module.enableCompileCache?.();
const built = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
if (existsSync(built)) {
  await import(built);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
