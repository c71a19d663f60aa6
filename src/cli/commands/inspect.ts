// talkcal inspect <file.ics | URL>: what one calendar becomes in Talk Calendar, item by item,
// without touching Kakao. The translation itself is src/cli/inspect/report.ts.
import type { Command } from 'commander';
import type { InspectFlags } from '../inspect/run.js';

export { InspectUsageError } from '../errors.js';

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
      const { runInspect } = await import('../inspect/run.js');
      await runInspect(source, cmd.optsWithGlobals<InspectFlags>());
    });
}
