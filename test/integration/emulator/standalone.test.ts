// The emulator run on its own, as `npm run emulator -- --port N` (src/emulator/main.ts) and as
// `talkcal emulator`: it prints its URL and a demo user's tokens that work on the API, honours
// --quota, refuses bad options, and stops cleanly on SIGTERM.
import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnTsx, type TsxProcess } from '../../support/tsx-process.js';

const started: ChildProcess[] = [];

afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

function launch(args: string[]): TsxProcess {
  const launched = spawnTsx(args);
  started.push(launched.child);
  return launched;
}

/** Waits until the printed banner holds the URL and the demo access token. */
async function banner(output: () => string, exited: Promise<number | null>) {
  const pattern = /(http:\/\/127\.0\.0\.1:\d+)[\s\S]*access token:?\s+(\S+)/;
  let done = false;
  void exited.then(() => {
    done = true;
  });
  for (;;) {
    const m = pattern.exec(output());
    if (m) return { url: m[1]!, token: m[2]! };
    if (done) throw new Error(`emulator exited before printing its banner:\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const listCalendars = (url: string, token: string) =>
  fetch(`${url}/v2/api/calendar/calendars`, { headers: { Authorization: `Bearer ${token}` } });

describe.each([
  ['npm run emulator (src/emulator/main.ts)', ['src/emulator/main.ts']],
  ['talkcal emulator', ['src/cli/main.ts', 'emulator']],
])('%s', (_name, entry) => {
  it('serves the API to the printed demo token and stops on SIGTERM', async () => {
    const run = launch([...entry, '--port', '0']);
    const { url, token } = await banner(run.output, run.exited);
    const answer = await listCalendars(url, token);
    expect(answer.status).toBe(200);
    expect(JSON.stringify(await answer.json())).toContain('primary');
    expect((await listCalendars(url, 'not-a-token')).status).toBe(401);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  }, 60_000);

  it('answers -10 past the daily quota given with --quota', async () => {
    const run = launch([...entry, '--port', '0', '--quota', '2']);
    const { url, token } = await banner(run.output, run.exited);
    expect((await listCalendars(url, token)).status).toBe(200);
    expect((await listCalendars(url, token)).status).toBe(200);
    const over = await listCalendars(url, token);
    expect(over.status).toBe(400);
    expect(((await over.json()) as { code: number }).code).toBe(-10);
    run.child.kill('SIGTERM');
    await run.exited;
  }, 60_000);
});

describe('npm run emulator option checks', () => {
  it.each([
    [['--port', '70000'], /--port/],
    [['--quota', 'lots'], /--quota/],
    [['--quota', '0'], /--quota/],
    [['--latency-ms=-5'], /--latency-ms/],
    [['--no-such-option'], /no-such-option/],
  ])(
    'refuses %j with exit code 2 and says why',
    async (args, message) => {
      const run = launch(['src/emulator/main.ts', ...args]);
      expect(await run.exited).toBe(2);
      expect(run.output()).toMatch(message);
    },
    60_000,
  );
});
