import type { Config } from '../../src/config/schema.js';
import { type HostileRow, hostileRows } from './hostile-rows.js';
import { runSlot, type SlotPlan, type SlotResult } from './hostile-slot.js';
import type { Profile } from './options.js';
import { check, type Row } from './report.js';
import type { Rig } from './rig.js';
import { configFor } from './settings.js';

// Scenario 4: hostile inputs, each the source of one user beside healthy users on the same worker.
// A control row (the same steps, the good version kept) gives the healthy users' baseline and the
// worker's ordinary peak memory; every hostile row is judged against it and the configured bounds.

const mib = 1024 * 1024;
const seconds = (ms: number | undefined) => (ms === undefined ? undefined : Math.round(ms / 100) / 10);

/** How long a hostile link's run may take: fetching, translating, then writing what the caps let through. */
export function hostileBoundMs(c: Config): number {
  return Math.max(c.sources.ics.timeoutMs, c.sources.caldav.timeoutMs) + c.limits.translateTimeoutMs + 20_000;
}

/** The worker's peak may exceed the control's by what the translation threads and one capped body may hold. */
export function rssAllowanceMb(c: Config): number {
  return c.limits.translateThreads * c.limits.translateMemoryMb + (4 * c.sources.ics.maxBytes) / mib;
}

const slowest = (list: (number | undefined)[]) =>
  list.some((x) => x === undefined) ? undefined : Math.max(...(list as number[]));

function hostileRow(
  row: HostileRow,
  r: SlotResult,
  control: SlotResult,
  c: Config,
  waitMs: number,
  s: number,
): Row {
  const boundMs = hostileBoundMs(c);
  const rssBound = control.peakMb + rssAllowanceMb(c);
  const baseline = slowest(r.baselineMs);
  const healthy = slowest(r.healthyMs);
  const ratio = healthy !== undefined && baseline !== undefined ? healthy / baseline : undefined;
  const named = r.reported.find((t) => row.names.test(t));
  const ended =
    r.hostileMs !== undefined
      ? `${seconds(r.hostileMs)} s`
      : r.killedAtCeilingMb !== undefined
        ? `worker killed at the ${Math.round(r.killedAtCeilingMb)} MiB ceiling`
        : r.workerDied
          ? 'the worker died'
          : `still running after ${seconds(waitMs)} s`;
  return {
    id: `4.${hostileRows.indexOf(row) + 1}`,
    title: row.title,
    seconds: s,
    checks: [
      check(
        `hostile run ended within ${boundMs / 1000} s`,
        r.hostileMs !== undefined && r.hostileMs <= boundMs,
        ended,
      ),
      check(
        `worker peak RSS ≤ ${Math.round(rssBound)} MiB`,
        r.peakMb <= rssBound && !r.killedAtCeilingMb,
        `${Math.round(r.peakMb)} MiB`,
      ),
      check(
        `reported on its link, naming it (${row.names.source})`,
        named !== undefined,
        named
          ? named.slice(0, 140)
          : r.reported.length > 0
            ? `other: ${r.reported[0]!.slice(0, 120)}`
            : 'nothing',
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
  const started = Date.now();
  const control = await runSlot(rig, plan, 0);
  const baseline = slowest(control.baselineMs);
  const beside = slowest(control.healthyMs);
  const noise = baseline !== undefined && beside !== undefined ? beside / baseline : undefined;
  console.log(
    `  control: healthy ${seconds(baseline)} s alone, ${seconds(beside)} s beside the good slot; ` +
      `worker peak ${Math.round(control.peakMb)} MiB`,
  );
  const out: Row[] = [
    {
      id: '4.0',
      title: `control: the hostile slot keeps its good feed (${plan.healthyUsers} healthy users × ${plan.healthyEvents} events)`,
      informational: true,
      seconds: (Date.now() - started) / 1000,
      checks: [
        check(
          'second healthy batch / first (the measurement noise)',
          noise !== undefined,
          noise?.toFixed(2) ?? 'unfinished',
        ),
      ],
      figures: {
        baselineS: seconds(baseline) ?? 'unfinished',
        healthyS: seconds(beside) ?? 'unfinished',
        peakMb: Math.round(control.peakMb),
      },
    },
  ];
  if (noise === undefined) throw new Error('the control run did not sync its healthy users');
  for (const row of rows) {
    const t = Date.now();
    let r: SlotResult;
    try {
      r = await runSlot(rig, plan, hostileRows.indexOf(row) + 1, row);
    } catch (error) {
      out.push({
        id: `4.${hostileRows.indexOf(row) + 1}`,
        title: row.title,
        checks: [],
        figures: {},
        seconds: (Date.now() - t) / 1000,
        error: String(error),
      });
      continue;
    }
    const made = hostileRow(row, r, control, c, plan.hostileWaitMs, (Date.now() - t) / 1000);
    console.log(`  ${row.id}: ${made.checks.map((k) => `${k.pass ? '✓' : '✗'} ${k.measured}`).join(' | ')}`);
    out.push(made);
  }
  return out;
}
