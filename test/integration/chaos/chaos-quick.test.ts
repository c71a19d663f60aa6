import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostileRows } from '../../../bench/chaos/hostile-rows.js';
import { type ChaosReport, passed } from '../../../bench/chaos/report.js';
import { spawnTsx } from '../../support/tsx-process.js';

// The quick chaos run (`npm run chaos -- --quick`) as a process, as CI runs it: 8 kill -9 points, a
// Redis restart, 10 % Kakao faults, the quick hostile rows. Every row of its table must pass.
// It takes 2–6 minutes depending on the machine's load; the limit is far above that.

const limitMs = 12 * 60_000;

describe('chaos harness, quick run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'talkcal-chaos-test-'));
  const out = join(dir, 'chaos-quick.json');
  let report: ChaosReport;
  let output = '';

  beforeAll(async () => {
    const run = spawnTsx(['bench/chaos.ts', '--quick', '--out', out]);
    const timer = setTimeout(() => run.child.kill('SIGINT'), limitMs - 30_000);
    const code = await run.exited;
    clearTimeout(timer);
    output = run.output();
    if (!existsSync(out))
      throw new Error(`the chaos run (exit ${code}) wrote no report:\n${output.slice(-4000)}`);
    report = JSON.parse(readFileSync(out, 'utf8')) as ChaosReport;
  }, limitMs);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ran every scenario of the quick table', () => {
    const ids = report.rows.map((r) => r.id);
    const quickHostile = hostileRows.filter((r) => r.quick).map((r) => `4.${hostileRows.indexOf(r) + 1}`);
    expect(ids).toEqual(['1', '2', '3', ...quickHostile]);
    expect(report.mode).toBe('quick');
  });

  it('passed every row', () => {
    const failures = report.rows
      .filter((r) => !r.informational && !passed(r))
      .map(
        (r) =>
          `${r.id} ${r.title}: ` +
          [...r.checks.filter((c) => !c.pass).map((c) => `${c.criterion} — ${c.measured}`), r.error ?? '']
            .filter((t) => t !== '')
            .join('; '),
      );
    expect(failures, `seed ${report.seed}; output tail:\n${output.slice(-3000)}`).toEqual([]);
  });
});
