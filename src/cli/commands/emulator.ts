import type { Command } from 'commander';

// talkcal emulator: runs the Kakao Talk Calendar emulator in the foreground (tests, demo, local dev).

export function register(program: Command): void {
  program
    .command('emulator')
    .description('run the Kakao Talk Calendar emulator (API + OAuth on one local origin)')
    .option('-p, --port <port>', 'port to listen on (0 = a free port)', '0')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--quota <daily>', 'enforce a daily Talk Calendar quota (e.g. 30000)')
    .option('--latency-ms <ms>', 'delay added to every API request')
    .action(async (opts: { port: string; host: string; quota?: string; latencyMs?: string }) => {
      const { runStandalone, standaloneOptions } = await import('../../emulator/standalone.js');
      const options = standaloneOptions(opts);
      if (typeof options === 'string') program.error(`talkcal emulator: ${options}`, { exitCode: 2 });
      else await runStandalone(options);
    });
}
