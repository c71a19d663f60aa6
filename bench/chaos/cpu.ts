import { execFileSync } from 'node:child_process';
import { procFile } from './proc-file.js';

// A process's CPU time as the kernel accounts it (/proc/PID/stat utime + stime): every thread of the
// process, so a worker's translation threads count too.

let ticksPerSecond: number | undefined;

/** User + system CPU seconds `pid` has used so far; undefined once the process is gone. */
export function readCpuSeconds(pid: number): number | undefined {
  const stat = procFile(pid, 'stat');
  if (stat === undefined) return undefined;
  // The command name (field 2) may hold spaces: count fields from the ")" that closes it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  // Fields 14 and 15 of the line: the 12th and 13th after the command name and state.
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}
