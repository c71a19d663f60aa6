import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// Docker cannot run on these machines: check the shape of the Dockerfile and the compose file.

const root = new URL('../../../', import.meta.url);
const dockerfile = readFileSync(new URL('Dockerfile', root), 'utf8');
const compose = parse(readFileSync(new URL('docker-compose.yml', root), 'utf8')) as {
  services: Record<
    string,
    { image?: string; command?: string[]; volumes?: string[]; environment?: Record<string, string> }
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
});

describe('docker-compose.yml', () => {
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
