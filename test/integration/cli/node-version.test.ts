import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expectShortError, runCli, stderrLines } from './cli-run.js';

// Node versions: every entry point answers an old Node with the one version sentence and exit 1,
// before it loads anything an old Node could not run. The old Node is this one, told it is 20 or 22.

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const pretend = (version: string) =>
  `data:text/javascript,${encodeURIComponent(
    `Object.defineProperty(process,'version',{value:'v${version}'});` +
      `Object.defineProperty(process,'versions',{value:{...process.versions,node:'${version}'}});`,
  )}`;
const env = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' };
const sentence = (version: string) =>
  new RegExp(
    `^talkcal needs Node\\.js 24 or newer, not ${version.replace(/\./g, '\\.')}: install Node\\.js 24 LTS`,
  );

describe('talkcal on an old Node.js', () => {
  it('bin/talkcal.js, bin/check-node.js and the preflight say which Node is needed', async () => {
    for (const version of ['20.20.2', '22.11.1']) {
      const nodeArgs = ['--import', pretend(version)];
      expectShortError(
        await runCli(env, ['--help'], { nodeArgs, entry: 'bin/talkcal.js' }),
        1,
        sentence(version),
      );
      expectShortError(await runCli(env, [], { nodeArgs, entry: 'bin/check-node.js' }), 1, sentence(version));
      const preflight = await runCli(env, ['demo'], { nodeArgs, entry: 'scripts/preflight.mjs' });
      expectShortError(
        preflight,
        1,
        /Cannot run `npm run demo`:\n {2}- talkcal needs Node\.js 24 or newer, not 2\d/,
      );
    }
  });

  it('npm run talkcal stops at its pre-script with the sentence, not inside a dependency', async () => {
    const run = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(
        'npm',
        ['run', '--silent', 'talkcal', '--', 'status'],
        { cwd: repoRoot, env: { ...env, NODE_OPTIONS: `--import=${pretend('20.20.2')}` }, timeout: 10_000 },
        (error, _stdout, stderr) =>
          resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stderr }),
      );
    });
    expect(run.code, run.stderr).toBe(1);
    expect(stderrLines({ ...run, stdout: '', hung: false })).toHaveLength(1);
    expect(run.stderr).toMatch(sentence('20.20.2'));
  });
});
