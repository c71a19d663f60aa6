import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The CLI as the container runs it: compiled by `tsc -p tsconfig.build.json` into a copy of the
// checkout (bin, config, package.json; node_modules linked), so the repository gets no dist/ (whose
// presence would make bin/talkcal.js run it instead of the sources everywhere else).

const root = fileURLToPath(new URL('..', import.meta.url));

/** The copy's directory; `node bin/talkcal.js` there runs the build. */
export function buildCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'talkcal-bench-built-'));
  for (const part of ['bin', 'config', 'package.json'])
    cpSync(join(root, part), join(dir, part), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  const tsc = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules/typescript/bin/tsc'),
      '-p',
      join(root, 'tsconfig.build.json'),
      '--outDir',
      join(dir, 'dist'),
    ],
    { cwd: root, encoding: 'utf8' },
  );
  if (tsc.status !== 0) throw new Error(`build failed: ${tsc.stdout}${tsc.stderr}`);
  return dir;
}
