// The work of `talkcal inspect`: read the calendar (file or URL), translate it, print the report.
// Imported when the command runs, so `talkcal --help` never loads luxon, undici or the translators.
import { readFile } from 'node:fs/promises';
import { DateTime, IANAZone } from 'luxon';
import { decodeCalendar } from '../../sources/ics-feed/decode-calendar.js';
import { FeedBlockedAddressError } from '../../sources/ics-feed/errors.js';
import { fetchFeed } from '../../sources/ics-feed/fetch.js';
import { InspectUsageError } from '../errors.js';
import { formatHuman, formatJsonLines } from './format.js';
import { inspectCalendar } from './report.js';

export interface InspectFlags {
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

/** The calendar text, decoded as the sync decodes a feed, and what decoding had to guess. */
export async function readCalendarSource(
  source: string,
  allowHosts: readonly string[],
): Promise<DecodedSource> {
  if (/^(https?|webcals?):\/\//i.test(source)) {
    const response = await fetchFeed(source, { allowHosts }).catch((error: unknown) => {
      // The guard's own hint names the daemon's config key; inspect takes the host as a flag.
      if (error instanceof FeedBlockedAddressError)
        throw new InspectUsageError(`${error.message}; for inspect: --allow-host ${error.host}`);
      throw error;
    });
    if (response.notModified)
      throw new InspectUsageError(`${source}: the server answered 304 without a body`);
    return { text: response.text, notices: response.warnings.map((w) => `feed charset: ${w.message}`) };
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(source);
  } catch (error) {
    throw new InspectUsageError(`cannot read ${source}: ${(error as Error).message}`);
  }
  // A file has no Content-Type: BOM, then UTF-8, then the legacy charset guess, as for a feed.
  const decoded = decodeCalendar(source, bytes, undefined);
  return { text: decoded.text, notices: decoded.warnings.map((w) => `feed charset: ${w.message}`) };
}

export interface DecodedSource {
  text: string;
  notices: string[];
}

export async function runInspect(source: string, flags: InspectFlags): Promise<void> {
  const zone = flags.zone ?? 'Asia/Seoul';
  if (!IANAZone.isValidZone(zone)) throw new InspectUsageError(`--zone ${zone}: not an IANA zone`);
  const now = new Date();
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  const from = flags.from ? parseDay(flags.from, '--from', zone) : today.minus({ days: 30 }).toJSDate();
  const to = flags.to ? parseDay(flags.to, '--to', zone) : today.plus({ days: 365 }).toJSDate();
  if (to <= from) throw new InspectUsageError('--to must be after --from');
  // The daemon's bounds (config `limits`), so inspect shows what the daemon would do.
  const { loadConfig } = await import('../../config/load.js');
  const { limits } = loadConfig(flags.config ? { file: flags.config } : {});
  const { text, notices } = await readCalendarSource(source, flags.allowHost ?? []);
  const occurrences = flags.occurrences === true;
  const report = inspectCalendar(text, {
    from,
    to,
    zone,
    now,
    occurrences,
    limits,
    decodingNotices: notices,
  });
  process.stdout.write(flags.json ? formatJsonLines(report) : formatHuman(report));
}
