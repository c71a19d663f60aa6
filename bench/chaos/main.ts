import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { redisServerInstalled } from '../../src/daemon/private-redis.js';
import { killAll, killChildrenOnExit, liveChildren } from './children.js';
import {
  type ChaosOptions,
  type Profile,
  parseOptions,
  profileOf,
  type ScenarioId,
  usage,
} from './options.js';
import { type ChaosReport, type Figures, formatTable, passed, type Row, writeReport } from './report.js';
import { emulatorLatencyMs, type Rig, startRig } from './rig.js';
import { seededRng } from './rng.js';
import { faultsScenario } from './scenario-faults.js';
import { hostileScenario } from './scenario-hostile.js';
import { killScenario } from './scenario-kill.js';
import { redisScenario } from './scenario-redis.js';
import { configFor, lockDurationMs } from './settings.js';

// `npm run chaos [-- --quick]`: the tenant-isolation proof from outside — real worker processes, the
// emulator over HTTP, loopback feeds, a private redis-server — as a pass/fail table, also written as
// JSON (bench/results/chaos.json by default).

const defaultOut = fileURLToPath(new URL('../results/chaos.json', import.meta.url));

type Scenario = (rig: Rig, profile: Profile, options: ChaosOptions) => Promise<Row[]>;

const timed =
  (run: (rig: Rig, profile: Profile, options: ChaosOptions) => Promise<Omit<Row, 'seconds'>>): Scenario =>
  async (rig, profile, options) => {
    const started = Date.now();
    return [{ ...(await run(rig, profile, options)), seconds: (Date.now() - started) / 1000 }];
  };

const scenarios: Record<ScenarioId, { title: string; run: Scenario }> = {
  kill: { title: 'kill -9 of a worker', run: timed((rig, p, o) => killScenario(rig, p.kill, o.seed)) },
  redis: { title: 'Redis SIGKILL and restart', run: timed((rig, p) => redisScenario(rig, p.redis)) },
  faults: { title: 'injected Kakao faults', run: timed((rig, p) => faultsScenario(rig, p.faults)) },
  hostile: {
    title: 'hostile inputs beside healthy users',
    run: (rig, p, o) => hostileScenario(rig, p, o.quick, o.rows),
  },
};

function settingsOf(rig: Rig, options: ChaosOptions): Figures {
  const c = configFor(rig.overrides, 'chaos-settings');
  return {
    seed: options.seed,
    mode: options.quick ? 'quick' : 'full',
    emulatorLatencyMs,
    quotaPerSecond: c.quota.perSecond,
    lockDurationMs,
    icsTimeoutMs: c.sources.ics.timeoutMs,
    icsMaxBytes: c.sources.ics.maxBytes,
    translateTimeoutMs: c.limits.translateTimeoutMs,
    translateMemoryMb: c.limits.translateMemoryMb,
    translateThreads: c.limits.translateThreads,
  };
}

function commitOf(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

async function runScenario(
  id: ScenarioId,
  rig: Rig,
  profile: Profile,
  options: ChaosOptions,
): Promise<Row[]> {
  const { title, run } = scenarios[id];
  console.log(`\n== ${title} ==`);
  const started = Date.now();
  try {
    return await run(rig, profile, options);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    console.error(`  ${id}: ${error instanceof Error ? error.stack : message}`);
    return [{ id, title, checks: [], figures: {}, seconds: (Date.now() - started) / 1000, error: message }];
  }
}

export async function main(argv: string[]): Promise<number> {
  const options = parseOptions(argv, defaultOut);
  if (typeof options === 'string') {
    console.error(`chaos: ${options}\n${usage}`);
    return 2;
  }
  if (!redisServerInstalled()) {
    console.error(
      'chaos: redis-server is not installed: the harness runs its own (Debian: apt-get install -y redis-server)',
    );
    return 2;
  }
  killChildrenOnExit();
  const started = Date.now();
  const profile = profileOf(options.quick);
  const rig = await startRig(seededRng(options.seed), options.quick);
  const settings = settingsOf(rig, options);
  console.log(
    `chaos ${settings['mode']} run, seed ${options.seed} (repeat with --seed ${options.seed}); ` +
      Object.entries(settings)
        .filter(([k]) => k !== 'seed' && k !== 'mode')
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
  );
  const rows: Row[] = [];
  try {
    for (const id of options.only) rows.push(...(await runScenario(id, rig, profile, options)));
  } finally {
    await rig.close().catch((error: unknown) => console.error(`chaos: closing the rig failed: ${error}`));
    if (liveChildren() > 0) console.error(`chaos: ${killAll()} child process(es) still alive, killed`);
  }
  const report: ChaosReport = {
    mode: options.quick ? 'quick' : 'full',
    seed: options.seed,
    startedAt: new Date(started).toISOString(),
    seconds: (Date.now() - started) / 1000,
    commit: commitOf(),
    machine: { cpus: cpus().length, node: process.version },
    settings,
    rows,
    passed: rows.every((r) => r.informational || passed(r)),
  };
  console.log(`\n${formatTable(rows)}\n`);
  writeReport(options.out, report);
  const failed = rows.filter((r) => !r.informational && !passed(r)).map((r) => r.id);
  const budget = options.quick ? 180 : 600;
  console.log(
    `${report.passed ? 'all rows passed' : `failed: ${failed.join(', ')}`} in ${report.seconds.toFixed(0)} s ` +
      `(budget ${budget} s${report.seconds > budget ? ', exceeded' : ''}); written to ${options.out}`,
  );
  return report.passed ? 0 : 1;
}
