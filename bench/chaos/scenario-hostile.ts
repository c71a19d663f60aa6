import type { Config } from '../../src/config/schema.js';
import { type HostileRow, hostileRows } from './hostile-rows.js';
import { runSlot, type SlotPlan, type SlotResult } from './hostile-slot.js';
import type { Profile } from './options.js';
import { check, type Row } from './report.js';
import type { Rig } from './rig.js';
import { configFor } from './settings.js';

// Scenario 4: hostile inputs, each the source of one user beside healthy users on one fresh worker.
// Each row is judged against its own worker before the swap (healthy users alone, peak memory) and
// the configured bounds. The full run starts with a control row (the same steps, the good version
// kept) whose healthy ratio shows how noisy the measurement is on this machine.

const mib = 1024 * 1024;
const seconds = (ms: number | undefined) => (ms === undefined ? undefined : Math.round(ms / 100) / 10);

/** How long a hostile link's run may take: fetching, translating, then writing what the caps let through. */
export function hostileBoundMs(c: Config): number {
  return Math.max(c.sources.ics.timeoutMs, c.sources.caldav.timeoutMs) + c.limits.translateTimeoutMs + 20_000;
}

/** What the worker's peak may grow by: the translation threads' heaps and a few copies of one capped body. */
export function rssAllowanceMb(c: Config): number {
  return c.limits.translateThreads * c.limits.translateMemoryMb + (4 * c.sources.ics.maxBytes) / mib;
}

const slowest = (list: (number | undefined)[]) =>
  list.some((x) => x === undefined) ? undefined : Math.max(...(list as number[]));

function ended(r: SlotResult, waitMs: number): string {
  if (r.hostileMs !== undefined) return `${seconds(r.hostileMs)} s`;
  if (r.killedAtCeilingMb !== undefined)
    return `worker killed at the ${Math.round(r.killedAtCeilingMb)} MiB ceiling`;
  return r.workerDied ? 'the worker died' : `still running after ${seconds(waitMs)} s`;
}

function rowOf(row: HostileRow, r: SlotResult, c: Config, waitMs: number, s: number): Row {
  const boundMs = hostileBoundMs(c);
  const rssBound = r.peakBeforeMb + rssAllowanceMb(c);
  const baseline = slowest(r.baselineMs);
  const healthy = slowest(r.healthyMs);
  const ratio = healthy !== undefined && baseline !== undefined ? healthy / baseline : undefined;
  const named = r.reported.find((t) => row.names.test(t));
  const other = r.reported[0];
  return {
    id: `4.${hostileRows.indexOf(row) + 1}`,
    title: row.title,
    seconds: s,
    checks: [
      check(
        `hostile run ended within ${boundMs / 1000} s`,
        r.hostileMs !== undefined && r.hostileMs <= boundMs,
        ended(r, waitMs),
      ),
      check(
        `worker peak RSS ≤ ${Math.round(rssBound)} MiB (before + ${Math.round(rssAllowanceMb(c))})`,
        r.peakMb <= rssBound && r.killedAtCeilingMb === undefined,
        `${Math.round(r.peakMb)} MiB`,
      ),
      check(
        `reported on its link, naming it (${row.names.source})`,
        named !== undefined,
        named ? named.slice(0, 140) : other ? `other: ${other.slice(0, 120)}` : 'nothing',
      ),
      check(
        `healthy users' sync ≤ 2 × their baseline (${seconds(baseline) ?? 'none'} s)`,
        ratio !== undefined && ratio <= 2,
        healthy === undefined
          ? `not finished in ${seconds(waitMs)} s`
          : `${seconds(healthy)} s (${ratio?.toFixed(2)}×)`,
      ),
      check(
        'synced events of the hostile user kept',
        r.goodKept === r.goodSynced && r.goodSynced > 0,
        `${r.goodKept}/${r.goodSynced}`,
      ),
    ],
    figures: {
      hostileS: seconds(r.hostileMs) ?? 'unbounded',
      outcome: r.hostileRun?.outcome ?? 'none',
      baselineS: seconds(baseline) ?? 'unfinished',
      healthyS: seconds(healthy) ?? 'unfinished',
      peakBeforeMb: Math.round(r.peakBeforeMb),
      peakMb: Math.round(r.peakMb),
    },
  };
}

function controlRow(plan: SlotPlan, r: SlotResult, s: number): Row {
  const baseline = slowest(r.baselineMs);
  const beside = slowest(r.healthyMs);
  const noise = baseline !== undefined && beside !== undefined ? beside / baseline : undefined;
  return {
    id: '4.0',
    title: `control: the slot keeps its good feed (${plan.healthyUsers} healthy users × ${plan.healthyEvents} events)`,
    informational: true,
    seconds: s,
    checks: [
      check(
        'second healthy batch / first (the noise of the ratio)',
        noise !== undefined,
        noise?.toFixed(2) ?? '–',
      ),
    ],
    figures: {
      baselineS: seconds(baseline) ?? 'unfinished',
      healthyS: seconds(beside) ?? 'unfinished',
      peakBeforeMb: Math.round(r.peakBeforeMb),
      peakMb: Math.round(r.peakMb),
    },
  };
}

export async function hostileScenario(
  rig: Rig,
  profile: Profile,
  quick: boolean,
  only?: string[],
): Promise<Row[]> {
  const c = configFor(rig.overrides, 'chaos-hostile');
  const plan: SlotPlan = { ...profile.hostile, hostileWaitMs: hostileBoundMs(c) + 10_000, ceilingMb: 2048 };
  const rows = hostileRows.filter((r) => (only ? only.includes(r.id) : quick ? r.quick : true));
  const out: Row[] = [];
  if (profile.hostile.control) {
    const t = Date.now();
    const control = controlRow(plan, await runSlot(rig, plan, 0), (Date.now() - t) / 1000);
    console.log(`  control: ${control.checks[0]?.measured}× (${JSON.stringify(control.figures)})`);
    out.push(control);
  }
  for (const row of rows) {
    const t = Date.now();
    const no = hostileRows.indexOf(row) + 1;
    try {
      const made = rowOf(
        row,
        await runSlot(rig, plan, no, row),
        c,
        plan.hostileWaitMs,
        (Date.now() - t) / 1000,
      );
      console.log(
        `  ${row.id}: ${made.checks.map((k) => `${k.pass ? '✓' : '✗'} ${k.measured}`).join(' | ')}`,
      );
      out.push(made);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      out.push({
        id: `4.${no}`,
        title: row.title,
        checks: [],
        figures: {},
        seconds: (Date.now() - t) / 1000,
        error: message,
      });
    }
  }
  return out;
}
