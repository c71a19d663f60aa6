import { stopChild } from '../chaos/children.js';
import { readCpuSeconds } from '../chaos/cpu.js';
import type { Scope } from '../chaos/scope.js';
import { startDaemon } from './daemon.js';
import type { FeedRequest } from './feed-log.js';

// The daemon's own polling, watched from outside: `talkcal start` with a one-minute interval (time
// compressed 15×: a "minute" of the usual 15-minute interval is 4 s) and the default per-user offsets
// schedules every user; the feed server logs when each poll fetched the feed. Over two whole
// intervals in which every feed answers 304, the bench counts polls per fifteenth of the interval
// and reads the daemon's CPU time from /proc.

/** The compressed interval: the shortest `sync.intervalMinutes` allows. */
const intervalMinutes = 1;
const intervalMs = intervalMinutes * 60_000;
/** Fifteen buckets per interval, like the minutes of the default 15-minute interval. */
const bucketsPerInterval = 15;
const measuredIntervals = 2;

export interface PollSpread {
  /** Polls in each bucket of the measured window, in order. */
  perBucket: number[];
  /** Polls in the window answered 200 (a feed not yet cached): 0 when every poll was unchanged. */
  fullFetches: number;
  cpuSeconds: number;
  windowMs: number;
}

/** Polls per bucket of `bucketMs` in [from, from + buckets × bucketMs), and the 200s among them. */
export function bucketPolls(
  requests: readonly FeedRequest[],
  from: number,
  bucketMs: number,
  buckets: number,
): { perBucket: number[]; fullFetches: number } {
  const perBucket = new Array<number>(buckets).fill(0);
  let fullFetches = 0;
  for (const r of requests) {
    const i = Math.floor((r.at - from) / bucketMs);
    if (i < 0 || i >= buckets) continue;
    perBucket[i]!++;
    if (r.status === 200) fullFetches++;
  }
  return { perBucket, fullFetches };
}

const sleepUntil = (at: number) => new Promise((r) => setTimeout(r, Math.max(0, at - Date.now())));

/**
 * Runs `talkcal start` over `users` until two whole intervals (aligned as BullMQ aligns `every`) have
 * passed after every user's first poll; `env` is the daemon's, `requests` the feed's log, `builtDir`
 * the build it runs from (undefined: the sources).
 */
export async function measurePollSpread(
  scope: Scope,
  env: Record<string, string>,
  users: number,
  requests: readonly FeedRequest[],
  builtDir: string | undefined,
  nodeFlags: string[] = [],
): Promise<PollSpread> {
  const daemon = await startDaemon(
    { ...env, TALKCAL_SYNC__INTERVAL_MINUTES: String(intervalMinutes), TALKCAL_SYNC__JITTER_SECONDS: '300' },
    nodeFlags,
    builtDir,
  );
  try {
    // The daemon schedules every user in the background after /readyz: wait until it has.
    const deadline = Date.now() + 120_000;
    while ((await scope.ctx.queue.queue.getJobSchedulersCount()) < users) {
      if (Date.now() > deadline) throw new Error(`talkcal start did not schedule ${users} users in 120 s`);
      await new Promise((r) => setTimeout(r, 200));
    }
    // Every user's first poll falls within one interval of their schedule: the window starts at the
    // first aligned interval after that, when each user polls once per interval.
    const from = (Math.ceil(Date.now() / intervalMs) + 1) * intervalMs;
    await sleepUntil(from);
    const cpuFrom = readCpuSeconds(daemon.pid) ?? 0;
    const windowMs = measuredIntervals * intervalMs;
    await sleepUntil(from + windowMs);
    const cpuSeconds = (readCpuSeconds(daemon.pid) ?? 0) - cpuFrom;
    const buckets = measuredIntervals * bucketsPerInterval;
    return { ...bucketPolls(requests, from, intervalMs / bucketsPerInterval, buckets), cpuSeconds, windowMs };
  } finally {
    await stopChild(daemon.proc.child, 'SIGTERM', 10_000);
  }
}

export function describeSpread(s: PollSpread): string[] {
  const polls = s.perBucket.reduce((a, b) => a + b, 0);
  const mean = polls / s.perBucket.length;
  const max = Math.max(...s.perBucket);
  const min = Math.min(...s.perBucket);
  const bucketS = intervalMs / bucketsPerInterval / 1000;
  return [
    `  polls over ${measuredIntervals} intervals of ${intervalMinutes} min (time compressed 15×), every feed 304: ${polls} polls, ${s.fullFetches} full fetches`,
    `  poll spread per ${bucketS} s ("minute" of a 15-min interval): mean ${mean.toFixed(1)}, min ${min}, max ${max} → max/mean ${(max / Math.max(mean, 1e-9)).toFixed(2)} (goal ≤ 1.3)`,
    `  CPU of talkcal start per unchanged sync: ${((s.cpuSeconds * 1000) / Math.max(polls, 1)).toFixed(1)} ms (${s.cpuSeconds.toFixed(2)} s over ${s.windowMs / 1000} s, /proc/PID/stat)`,
  ];
}
