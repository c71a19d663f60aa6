import type { Command } from 'commander';
import { positiveInteger } from '../args.js';

// talkcal demo (npm run demo): everything in one process tree; Ctrl-C stops it cleanly.

export function register(program: Command): void {
  program
    .command('demo')
    .description('run the emulator, a sample ICS feed and the daemon; sync a demo user')
    .option('--interval <minutes>', 'minutes between scheduled syncs', positiveInteger, 1)
    .option('--channel', 'also keep the feed as the public events of a demo Talk Channel')
    .action(async (opts: { interval: number; channel?: boolean }) => {
      const { startDemo } = await import('../../daemon/demo.js');
      // Ctrl-C while starting stops what was started; afterwards it stops the demo. A second one
      // leaves at once.
      const starting = new AbortController();
      let stopDemo: (() => Promise<void>) | undefined;
      let stopping = false;
      const stop = () => {
        if (stopping) process.exit(130);
        stopping = true;
        console.log('\nStopping the demo…');
        if (!stopDemo) return starting.abort(new Error('stopped while starting'));
        stopDemo().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      try {
        const demo = await startDemo({
          intervalMinutes: opts.interval,
          channel: opts.channel === true,
          signal: starting.signal,
          onRedisLost: () => process.exit(1),
          muteConsoleOnRedisLoss: true,
        });
        stopDemo = demo.stop;
      } catch (error) {
        if (starting.signal.aborted) process.exit(130);
        throw error;
      }
    });
}
