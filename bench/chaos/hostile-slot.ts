import { setTimeout as sleep } from 'node:timers/promises';
import type { LastRun } from '../../src/queue/sync-worker.js';
import { startFakeCaldav } from './fake-caldav.js';
import { initialEvents, renderIcs } from './feed-model.js';
import type { HostileRow } from './hostile-rows.js';
import type { Rig } from './rig.js';
import { linkReportsOf, type Scope } from './scope.js';

// One hostile row as it runs: a fresh worker; the hostile user's good version synced; then the
// hostile version swapped in and synced beside fresh healthy users on the same worker, measured
// from outside (trigger → finished, /proc memory, the emulator's events, the user's last run).

export interface SlotPlan {
  healthyUsers: number;
  healthyEvents: number;
  goodEvents: number;
  /** How long the harness waits for the hostile run before it calls it unbounded. */
  hostileWaitMs: number;
  ceilingMb: number;
}

export interface SlotResult {
  /** Trigger → the hostile run's end; undefined = not ended within the wait. */
  hostileMs?: number;
  hostileRun?: LastRun;
  /** Trigger → each healthy user's clean run ended, alone on the worker (the baseline). */
  baselineMs: (number | undefined)[];
  /** The same for the second batch, beside the hostile run; undefined = not within the wait. */
  healthyMs: (number | undefined)[];
  /** The worker's peak before the hostile version was swapped in (seed and baseline done). */
  peakBeforeMb: number;
  peakMb: number;
  killedAtCeilingMb?: number;
  workerDied: boolean;
  goodSynced: number;
  goodKept: number;
  /** The hostile link's error, warnings and item problems as the user's status shows them. */
  reported: string[];
}

async function untilRunning(scope: Scope, userId: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && !(await scope.ctx.queue.marker.holder(userId))) await sleep(10);
}

async function runAfter(scope: Scope, userId: string, since: number): Promise<LastRun | undefined> {
  const run = await scope.lastRun(userId);
  return run && Date.parse(run.startedAt) >= since ? run : undefined;
}

function reportedOf(run: LastRun | undefined): string[] {
  if (!run) return [];
  const out = run.error ? [run.error] : [];
  for (const l of linkReportsOf(run)) {
    if (l.error) out.push(l.error);
    out.push(...(l.warnings ?? []));
    out.push(...(l.quarantined ?? []).map((q) => q.reason));
    out.push(...(l.failed ?? []).map((f) => f.error));
  }
  return out;
}

async function hostileSource(
  rig: Rig,
  name: string,
  good: ReturnType<typeof initialEvents>,
  row?: HostileRow,
) {
  if (row && !row.body) {
    const fake = await startFakeCaldav(good);
    const source = {
      type: 'caldav' as const,
      url: fake.collectionUrl,
      username: fake.username,
      password: fake.password,
      component: 'event' as const,
    };
    return { source, fake, swapIn: () => fake.setHostile(true) };
  }
  rig.feeds.set(name, renderIcs(good));
  const swapIn = () => {
    const body = row?.body?.(good, rig.rng) ?? renderIcs(good);
    if (typeof body === 'function') rig.feeds.handle(name, body);
    else rig.feeds.set(name, body);
  };
  return { source: { type: 'ics' as const, url: rig.feeds.url(name) }, fake: undefined, swapIn };
}

/** Fresh healthy users (first syncs of `healthyEvents` events each), registered but not triggered. */
async function healthyUsers(rig: Rig, scope: Scope, plan: SlotPlan, slotNo: number, batch: string) {
  const users: string[] = [];
  for (let k = 0; k < plan.healthyUsers; k++) {
    const name = `slot-${slotNo}-${batch}${k}`;
    rig.feeds.set(name, renderIcs(initialEvents(`w${slotNo}${batch}${k}`, plan.healthyEvents)));
    users.push(await scope.addUser({ type: 'ics', url: rig.feeds.url(name) }));
  }
  return users;
}

/** Trigger → clean run ended, per user (undefined: not within `waitMs`). */
async function timeBatch(scope: Scope, users: string[], since: number, waitMs: number) {
  await scope.converge(users, since, waitMs);
  const out: (number | undefined)[] = [];
  for (const u of users) {
    const run = await runAfter(scope, u, since);
    out.push(run?.outcome === 'ok' ? Date.parse(run.finishedAt) - since : undefined);
  }
  return out;
}

/**
 * Runs one row (or, without `row`, the control: the same steps with the good version kept). The
 * healthy users' baseline is measured on the same worker just before: a batch of fresh healthy
 * users alone, then a second batch like it beside the hostile run.
 */
export async function runSlot(
  rig: Rig,
  plan: SlotPlan,
  slotNo: number,
  row?: HostileRow,
): Promise<SlotResult> {
  const id = row?.id ?? 'control';
  const scope = rig.scope(`slot${slotNo}`, { sync: { lockTtlMs: 30_000 } });
  const good = initialEvents(`h${slotNo}`, plan.goodEvents);
  const slot = await hostileSource(rig, `slot-${slotNo}`, good, row);
  try {
    return await measureSlot(rig, scope, plan, slotNo, slot, id);
  } finally {
    await slot.fake?.close();
  }
}

async function measureSlot(
  rig: Rig,
  scope: Scope,
  plan: SlotPlan,
  slotNo: number,
  slot: Awaited<ReturnType<typeof hostileSource>>,
  id: string,
): Promise<SlotResult> {
  const hostile = await scope.addUser(slot.source);
  const worker = await scope.startWorker({ ceilingMb: plan.ceilingMb, lockDurationMs: 30_000 });
  try {
    const seededAt = Date.now();
    await scope.trigger([hostile]);
    const seeded = await scope.converge([hostile], seededAt, 60_000);
    if (!seeded.converged) throw new Error(`the good version of the ${id} source did not sync within 60 s`);
    const goodIds = scope.kakaoEvents(hostile).map((e) => e.id);
    const alone = await healthyUsers(rig, scope, plan, slotNo, 'a');
    const baseAt = Date.now();
    await scope.trigger(alone);
    const baselineMs = await timeBatch(scope, alone, baseAt, 60_000);
    const peakBeforeMb = worker.rss.peakMb();
    slot.swapIn();
    const beside = await healthyUsers(rig, scope, plan, slotNo, 'b');
    const t0 = Date.now();
    await scope.trigger([hostile]);
    await untilRunning(scope, hostile, 5000);
    const t1 = Date.now();
    await scope.trigger(beside);
    const healthyMs = await timeBatch(scope, beside, t1, Math.max(0, t0 + plan.hostileWaitMs - Date.now()));
    let hostileRun = await runAfter(scope, hostile, t0);
    while (!hostileRun && worker.alive() && Date.now() - t0 < plan.hostileWaitMs) {
      await sleep(100);
      hostileRun = await runAfter(scope, hostile, t0);
    }
    const peakMb = worker.rss.peakMb();
    const kept = new Set(scope.kakaoEvents(hostile).map((e) => e.id));
    return {
      ...(hostileRun ? { hostileMs: Date.parse(hostileRun.finishedAt) - t0, hostileRun } : {}),
      baselineMs,
      healthyMs,
      peakBeforeMb,
      peakMb,
      ...(worker.killedAtCeilingMb !== undefined ? { killedAtCeilingMb: worker.killedAtCeilingMb } : {}),
      workerDied: !worker.alive(),
      goodSynced: goodIds.length,
      goodKept: goodIds.filter((i) => kept.has(i)).length,
      reported: reportedOf(hostileRun),
    };
  } finally {
    await worker.stop();
  }
}
