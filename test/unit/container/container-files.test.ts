import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// Docker cannot run on these machines: check the shape of the Dockerfile and the compose file.

const root = new URL('../../../', import.meta.url);
const dockerfile = readFileSync(new URL('Dockerfile', root), 'utf8');
const compose = parse(readFileSync(new URL('docker-compose.yml', root), 'utf8')) as {
  services: Record<
    string,
    {
      image?: string;
      build?: string;
      command?: string[];
      volumes?: string[];
      environment?: Record<string, string>;
    }
  >;
  volumes: Record<string, unknown>;
};

/** Instructions of the stage that starts at the last FROM (continuation lines joined). */
function finalStage(text: string): string[] {
  const lines = text
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((l) => l.trim());
  const instructions = lines.filter((l) => l !== '' && !l.startsWith('#'));
  const lastFrom = instructions.map((l) => l.startsWith('FROM ')).lastIndexOf(true);
  return instructions.slice(lastFrom);
}

describe('Dockerfile', () => {
  const stage = finalStage(dockerfile);
  it('is multi-stage on node:24-slim', () => {
    const froms = dockerfile.split('\n').filter((l) => l.startsWith('FROM '));
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) expect(from).toMatch(/^FROM node:24-slim\b/);
    expect(stage.some((l) => /^COPY --from=build /.test(l))).toBe(true);
  });

  it('runs as a non-root user with TZ=UTC and a /healthz health check', () => {
    const user = stage.filter((l) => l.startsWith('USER ')).at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^USER (root|0)\b/);
    expect(stage.some((l) => /^ENV .*\bTZ=UTC\b/.test(l))).toBe(true);
    const health = stage.find((l) => l.startsWith('HEALTHCHECK '));
    expect(health).toMatch(/\/healthz/);
    expect(stage.some((l) => l.startsWith('ENTRYPOINT') && l.includes('bin/talkcal.js'))).toBe(true);
  });

  it("caps the main thread's heap below the 500 MB resident goal", () => {
    const cap = stage
      .map((l) => /^ENV .*\bNODE_OPTIONS=--max-old-space-size=(\d+)\b/.exec(l)?.[1])
      .find(Boolean);
    expect(Number(cap)).toBeGreaterThan(0);
    expect(Number(cap)).toBeLessThanOrEqual(300);
  });
});

describe('what the image holds and checks', () => {
  const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8')) as {
    packages: Record<string, { dev?: boolean; dependencies?: Record<string, string> }>;
  };

  it('leaves out tsx, esbuild and TypeScript (the image runs dist/)', () => {
    for (const name of ['tsx', 'typescript']) {
      expect(pkg.dependencies[name], name).toBeUndefined();
      expect(pkg.devDependencies[name], name).toBeDefined();
    }
    for (const name of ['tsx', 'esbuild'])
      expect(lock.packages[`node_modules/${name}`]?.dev, name).toBe(true);
    expect(lock.packages['']?.dependencies?.['tsx']).toBeUndefined();
    const build = dockerfile.replace(/\\\n\s*/g, ' ');
    expect(build).toMatch(
      /npm prune --omit=dev\s+&& rm -rf node_modules\/typescript node_modules\/@typescript/,
    );
  });

  it('checks the health on the port the daemon is configured to listen on', () => {
    const health = finalStage(dockerfile).find((l) => l.startsWith('HEALTHCHECK '));
    expect(health).toContain('process.env.TALKCAL_HTTP__PORT || 8080');
  });
});

describe('docker-compose.yml', () => {
  it('builds the image for every service that runs it, so nothing is pulled from a registry', () => {
    const ours = Object.entries(compose.services).filter(([, s]) => s.image?.startsWith('talkcal-sync'));
    expect(ours.map(([name]) => name).sort()).toEqual(['talkcal', 'worker']);
    for (const [name, service] of ours) expect(service.build, name).toBe('.');
  });

  it('runs Redis 7 with append-only persistence on a named volume', () => {
    const redis = compose.services['redis'];
    expect(redis?.image).toMatch(/^redis:7/);
    const command = (redis?.command ?? []).join(' ');
    expect(command).toMatch(/--appendonly yes/);
    const volume = redis?.volumes?.find((v) => v.endsWith(':/data'));
    expect(volume).toBeDefined();
    expect(Object.keys(compose.volumes)).toContain(volume?.split(':')[0]);
  });

  it('configures the daemon and the workers through environment variables', () => {
    for (const name of ['talkcal', 'worker']) {
      const env = compose.services[name]?.environment ?? {};
      expect(env['REDIS_URL']).toBe('redis://redis:6379');
      expect(env['TALKCAL_SECRET_KEY']).toMatch(/^\$\{TALKCAL_SECRET_KEY/);
      expect(env['TALKCAL_ADMIN_TOKEN']).toMatch(/^\$\{TALKCAL_ADMIN_TOKEN/);
    }
    expect(compose.services['talkcal']?.command).toEqual(['start']);
    expect(compose.services['worker']?.command).toEqual(['worker']);
  });
});
