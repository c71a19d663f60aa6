import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../src/daemon/private-redis.js';
import type { CaldavAuth } from '../../../src/sources/caldav/transport.js';

// Real CalDAV servers for integration tests: Radicale and Xandikos on a free loopback port with a
// throw-away store. `stop()` kills the process and removes the store; call it from afterAll so it
// also runs when a test fails.

export interface CaldavTestServer {
  name: 'radicale' | 'xandikos';
  /** Root URL, e.g. http://127.0.0.1:PORT/ */
  baseUrl: string;
  user: string;
  /** The user's calendar home (where test collections are made). */
  homeUrl: string;
  /** What a client presents: Radicale (even with auth = none) knows a user only from Basic auth. */
  auth: CaldavAuth;
  stop(): Promise<void>;
}

const radicaleBin = '/usr/bin/radicale';
const xandikosBin = '/usr/bin/xandikos';
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

function requireBinary(path: string): void {
  if (!existsSync(path)) {
    throw new Error(
      `${path} is missing: install the test CalDAV servers with "apt-get install -y radicale xandikos"`,
    );
  }
}

async function waitUntilReady(child: ChildProcess, url: string, output: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(url, { method: 'OPTIONS', signal: AbortSignal.timeout(1000) });
      await response.body?.cancel();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`server at ${url} not ready after 20 s:\n${output()}`);
}

async function launch(
  name: CaldavTestServer['name'],
  start: (port: number) => { command: string; args: string[] },
  dir: string,
  user: string,
  homePath: string,
  login?: { password: string },
): Promise<CaldavTestServer> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const { command, args } = start(port);
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const baseUrl = `http://127.0.0.1:${port}/`;
    const stop = async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      live.delete(child);
      await rm(dir, { recursive: true, force: true });
    };
    try {
      await waitUntilReady(child, baseUrl, () => output);
      if (name === 'radicale') await primeRadicalePrincipal(baseUrl, user, login?.password ?? 'unused');
      const auth: CaldavAuth =
        name === 'radicale'
          ? { kind: 'basic', username: user, password: login?.password ?? 'unused' }
          : { kind: 'none' };
      return { name, baseUrl, user, homeUrl: new URL(homePath, baseUrl).href, auth, stop };
    } catch (error) {
      lastError = error;
      if (child.exitCode === null) child.kill('SIGKILL');
      live.delete(child);
    }
  }
  await rm(dir, { recursive: true, force: true });
  throw lastError;
}

/** Radicale creates a user's principal collection on the first authenticated request. */
async function primeRadicalePrincipal(baseUrl: string, user: string, password: string): Promise<void> {
  const response = await fetch(new URL(`/${user}/`, baseUrl), {
    method: 'PROPFIND',
    headers: { Depth: '0', Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` },
  });
  await response.body?.cancel();
  if (response.status !== 207) throw new Error(`Radicale did not create /${user}/ (HTTP ${response.status})`);
}

/** Radicale with no authentication, or with one htpasswd user (plain text) when `login` is given. */
export async function startRadicale(login?: { user: string; password: string }): Promise<CaldavTestServer> {
  requireBinary(radicaleBin);
  const dir = await mkdtemp(join(tmpdir(), 'talkcal-radicale-'));
  const user = login?.user ?? 'alice';
  const auth = login
    ? `type = htpasswd\nhtpasswd_filename = ${join(dir, 'users')}\nhtpasswd_encryption = plain`
    : 'type = none';
  if (login) await writeFile(join(dir, 'users'), `${login.user}:${login.password}\n`);
  return launch(
    'radicale',
    (port) => {
      const config = join(dir, `config-${port}`);
      const text = `[server]\nhosts = 127.0.0.1:${port}\n[auth]\n${auth}\n[rights]\ntype = owner_only\n[storage]\ntype = multifilesystem\nfilesystem_folder = ${join(dir, 'collections')}\n[web]\ntype = none\n`;
      // Written synchronously before spawn: the config must exist when Radicale starts.
      writeFileSync(config, text);
      return { command: radicaleBin, args: ['--config', config] };
    },
    dir,
    user,
    `/${user}/`,
    login,
  );
}

/** Xandikos (no authentication) with the default calendar and address book for one user. */
export async function startXandikos(): Promise<CaldavTestServer> {
  requireBinary(xandikosBin);
  const dir = await mkdtemp(join(tmpdir(), 'talkcal-xandikos-'));
  const user = 'alice';
  return launch(
    'xandikos',
    (port) => ({
      command: xandikosBin,
      args: [
        '-d',
        dir,
        '--defaults',
        '-l',
        '127.0.0.1',
        '-p',
        String(port),
        '--current-user-principal',
        `/${user}/`,
      ],
    }),
    dir,
    user,
    `/${user}/calendars/`,
  );
}

/**
 * Makes a fresh calendar collection under the server's home (MKCALENDAR) and returns its URL.
 * `auth` is an Authorization header value for servers with authentication.
 */
export async function makeCalendar(
  server: CaldavTestServer,
  options: { displayName?: string; color?: string; components?: string[]; auth?: string } = {},
): Promise<string> {
  const url = new URL(`test-${randomUUID()}/`, server.homeUrl).href;
  const components = (options.components ?? ['VEVENT', 'VTODO']).map((c) => `<c:comp name="${c}"/>`).join('');
  const ns = 'xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:a="http://apple.com/ns/ical/"';
  const headers: Record<string, string> = { 'Content-Type': 'application/xml; charset=utf-8' };
  if (options.auth) headers['Authorization'] = options.auth;
  const made = await fetch(url, {
    method: 'MKCALENDAR',
    headers,
    body: `<?xml version="1.0" encoding="utf-8"?><c:mkcalendar ${ns}><d:set><d:prop><c:supported-calendar-component-set>${components}</c:supported-calendar-component-set></d:prop></d:set></c:mkcalendar>`,
  });
  const madeText = await made.text();
  if (made.status !== 201) throw new Error(`MKCALENDAR ${url} answered ${made.status}: ${madeText}`);
  // Xandikos ignores name and colour in MKCALENDAR; both servers take them by PROPPATCH.
  const props = [
    options.displayName ? `<d:displayname>${options.displayName}</d:displayname>` : '',
    options.color ? `<a:calendar-color>${options.color}</a:calendar-color>` : '',
  ].join('');
  if (props) {
    const patched = await fetch(url, {
      method: 'PROPPATCH',
      headers,
      body: `<?xml version="1.0" encoding="utf-8"?><d:propertyupdate ${ns}><d:set><d:prop>${props}</d:prop></d:set></d:propertyupdate>`,
    });
    const patchedText = await patched.text();
    if (patched.status !== 207 || patchedText.includes(' 404 ')) {
      throw new Error(`PROPPATCH ${url} answered ${patched.status}: ${patchedText}`);
    }
  }
  return url;
}
