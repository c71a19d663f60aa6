import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { missing } from '../../support/prerequisite.js';

// docker-compose.yml checked by Compose itself (`docker-compose config`, Debian's docker-compose:
// the Compose file schema and interpolation, no engine needed). CI installs it (.ci/run).

const root = fileURLToPath(new URL('../../../', import.meta.url));
const composeCli = spawnSync('docker-compose', ['version'], { encoding: 'utf8' });
const present = composeCli.status === 0;
// The variables the file requires (`${VAR:?…}`), as an operator's .env would give them.
const env = { ...process.env, TALKCAL_SECRET_KEY: 'k1:placeholder', TALKCAL_ADMIN_TOKEN: 'placeholder' };

function config(file: string, withEnv: NodeJS.ProcessEnv = env) {
  return spawnSync('docker-compose', ['-f', file, 'config', '-q'], {
    encoding: 'utf8',
    env: withEnv,
    cwd: root,
  });
}

describe.skipIf(missing(present))('docker-compose.yml against Compose (docker-compose config)', () => {
  it('is valid Compose with its required variables set', () => {
    const res = config(join(root, 'docker-compose.yml'));
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
  });

  it('names each required variable when it is missing', () => {
    const { TALKCAL_SECRET_KEY: _k, ...without } = env;
    const res = config(join(root, 'docker-compose.yml'), without);
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain('TALKCAL_SECRET_KEY');
  });

  it('would catch a mistake in the file (the check can fail)', () => {
    const broken = readFileSync(join(root, 'docker-compose.yml'), 'utf8').replace(/^services:/m, 'servics:');
    const dir = mkdtempSync(join(tmpdir(), 'talkcal-compose-'));
    writeFileSync(join(dir, 'docker-compose.yml'), broken);
    const res = config(join(dir, 'docker-compose.yml'));
    expect(res.status).not.toBe(0);
  });
});
