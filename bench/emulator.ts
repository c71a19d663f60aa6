// Emulator throughput: 2,000 users × 50 events (10 of them recurring), then concurrent list and
// create requests over loopback HTTP. Prints requests/s and latency percentiles per phase.
// The emulator runs in a child process (this file with --serve) so the load generator does not
// share its event loop. Run: npx tsx bench/emulator.ts [--users 2000] [--events 50] [--seconds 8]
// [--concurrency 64]
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Agent, fetch } from 'undici';
import { startEmulator } from '../src/emulator/server.js';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '2000' },
    events: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '8' },
    concurrency: { type: 'string', default: '64' },
    serve: { type: 'boolean', default: false },
  },
});
const userCount = Number(values.users);
const eventsPerUser = Number(values.events);
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);

const base = Date.UTC(2025, 5, 1);

function fmt(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

if (values.serve) {
  const emu = await startEmulator({ now: () => new Date('2025-06-15T00:00:00Z') });
  const seedStart = performance.now();
  const tokens: string[] = [];
  for (let u = 0; u < userCount; u++) {
    const made = emu.admin.createUser();
    tokens.push(made.accessToken);
    for (let e = 0; e < eventsPerUser; e++) {
      const start = new Date(base + ((u * 7 + e * 13) % (60 * 24 * 12)) * 300_000);
      const end = new Date(start.getTime() + 3_600_000);
      emu.admin.seedEvent(made.userId, {
        title: `event ${e}`,
        time: { start_at: fmt(start), end_at: fmt(end), time_zone: 'Asia/Seoul' },
        ...(e % 5 === 0 ? { rrule: 'FREQ=WEEKLY;COUNT=20' } : {}),
      });
    }
  }
  const seedSeconds = (performance.now() - seedStart) / 1000;
  process.stdout.write(`${JSON.stringify({ url: emu.url, tokens, seedSeconds })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void emu.close().then(() => process.exit(0)));
} else {
  await runLoad();
}

async function runLoad(): Promise<void> {
  const child = spawn(
    process.execPath,
    [
      ...process.execArgv,
      fileURLToPath(import.meta.url),
      '--serve',
      '--users',
      String(userCount),
      '--events',
      String(eventsPerUser),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const firstLine = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`emulator child exited with ${code}`)));
  });
  const { url, tokens, seedSeconds } = JSON.parse(firstLine) as {
    url: string;
    tokens: string[];
    seedSeconds: number;
  };
  console.log(
    `seeded ${userCount} users × ${eventsPerUser} events in ${seedSeconds.toFixed(1)} s (emulator in a child process)`,
  );
  const dispatcher = new Agent({ connections: concurrency, pipelining: 1 });
  type Init = { method?: string; headers: Record<string, string>; body?: URLSearchParams };
  type Request = () => { url: string; init: Init };

  const listRequest: Request = () => {
    const token = tokens[Math.floor(Math.random() * tokens.length)]!;
    const q = new URLSearchParams({ from: '2025-06-01T00:00:00Z', to: '2025-07-01T00:00:00Z', limit: '100' });
    return {
      url: `${url}/v2/api/calendar/events?${q}`,
      init: { headers: { authorization: `Bearer ${token}` } },
    };
  };

  let created = 0;
  const createRequest: Request = () => {
    const token = tokens[Math.floor(Math.random() * tokens.length)]!;
    const start = new Date(base + (created++ % 8000) * 300_000);
    const body = new URLSearchParams({
      event: JSON.stringify({
        title: 'bench',
        time: {
          start_at: fmt(start),
          end_at: fmt(new Date(start.getTime() + 1_800_000)),
          time_zone: 'Asia/Seoul',
        },
      }),
    });
    return {
      url: `${url}/v2/api/calendar/create/event`,
      init: { method: 'POST', headers: { authorization: `Bearer ${token}` }, body },
    };
  };

  async function phase(name: string, make: Request): Promise<void> {
    const latencies: number[] = [];
    let errors = 0;
    const deadline = performance.now() + seconds * 1000;
    const worker = async () => {
      while (performance.now() < deadline) {
        const { url, init } = make();
        const t0 = performance.now();
        const res = await fetch(url, { ...init, dispatcher });
        await res.arrayBuffer();
        latencies.push(performance.now() - t0);
        if (res.status !== 200) errors++;
      }
    };
    const t0 = performance.now();
    await Promise.all(Array.from({ length: concurrency }, worker));
    const elapsed = (performance.now() - t0) / 1000;
    latencies.sort((a, b) => a - b);
    const pct = (p: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
    console.log(
      `${name.padEnd(14)} ${String(latencies.length).padStart(7)} requests  ${(latencies.length / elapsed).toFixed(0).padStart(6)} req/s  ` +
        `p50 ${pct(50).toFixed(1)} ms  p99 ${pct(99).toFixed(1)} ms  errors ${errors}`,
    );
  }

  console.log(`concurrency ${concurrency}, ${seconds} s per phase`);
  await phase('events.list', listRequest);
  await phase('events.create', createRequest);
  await phase('mixed 4:1', () => (Math.random() < 0.8 ? listRequest() : createRequest()));
  await dispatcher.close();
  child.stdin!.end();
}
