import { readFileSync } from 'node:fs';

// What the kernel says of a process in /proc/PID/<name>, read by the CPU and memory figures.

/** The text of /proc/`pid`/`name`; undefined once the process is gone. */
export function procFile(pid: number, name: 'stat' | 'status'): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${name}`, 'utf8');
  } catch {
    return undefined;
  }
}
