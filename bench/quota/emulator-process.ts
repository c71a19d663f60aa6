import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { RequestLogEntry } from '../../src/emulator/state.js';
import { stopChild, track } from '../chaos/children.js';

// The Kakao emulator in its own process, driven over HTTP only: its clock, its request log (what
// "Kakao" counted) and a Talk Calendar-side deletion.

const root = fileURLToPath(new URL('../../', import.meta.url));

export interface EmulatorProcess {
  url: string;
  pid: number | undefined;
  /** Sets its clock to read `now` at real time `realAt` and run `rate` times faster from there. */
  setClock(now: Date, rate: number, realAt: number): Promise<void>;
  requests(): Promise<RequestLogEntry[]>;
  deleteEvent(userId: string, eventId: string): Promise<void>;
  events(userId: string): Promise<{ id: string; time: { start_at: string } }[]>;
  stop(): Promise<void>;
}

async function call<T>(url: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(url, {
    ...init,
    headers: init.body ? { 'content-type': 'application/json' } : {},
  });
  if (!res.ok) throw new Error(`emulator ${init.method ?? 'GET'} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export async function startEmulatorProcess(latencyMs: number): Promise<EmulatorProcess> {
  const child = track(
    spawn(process.execPath, ['--import', 'tsx', 'src/emulator/main.ts', '--latency-ms', String(latencyMs)], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`the emulator exited with ${code} before it listened`)));
  });
  const admin = `${url}/_emulator`;
  return {
    url,
    pid: child.pid,
    async setClock(now, rate, realAt) {
      await call(`${admin}/clock`, {
        method: 'POST',
        body: JSON.stringify({ now: now.toISOString(), rate, realAt }),
      });
    },
    requests: () => call<RequestLogEntry[]>(`${admin}/requests`),
    async deleteEvent(userId, eventId) {
      await call(`${admin}/users/${userId}/events/${encodeURIComponent(eventId)}`, { method: 'DELETE' });
    },
    events: (userId) => call(`${admin}/users/${userId}/events`),
    stop: () => stopChild(child, 'SIGTERM'),
  };
}
