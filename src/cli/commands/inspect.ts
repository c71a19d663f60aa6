// talkcal inspect <file.ics | URL>: what one calendar becomes in Talk Calendar, item by item,
// without touching Kakao. The translation itself is src/cli/inspect/report.ts.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { DateTime, IANAZone } from 'luxon';
import { loadConfig } from '../../config/load.js';
import { TalkcalError } from '../../model/errors.js';
import { FeedBlockedAddressError } from '../../sources/ics-feed/errors.js';
import { fetchFeed } from '../../sources/ics-feed/fetch.js';
import { formatHuman, formatJsonLines } from '../inspect/format.js';
import { inspectCalendar } from '../inspect/report.js';

/** A command-line value is not what the option needs. */
export class InspectUsageError extends TalkcalError {
  readonly scope = 'user';
}

interface InspectFlags {
  config?: string;
  from?: string;
  to?: string;
  json?: boolean;
  occurrences?: boolean;
  zone?: string;
  allowHost?: string[];
}

function parseDay(value: string, flag: string, zone: string): Date {
  const at = DateTime.fromISO(value, { zone });
  if (!at.isValid) throw new InspectUsageError(`${flag} ${value}: expected a date like 2026-05-01`);
  return at.toJSDate();
}

async function readSource(source: string, allowHosts: readonly string[]): Promise<string> {
  if (/^(https?|webcals?):\/\//i.test(source)) {
    const response = await fetchFeed(source, { allowHosts }).catch((error: unknown) => {
      // The guard's own hint names the daemon's config key; inspect takes the host as a flag.
      if (error instanceof FeedBlockedAddressError)
        throw new InspectUsageError(`${error.message}; for inspect: --allow-host ${error.host}`);
      throw error;
    });
    if (response.notModified)
      throw new InspectUsageError(`${source}: the server answered 304 without a body`);
    return response.text;
  }
  try {
    return await readFile(source, 'utf8');
  } catch (error) {
    throw new InspectUsageError(`cannot read ${source}: ${(error as Error).message}`);
  }
}

export function register(program: Command): void {
  program
    .command('inspect')
    .description('show the Kakao requests, warnings and occurrences one calendar becomes (nothing is sent)')
    .argument('<source>', 'an .ics file, or an http(s)/webcal URL')
    .option('--from <date>', 'window start (default: today - 30 days)')
    .option('--to <date>', 'window end (default: today + 365 days)')
    .option('--occurrences', 'list every occurrence in the window (UTC start/end, all-day, title)')
    .option('--zone <zone>', 'IANA zone for floating times and the window', 'Asia/Seoul')
    .option('--json', 'one JSON object per line')
    .option(
      '--allow-host <host>',
      'let the URL reach this host or address although it is loopback/private (repeatable)',
      (host: string, hosts: string[]) => [...hosts, host],
      [] as string[],
    )
    .action(async (source: string, _opts: unknown, cmd: Command) => {
      const flags = cmd.optsWithGlobals<InspectFlags>();
      const zone = flags.zone ?? 'Asia/Seoul';
      if (!IANAZone.isValidZone(zone)) throw new InspectUsageError(`--zone ${zone}: not an IANA zone`);
      const now = new Date();
      const today = DateTime.fromJSDate(now, { zone }).startOf('day');
      const from = flags.from ? parseDay(flags.from, '--from', zone) : today.minus({ days: 30 }).toJSDate();
      const to = flags.to ? parseDay(flags.to, '--to', zone) : today.plus({ days: 365 }).toJSDate();
      if (to <= from) throw new InspectUsageError('--to must be after --from');
      // The daemon's bounds (config `limits`), so inspect shows what the daemon would do.
      const { limits } = loadConfig(flags.config ? { file: flags.config } : {});
      const text = await readSource(source, flags.allowHost ?? []);
      const report = inspectCalendar(text, {
        from,
        to,
        zone,
        now,
        occurrences: flags.occurrences === true,
        limits,
      });
      process.stdout.write(flags.json ? formatJsonLines(report) : formatHuman(report));
    });
}
