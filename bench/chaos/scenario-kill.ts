import { setTimeout as sleep } from 'node:timers/promises';
import { type Agreement, agrees, sumAgreements } from './agreement.js';
import { logMark, writesSince } from './emulator-log.js';
import { deleteEvents, editEvents, type FeedEvent, initialEvents, renderIcs } from './feed-model.js';
import { check, type Row } from './report.js';
import type { Rig } from './rig.js';
import { cleanRun, type Scope } from './scope.js';
import type { ChaosWorker } from './worker.js';

// Scenario 1: `kill -9` of the worker at random points (seeded) of first syncs, update-heavy and
// delete-heavy syncs; a fresh worker finishes each; both sides are compared after every round and
// at the end. Each round kills once: cohorts of users do a first sync, then an update-heavy and a
// delete-heavy change of their feeds.

export interface KillPlan {
  kills: number;
  usersPerCohort: number;
  eventsPerUser: number;
}

type RoundKind = 'first' | 'update' | 'delete';
const kinds: RoundKind[] = ['first', 'update', 'delete'];

interface FeedUser {
  id: string;
  feed: string;
  events: FeedEvent[];
}

interface KillRecord {
  kind: RoundKind;
  target: number;
  writesAtKill: number;
  midSync: boolean;
  convergeMs: number;
  converged: boolean;
  retriggers: number;
  agreement: Agreement;
}

/** Changes the cohort's feeds (or makes the cohort) for a round; returns the writes it should cause. */
async function prepareRound(
  rig: Rig,
  scope: Scope,
  kind: RoundKind,
  cohort: FeedUser[],
  plan: KillPlan,
  round: number,
) {
  let expected = 0;
  if (kind === 'first') {
    cohort.length = 0;
    for (let u = 0; u < plan.usersPerCohort; u++) {
      const feed = `kill-r${round}-u${u}`;
      const events = initialEvents(`k${round}u${u}`, plan.eventsPerUser);
      rig.feeds.set(feed, renderIcs(events));
      cohort.push({ id: await scope.addUser({ type: 'ics', url: rig.feeds.url(feed) }), feed, events });
      expected += events.length;
    }
    return expected;
  }
  for (const user of cohort) {
    if (kind === 'update') {
      const next = editEvents(user.events, 0.4, rig.rng, round);
      user.events = next.events;
      expected += next.edited;
    } else {
      const next = deleteEvents(user.events, 0.3, 0.1, rig.rng, round);
      user.events = next.events;
      expected += next.deleted + next.added;
    }
    rig.feeds.set(user.feed, renderIcs(user.events));
  }
  return expected;
}

/** Waits until `target` writes reached the emulator (or the cohort finished), polling every 5 ms. */
async function untilWrites(
  rig: Rig,
  scope: Scope,
  mark: number,
  target: number,
  users: string[],
  since: number,
) {
  const deadline = Date.now() + 60_000;
  let polls = 0;
  while (Date.now() < deadline && writesSince(rig.emulator, mark) < target) {
    if (++polls % 20 === 0) {
      const runs = await Promise.all(users.map((u) => scope.lastRun(u)));
      if (runs.every((r) => cleanRun(r, since))) return;
    }
    await sleep(5);
  }
}

/** Waits (up to 10 s) until a sync of each user is running. */
async function untilClaimed(scope: Scope, users: string[]): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const holders = await Promise.all(users.map((u) => scope.ctx.queue.marker.holder(u)));
    if (holders.every((h) => h !== null)) return;
    await sleep(10);
  }
}

async function runRound(
  rig: Rig,
  scope: Scope,
  worker: ChaosWorker,
  kind: RoundKind,
  cohort: FeedUser[],
  plan: KillPlan,
  round: number,
): Promise<{ record: KillRecord; worker: ChaosWorker }> {
  const mark = logMark(rig.emulator);
  const expected = await prepareRound(rig, scope, kind, cohort, plan, round);
  const users = cohort.map((u) => u.id);
  const since = Date.now();
  await scope.trigger(users);
  // The fresh worker starts once the doomed one holds every job of the round (so it has nothing to
  // take before the kill), and is ready by the time the kill comes, more often than not.
  await untilClaimed(scope, users);
  const standby = scope.startWorker();
  standby.catch(() => {});
  // 0 = during the reads before the first write.
  const target = rig.rng.int(0, expected);
  if (target === 0) await sleep(rig.rng.int(0, 400));
  else await untilWrites(rig, scope, mark, target, users, since);
  await sleep(rig.rng.int(0, 30));
  const holders = await Promise.all(users.map((u) => scope.ctx.queue.marker.holder(u)));
  const writesAtKill = writesSince(rig.emulator, mark);
  await worker.kill9();
  const fresh = await standby;
  const convergence = await scope.converge(users, since, 120_000);
  const agreement = sumAgreements(await Promise.all(cohort.map((u) => scope.agreement(u.id, u.events))));
  return {
    worker: fresh,
    record: {
      kind,
      target,
      writesAtKill,
      midSync: holders.some((h) => h !== null),
      convergeMs: convergence.ms,
      converged: convergence.converged,
      retriggers: convergence.retriggers,
      agreement,
    },
  };
}

export async function killScenario(rig: Rig, plan: KillPlan, seed: number): Promise<Omit<Row, 'seconds'>> {
  const scope = rig.scope('kill');
  const all: FeedUser[] = [];
  const cohort: FeedUser[] = [];
  const records: KillRecord[] = [];
  const mark = logMark(rig.emulator);
  let worker = await scope.startWorker();
  try {
    for (let round = 0; round < plan.kills; round++) {
      const kind = kinds[round % kinds.length]!;
      const out = await runRound(rig, scope, worker, kind, cohort, plan, round);
      worker = out.worker;
      records.push(out.record);
      if (kind === 'first') all.push(...cohort);
      const a = out.record.agreement;
      console.log(
        `  kill ${round + 1}/${plan.kills} (${kind}): at write ${out.record.writesAtKill}/${out.record.target}` +
          `${out.record.midSync ? ' mid-sync' : ''}; converged in ${out.record.convergeMs} ms; ` +
          `dup ${a.duplicates} lost ${a.losses} extra ${a.extras}`,
      );
    }
  } finally {
    await worker.stop();
  }
  const final = sumAgreements(await Promise.all(all.map((u) => scope.agreement(u.id, u.events))));
  const midSync = records.filter((r) => r.midSync).length;
  const roundsDisagreeing = records.filter((r) => !agrees(r.agreement)).length;
  return {
    id: '1',
    title: `kill -9 of the worker at ${plan.kills} random points (seed ${seed})`,
    checks: [
      check(`kills ≥ ${plan.kills}`, records.length >= plan.kills, records.length),
      check(
        'kills that landed mid-sync ≥ 75 %',
        midSync >= 0.75 * records.length,
        `${midSync}/${records.length}`,
      ),
      check(
        'every round converged after its kill',
        records.every((r) => r.converged),
        records.filter((r) => r.converged).length,
      ),
      check('rounds where the sides disagreed = 0', roundsDisagreeing === 0, roundsDisagreeing),
      check('duplicates = 0', final.duplicates === 0, final.duplicates),
      check('losses = 0', final.losses === 0, final.losses),
      check('extras = 0', final.extras === 0, final.extras),
      check(
        'mapping ↔ Kakao (unmapped + dangling) = 0',
        final.unmapped + final.dangling === 0,
        final.unmapped + final.dangling,
      ),
    ],
    figures: {
      users: all.length,
      eventsPerUser: plan.eventsPerUser,
      feedEvents: final.expected,
      kakaoWrites: writesSince(rig.emulator, mark),
      first: records.filter((r) => r.kind === 'first').length,
      update: records.filter((r) => r.kind === 'update').length,
      delete: records.filter((r) => r.kind === 'delete').length,
      maxConvergeS: Math.max(...records.map((r) => r.convergeMs)) / 1000,
      retriggers: records.reduce((s, r) => s + r.retriggers, 0),
      ...(final.examples.length > 0 ? { examples: final.examples.join('; ') } : {}),
    },
  };
}
