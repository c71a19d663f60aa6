import { parseArgs } from 'node:util';

// Command line of `npm run bench -- quota [--users N …]`: the profile is the default.

export interface QuotaBenchOptions {
  users: number;
  events: number;
  /** Share of each feed's events changed per simulated day (edits spread over the day). */
  changeShare: number;
  /** Simulated days measured after the first syncs. */
  days: number;
  /** Clock seconds per real second (450: a 15-minute poll every 2 s, a day in 192 s). */
  rate: number;
  /** Extra users whose Talk Calendar events are deleted to see when the daemon notices (not counted). */
  probes: number;
  pollMinutes: number;
  concurrency: number;
  seed: number;
}

export const usage =
  'usage: npm run bench -- quota [--users 100] [--events 200] [--change-share 0.01] [--days 1] ' +
  '[--rate 450] [--probes 2] [--poll-minutes 15] [--concurrency 5] [--seed N]';

const positive = (name: string, raw: string | undefined, fallback: number, integer: boolean) => {
  const value = raw === undefined ? fallback : Number(raw);
  const ok = Number.isFinite(value) && value > 0 && (!integer || Number.isInteger(value));
  return ok ? value : `--${name} must be a positive ${integer ? 'integer' : 'number'}, got ${raw}`;
};

/** Parses the arguments; a string says what is wrong. */
export function parseQuotaOptions(argv: string[]): QuotaBenchOptions | string {
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({
      args: argv,
      options: Object.fromEntries(
        [
          'users',
          'events',
          'change-share',
          'days',
          'rate',
          'probes',
          'poll-minutes',
          'concurrency',
          'seed',
        ].map((k) => [k, { type: 'string' as const }]),
      ),
    }).values as Record<string, string | undefined>;
  } catch (error) {
    return (error as Error).message;
  }
  const out = {
    users: positive('users', values['users'], 100, true),
    events: positive('events', values['events'], 200, true),
    changeShare: positive('change-share', values['change-share'], 0.01, false),
    days: positive('days', values['days'], 1, true),
    rate: positive('rate', values['rate'], 450, false),
    probes: values['probes'] === '0' ? 0 : positive('probes', values['probes'], 2, true),
    pollMinutes: positive('poll-minutes', values['poll-minutes'], 15, true),
    concurrency: positive('concurrency', values['concurrency'], 5, true),
    seed: positive('seed', values['seed'], 11, true),
  };
  for (const v of Object.values(out)) if (typeof v === 'string') return v;
  if ((out.changeShare as number) > 1)
    return `--change-share must be at most 1, got ${values['change-share']}`;
  return out as QuotaBenchOptions;
}
