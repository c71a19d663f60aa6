#!/usr/bin/env node
// The one Node.js version check of every entry point: bin/talkcal.js, the npm scripts (through
// their pre-scripts and scripts/preflight.mjs) and CI. Plain JavaScript that an old Node still
// runs, so an old Node prints this sentence instead of crashing inside a dependency.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** The major version package.json's `engines.node` asks for (">=24" → 24). */
export function requiredNodeMajor() {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  const match = /(\d+)/.exec(pkg.engines?.node ?? '');
  return match ? Number(match[1]) : 0;
}

/** Why this Node.js cannot run talkcal, or undefined when it can. */
export function nodeVersionProblem(version = process.versions.node, required = requiredNodeMajor()) {
  const major = Number(String(version).split('.')[0]);
  if (major >= required) return undefined;
  return (
    `talkcal needs Node.js ${required} or newer, not ${version}: install Node.js ${required} LTS ` +
    '(nodejs.org, or `nvm install` here: .nvmrc names it) and run it again.'
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const problem = nodeVersionProblem();
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
}
