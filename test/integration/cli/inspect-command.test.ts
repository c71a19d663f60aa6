// `talkcal inspect` as a user runs it: a file on disk or a feed URL over real HTTP, the window and
// output flags, the SSRF guard (a loopback URL needs --allow-host), and usage errors.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { InspectUsageError, register } from '../../../src/cli/commands/inspect.js';

const calendar = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Test//EN',
  'BEGIN:VEVENT',
  'UID:daily@test',
  'DTSTAMP:20260101T000000Z',
  'DTSTART;TZID=Europe/Berlin:20260503T090000',
  'DTEND;TZID=Europe/Berlin:20260503T093000',
  'RRULE:FREQ=DAILY;COUNT=10',
  'SUMMARY:Stand-up',
  'END:VEVENT',
  'BEGIN:VTODO',
  'UID:todo@test',
  'DTSTAMP:20260101T000000Z',
  'DUE;VALUE=DATE:20990610',
  'SUMMARY:File taxes',
  'END:VTODO',
  'END:VCALENDAR',
  '',
].join('\r\n');

let dir: string;
let file: string;
let server: Server;
let url: string;
let requests = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'inspect-'));
  file = join(dir, 'cal.ics');
  writeFileSync(file, calendar);
  server = createServer((_req, res) => {
    requests++;
    res.writeHead(200, { 'content-type': 'text/calendar; charset=utf-8' });
    res.end(calendar);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cal.ics`;
});

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await new Promise((resolve) => server.close(resolve));
});

/** Runs `talkcal <args>` in-process and returns what it printed. */
async function talkcal(...args: string[]): Promise<string> {
  const program = new Command('talkcal').option('--json').exitOverride();
  register(program);
  let out = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(args, { from: 'user' });
  } finally {
    write.mockRestore();
  }
  return out;
}

const jsonLines = (out: string) =>
  out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('talkcal inspect', () => {
  it('reads a file and prints one JSON object per item plus a summary, occurrences in the window', async () => {
    const out = await talkcal(
      'inspect',
      file,
      '--from',
      '2026-05-05',
      '--to',
      '2026-05-08',
      '--zone',
      'Europe/Berlin',
      '--occurrences',
      '--json',
    );
    const lines = jsonLines(out);
    const event = lines.find((l) => l.uid === 'daily@test') as {
      requests: { kind: string; event: { rrule?: string; time: { time_zone?: string } } }[];
      occurrences: { start: string; allDay: boolean; title: string }[];
    };
    expect(event.requests[0]?.kind).toBe('event');
    expect(event.requests[0]?.event.rrule).toBe('FREQ=DAILY;COUNT=10');
    expect(event.requests[0]?.event.time.time_zone).toBe('Europe/Berlin');
    // 5, 6 and 7 May at 09:00 Berlin (CEST, UTC+2); the window ends at the start of the 8th.
    expect(event.occurrences.map((o) => o.start)).toEqual([
      '2026-05-05T07:00:00Z',
      '2026-05-06T07:00:00Z',
      '2026-05-07T07:00:00Z',
    ]);
    expect(event.occurrences.every((o) => !o.allDay && o.title === 'Stand-up')).toBe(true);
    const todo = lines.find((l) => l.uid === 'todo@test') as { requests: { kind: string }[] };
    expect(todo.requests[0]?.kind).toBe('task');
    expect(lines).toHaveLength(3);
  });

  it('leaves occurrences out without --occurrences and prints a readable report without --json', async () => {
    const json = jsonLines(await talkcal('inspect', file, '--json'));
    expect(json.find((l) => l.uid === 'daily@test')?.occurrences).toBeUndefined();
    const human = await talkcal('inspect', file);
    expect(human).toContain('daily@test');
    expect(human).toContain('File taxes');
    expect(() => JSON.parse(human.split('\n')[0] ?? '')).toThrow();
  });

  it('refuses a loopback URL unless --allow-host names it, then reads it over HTTP', async () => {
    requests = 0;
    const refused = await talkcal('inspect', url, '--json').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InspectUsageError);
    expect((refused as Error).message).toMatch(
      /refusing to connect to 127\.0\.0\.1.*--allow-host 127\.0\.0\.1/,
    );
    expect(requests).toBe(0);
    const lines = jsonLines(await talkcal('inspect', url, '--allow-host', '127.0.0.1', '--json'));
    expect(requests).toBe(1);
    expect(lines.map((l) => l.uid).filter(Boolean)).toEqual(
      expect.arrayContaining(['daily@test', 'todo@test']),
    );
  });

  it.each([
    [['--from', 'yesterday'], /--from yesterday/],
    [['--from', '2026-05-10', '--to', '2026-05-01'], /--to must be after --from/],
    [['--zone', 'Mars/Olympus'], /not an IANA zone/],
  ])('refuses bad flags %j with a usage error', async (flags, message) => {
    const error = await talkcal('inspect', file, ...flags).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InspectUsageError);
    expect((error as Error).message).toMatch(message);
  });

  it('reports a missing file as a usage error naming it', async () => {
    const missing = join(dir, 'nope.ics');
    const error = await talkcal('inspect', missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InspectUsageError);
    expect((error as Error).message).toContain(missing);
  });
});
