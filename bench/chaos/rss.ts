import { procFile } from './proc-file.js';

// A process's memory as the kernel reports it (/proc/PID/status): resident set now (VmRSS) and its
// peak over the process's life (VmHWM). Worker threads are part of the process, so both count them.

export interface MemoryFigures {
  rssMb: number;
  peakMb: number;
}

/** VmRSS and VmHWM of `pid` in MiB; undefined once the process is gone. */
export function readMemory(pid: number): MemoryFigures | undefined {
  const status = procFile(pid, 'status');
  if (status === undefined) return undefined;
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

export interface RssWatch {
  /** Highest VmHWM / sampled VmRSS seen so far, in MiB. */
  peakMb(): number;
  stop(): void;
}

/**
 * Samples `pid` every `everyMs`. Past `ceilingMb` it calls `onCeiling` once (the harness kills the
 * process there, so a runaway worker cannot take the machine down with it).
 */
export function watchRss(
  pid: number,
  everyMs: number,
  ceilingMb: number,
  onCeiling: (mb: number) => void,
): RssWatch {
  let peak = 0;
  let tripped = false;
  const sample = () => {
    const m = readMemory(pid);
    if (!m) return;
    peak = Math.max(peak, m.peakMb, m.rssMb);
    if (!tripped && m.rssMb > ceilingMb) {
      tripped = true;
      onCeiling(m.rssMb);
    }
  };
  const timer = setInterval(sample, everyMs);
  sample();
  return {
    peakMb: () => {
      sample();
      return peak;
    },
    stop: () => clearInterval(timer),
  };
}
