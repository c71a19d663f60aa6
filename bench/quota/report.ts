import type { RequestLogEntry } from '../../src/emulator/state.js';
import type { CallPurpose } from '../../src/model/quota.js';
import { callPurposes } from '../../src/model/quota.js';
import type { QuotaStatus } from '../../src/queue/quota-governor.js';
import type { QuotaBenchOptions } from './options.js';
import {
  createsSince,
  firstListingCovering,
  firstSyncRequests,
  isCalendarApi,
  type Tally,
  tally,
} from './tally.js';

// The figures of a quota run, printed from the emulator's request log (what Kakao would count) and
// set beside the governor's own count.

const dayMs = 86_400_000;
const hourMs = 3_600_000;

export interface DriftProbe {
  userId: string;
  region: 'next 31 days' | 'elsewhere';
  start: number;
  deletedAt: number;
}

export interface QuotaRun {
  options: QuotaBenchOptions;
  log: readonly RequestLogEntry[];
  measured: string[];
  probes: string[];
  day0: number;
  day1: number;
  /** The governor's status of day 0, day 1, … (read with its clock at each day's noon). */
  governorDays: QuotaStatus[];
  drift: DriftProbe[];
  editsPerUser: number;
  budget: number;
  writeReserve: number;
  wallSeconds: number;
}

const f2 = (n: number) => n.toFixed(2);
const thousands = (n: number) => Math.floor(n).toLocaleString('en-US');

function purposes(s: QuotaStatus): string {
  return callPurposes.map((p: CallPurpose) => `${p} ${s.byPurpose[p]}`).join(', ');
}

export function printReport(run: QuotaRun): void {
  const { options: o, log, day0, day1 } = run;
  const measured = new Set(run.measured);
  const everyone = new Set([...run.measured, ...run.probes]);
  const days = o.days;

  // Day 0: the first syncs (and, after them, the day's first verification reads).
  const first = firstSyncRequests(log, measured, day0, day1);
  const firstPerUser = (first.creates + first.listings) / measured.size;
  const allDay0 = tally(log, everyone, day0, day1).total;
  const g0 = run.governorDays[0];
  console.log(
    `  first sync: ${f2(firstPerUser)} calls per user (emulator log: ${f2(first.creates / measured.size)} creates, ` +
      `${f2(first.listings / measured.size)} listings; governor: ${g0 ? f2(g0.byPurpose['first-sync'] / everyone.size) : '-'} ` +
      `first-sync calls per user); day 0 in all: governor ${g0?.used ?? '-'} (${g0 ? purposes(g0) : '-'}), emulator ${allDay0}` +
      `${g0 && g0.used === allDay0 ? '  ✓ same' : '  ✗ DIFFERENT'}`,
  );

  // The measured days.
  const sum: Tally[] = [];
  for (let d = 0; d < days; d++) {
    const from = day1 + d * dayMs;
    const own = tally(log, measured, from, from + dayMs);
    sum.push(own);
    const all = tally(log, everyone, from, from + dayMs).total;
    const g = run.governorDays[d + 1];
    console.log(
      `  day ${d + 1}: emulator log ${all} Talk Calendar requests (all users); governor counted ${g?.used ?? '-'} ` +
        `(${g ? purposes(g) : '-'})${g && g.used === all ? '  ✓ same' : '  ✗ DIFFERENT'}`,
    );
  }
  const per = (pick: (t: Tally) => number) => sum.reduce((n, t) => n + pick(t), 0) / days / measured.size;
  const total = per((t) => t.total);
  const other = new Map<string, number>();
  for (const t of sum) for (const [k, v] of Object.entries(t.other)) other.set(k, (other.get(k) ?? 0) + v);
  console.log(
    `  steady state (days 1–${days}, first syncs excluded), calls per user per day, counted at the emulator:`,
  );
  console.log(
    `    writes ${f2(per((t) => t.writes))} (${f2(run.editsPerUser / days)} feed edits per user per day)  ` +
      `next-31-days reads ${f2(per((t) => t.nearLists))}  rotation reads ${f2(per((t) => t.otherLists))}  ` +
      `detail reads ${f2(per((t) => t.details))}` +
      [...other].map(([k, v]) => `  ${k} ${f2(v / days / measured.size)}`).join('') +
      `  →  total ${f2(total)}`,
  );
  const users = total > 0 ? run.budget / total : Number.POSITIVE_INFINITY;
  console.log(
    `  users per ${thousands(run.budget)} calls a day: ${thousands(users)} users × ${o.events} events ` +
      `(target: ≤ 5 calls → ≥ 6,000 users)`,
  );
  // First syncs a day: the share outside the write reserve, less what existing users' days take.
  const allowance = run.budget * (1 - run.writeReserve);
  const admissions = (existing: number) =>
    Math.max(0, Math.floor((allowance - existing * total) / firstPerUser));
  console.log(
    `  first-sync admissions per day (${f2(firstPerUser)} calls each, within ${thousands(allowance)} calls outside the ` +
      `${run.writeReserve * 100} % write reserve): ` +
      [0, 1000, 2000, 4000]
        .filter((n) => n < users)
        .map((n) => `${thousands(admissions(n))} beside ${thousands(n)} users`)
        .join(', '),
  );

  // Drift: when the daemon first listed the window of an event deleted in Talk Calendar.
  const far = 365 + 30 - 31;
  const rotationDays = per((t) => t.otherListDays);
  console.log(
    `  drift: rotation reads cover ${f2(rotationDays)} days of the horizon per user per day → every day outside the ` +
      `next 31 read again within ${rotationDays > 0 ? f2(far / rotationDays) : '∞'} days (from the listings sent)`,
  );
  for (const p of run.drift) {
    const found = firstListingCovering(log, p.userId, p.start, p.deletedAt);
    const limit = p.region === 'next 31 days' ? 24 : 7 * 24;
    const hours = found === undefined ? undefined : (found - p.deletedAt) / hourMs;
    const observed = Math.min(day1 + days * dayMs, Number.POSITIVE_INFINITY) - p.deletedAt;
    console.log(
      `    probe ${p.userId}: an event ${Math.round((p.start - p.deletedAt) / dayMs)} days ahead (${p.region}) deleted in Talk Calendar → ` +
        (hours === undefined
          ? `not read again within the ${f2(observed / hourMs)} h observed (target ${limit} h)`
          : `its window read ${f2(hours)} h later (target ≤ ${limit} h) ${hours <= limit ? '✓' : '✗'}`) +
        `; ${createsSince(log, p.userId, p.deletedAt)} create(s) since`,
    );
  }
  const calendarRequests = log.filter(isCalendarApi).length;
  console.log(
    `  ${calendarRequests} Talk Calendar requests logged in all; ` +
      `whole run ${run.wallSeconds.toFixed(0)} s wall`,
  );
}
