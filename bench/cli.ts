// CLI start-up: `talkcal --help` and `talkcal status` as ratios to a bare `node -e 0` (the goal is
// at most 6×), built (dist/, what an installed talkcal runs) and from the TypeScript sources (tsx).
// Each figure is the median of interleaved runs: wall time, the child's CPU time (user + system,
// steadier than wall time on a shared machine) and its peak RSS. Needs Redis (for status).
// Run: npx tsx bench/cli.ts [runs]

import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { buildCopy } from './built-copy.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.argv[2] ?? 9);
const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const prefix = `bench-cli-${randomUUID().slice(0, 8)}`;

// The child reports its own CPU time and peak RSS as it exits (the preload costs well under 1 ms).
const report =
  'data:text/javascript,' +
  encodeURIComponent(
    "process.on('exit',()=>{const c=process.cpuUsage();" +
      "process.stderr.write('\\n#cpu '+(c.user+c.system)/1000+' '+process.resourceUsage().maxRSS+'\\n')})",
  );

interface Sample {
  wallMs: number;
  cpuMs: number;
  rssKb: number;
}

interface Case {
  label: string;
  args: string[];
  cwd: string;
}

const env = {
  PATH: process.env['PATH'] ?? '',
  HOME: process.env['HOME'] ?? '',
  TZ: 'UTC',
  LOG_LEVEL: 'silent',
  REDIS_URL: redisUrl,
  TALKCAL_REDIS__KEY_PREFIX: prefix,
  TALKCAL_SECRET_KEY: `k1:${randomBytes(32).toString('base64')}`,
};

function runOnce(c: Case): Sample {
  const start = performance.now();
  const child = spawnSync(process.execPath, ['--import', report, ...c.args], {
    cwd: c.cwd,
    env,
    encoding: 'utf8',
  });
  const wallMs = performance.now() - start;
  const figures = /#cpu ([\d.]+) (\d+)/.exec(child.stderr);
  if (child.status !== 0 || !figures) throw new Error(`${c.label} failed (${child.status}): ${child.stderr}`);
  return { wallMs, cpuMs: Number(figures[1]), rssKb: Number(figures[2]) };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const built = buildCopy();
// From the sources: the bin script falls back to tsx when there is no dist/ beside it.
const sourceEntry = existsSync(join(root, 'dist'))
  ? ['--import', 'tsx', 'src/cli/main.ts']
  : ['bin/talkcal.js'];
const cases: Case[] = [
  { label: 'node -e 0', args: ['-e', '0'], cwd: root },
  { label: 'talkcal --help (built)', args: ['bin/talkcal.js', '--help'], cwd: built },
  { label: 'talkcal status (built)', args: ['bin/talkcal.js', 'status'], cwd: built },
  { label: 'talkcal --help (sources, tsx)', args: [...sourceEntry, '--help'], cwd: root },
  { label: 'talkcal status (sources, tsx)', args: [...sourceEntry, 'status'], cwd: root },
];

try {
  for (const c of cases) runOnce(c); // warm the file cache and tsx's transform cache
  const samples = new Map<string, Sample[]>(cases.map((c) => [c.label, []]));
  for (let i = 0; i < runs; i++) for (const c of cases) samples.get(c.label)?.push(runOnce(c));
  const figures = cases.map((c) => {
    const s = samples.get(c.label) ?? [];
    return {
      label: c.label,
      wall: median(s.map((x) => x.wallMs)),
      cpu: median(s.map((x) => x.cpuMs)),
      rss: median(s.map((x) => x.rssKb)) / 1024,
    };
  });
  const base = figures[0]!;
  console.log(
    `median of ${runs} interleaved runs; ratio = figure / node -e 0 (goal for --help and status: ≤ 6×)`,
  );
  console.log(
    `${'command'.padEnd(32)} ${'wall ms'.padStart(8)} ${'ratio'.padStart(6)} ${'cpu ms'.padStart(8)} ${'ratio'.padStart(6)} ${'rss MiB'.padStart(8)}`,
  );
  for (const f of figures) {
    console.log(
      `${f.label.padEnd(32)} ${f.wall.toFixed(0).padStart(8)} ${`${(f.wall / base.wall).toFixed(1)}×`.padStart(6)} ` +
        `${f.cpu.toFixed(0).padStart(8)} ${`${(f.cpu / base.cpu).toFixed(1)}×`.padStart(6)} ${f.rss.toFixed(0).padStart(8)}`,
    );
  }
} finally {
  rmSync(built, { recursive: true, force: true });
  const redis = new Redis(redisUrl);
  const keys = await redis.keys(`*${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
}
