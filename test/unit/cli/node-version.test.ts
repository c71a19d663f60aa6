import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nodeVersionProblem, requiredNodeMajor } from '../../../bin/check-node.js';

const repo = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');

describe('the Node.js version check', () => {
  it('refuses every major below the one package.json requires, Node 22 included', () => {
    expect(requiredNodeMajor()).toBe(24);
    for (const old of ['20.20.2', '22.11.1', '23.9.0'])
      expect(nodeVersionProblem(old)).toBe(
        `talkcal needs Node.js 24 or newer, not ${old}: install Node.js 24 LTS ` +
          '(nodejs.org, or `nvm install` here: .nvmrc names it) and run it again.',
      );
    for (const ok of ['24.0.0', '24.22.3', '26.1.0']) expect(nodeVersionProblem(ok)).toBeUndefined();
  });

  it('is the same version in package.json, .nvmrc and CI, with engine-strict for npm ci', () => {
    const pkg = JSON.parse(repo('package.json')) as {
      engines: { node: string };
      scripts: Record<string, string>;
    };
    expect(pkg.engines.node).toBe(`>=${requiredNodeMajor()}`);
    expect(repo('.nvmrc').trim()).toBe(String(requiredNodeMajor()));
    expect(repo('.npmrc')).toMatch(/^engine-strict=true$/m);
    expect(repo('.ci/run')).toContain('-lt "$(cat .nvmrc)"');
  });

  it('runs before every npm script that starts the TypeScript sources', () => {
    const { scripts } = JSON.parse(repo('package.json')) as { scripts: Record<string, string> };
    const check = /^node (bin\/check-node\.js|scripts\/preflight\.mjs)\b/;
    const checks = (name: string) =>
      check.test(scripts[`pre${name}`] ?? '') || check.test(scripts[name] ?? '');
    const starters = Object.keys(scripts).filter(
      (name) => /\btsx\b/.test(scripts[name] ?? '') && !name.startsWith('pre'),
    );
    expect(starters.length).toBeGreaterThan(3);
    for (const name of starters) expect(checks(name), `npm run ${name}`).toBe(true);
  });
});
