import type { RunningEmulator } from '../../src/emulator/server.js';

// Counting at the emulator what reached "Kakao": the request log, read from its end.

const writeEndpoints = new Set(['events.create', 'events.update', 'events.delete']);

/** The sequence number of the last logged request (a mark to count from). */
export function logMark(emulator: RunningEmulator): number {
  return emulator.state.requestLog.at(-1)?.seq ?? 0;
}

/** Requests logged after `mark` that satisfy `keep`. */
export function countSince(
  emulator: RunningEmulator,
  mark: number,
  keep: (entry: { endpoint: string; path: string; status: number; dropped?: boolean }) => boolean,
): number {
  const log = emulator.state.requestLog;
  let n = 0;
  for (let i = log.length - 1; i >= 0 && log[i]!.seq > mark; i--) if (keep(log[i]!)) n++;
  return n;
}

/** Event creates, updates and deletes that reached the emulator after `mark` (answered or not). */
export function writesSince(emulator: RunningEmulator, mark: number): number {
  return countSince(emulator, mark, (e) => writeEndpoints.has(e.endpoint));
}
