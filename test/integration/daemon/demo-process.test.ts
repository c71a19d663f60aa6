import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../src/daemon/private-redis.js';
import { missing } from '../../support/prerequisite.js';

// `npm run demo` as a person runs it: a process in its own terminal session (process group), no
// Redis at REDIS_URL (so it starts a private redis-server), Ctrl-C sent to the whole group as a
// terminal does. What it prints must hold what it promises, and Ctrl-C must end it cleanly.

const root = fileURLToPath(new URL('../../../', import.meta.url));
const redisServer = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

interface DemoProcess {
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

const pids: number[] = [];

/** `talkcal demo` in a process group of its own, once it printed that it is ready. */
async function startDemoProcess(): Promise<DemoProcess> {
  const deadPort = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'demo'], {
    cwd: root,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '',
      TZ: 'UTC',
      REDIS_URL: `redis://127.0.0.1:${deadPort}`,
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  pids.push(child.pid ?? 0);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const started = Date.now();
  while (!stdout.includes('Press Ctrl-C to stop.')) {
    if (child.exitCode !== null || Date.now() - started > 90_000) throw new Error(`demo: ${stdout}${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }

  return { stdout: () => stdout, stderr: () => stderr, exited };
}

describe.skipIf(missing(redisServer))('talkcal demo as a process (needs redis-server)', () => {
  afterAll(() => {
    for (const pid of pids) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone, as it should be.
      }
    }
  });

  it('prints a real first sync, the moved instance, the title cut and a login link; Ctrl-C cleans up', async () => {
    const { stdout: out, stderr: err, exited } = await startDemoProcess();
    const stdout = out();
    const stderr = err;
    const created = Number(/Talk Calendar: (\d+) created/.exec(stdout)?.[1]);
    expect(created, `demo output:\n${stdout}${stderr()}`).toBeGreaterThanOrEqual(5);
    expect(stdout).toMatch(/title-truncated: 1 item/);
    expect(stdout).toMatch(/instance of .* moved to .* as "Weekly team meeting \(moved to Thursday\)"/);
    const redisUrl = /private redis-server at (redis:\/\/\S+)/.exec(stdout)?.[1] ?? '';
    const dir = /edit (\/\S+)\/demo\.ics/.exec(stdout)?.[1] ?? '';
    expect(existsSync(dir)).toBe(true);

    // The dashboard link is the login page; a browser at the dashboard itself is sent there too.
    const login = /Dashboard: (http:\/\/127\.0\.0\.1:(\d+)\/admin\/login)/.exec(stdout);
    const [loginUrl, apiPort] = [login?.[1] ?? '', login?.[2] ?? ''];
    expect((await fetch(loginUrl)).headers.get('content-type')).toMatch(/text\/html/);
    const board = await fetch(loginUrl.replace('/login', '/queues'), {
      headers: { accept: 'text/html' },
      redirect: 'manual',
    });
    expect([board.status, board.headers.get('location')]).toEqual([303, '/admin/login']);
    // The connect flow sends Kakao a redirect_uri on the demo's own port.
    const connect = await fetch(`http://127.0.0.1:${apiPort}/connect`, { redirect: 'manual' });
    const authorize = new URL(connect.headers.get('location') ?? '');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`http://127.0.0.1:${apiPort}/connect/callback`);

    const interrupted = Date.now();
    process.kill(-(pids[0] ?? 0), 'SIGINT');
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('hung'), 25_000))]);
    expect(code).toBe(0);
    expect(Date.now() - interrupted).toBeLessThan(25_000);
    expect(existsSync(dir)).toBe(false);
    expect(stderr()).not.toMatch(/ECONNREFUSED|Error/);
    // The private redis-server is gone with it.
    const port = Number(new URL(redisUrl).port);
    expect(spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout).not.toContain(
      'PONG',
    );
  }, 150_000);

  it('a private redis-server that goes away ends the demo in seconds with one line', async () => {
    const demo = await startDemoProcess();
    const ready = demo.stdout();
    const port = Number(/private redis-server at redis:\/\/127\.0\.0\.1:(\d+)/.exec(ready)?.[1]);
    const dir = /edit (\/\S+)\/demo\.ics/.exec(ready)?.[1] ?? '';
    spawnSync('redis-cli', ['-p', String(port), 'shutdown', 'nosave']);
    const code = await Promise.race([demo.exited, new Promise((r) => setTimeout(() => r('hung'), 20_000))]);
    expect(code).toBe(1);
    const after = demo.stdout().slice(ready.length).trim().split('\n');
    expect(after).toEqual([expect.stringMatching(/private redis-server at .* stopped; stopping the demo/)]);
    expect(demo.stderr()).toBe('');
    expect(existsSync(dir)).toBe(false);
  }, 150_000);
});
