import { setTimeout as sleep } from 'node:timers/promises';
import type { Fault } from '../../src/emulator/state.js';
import type { LastRun } from '../../src/queue/sync-worker.js';
import { sumAgreements } from './agreement.js';
import { countSince, logMark } from './emulator-log.js';
import { deleteEvents, editEvents, type FeedEvent, initialEvents, renderIcs } from './feed-model.js';
import { check, type Row } from './report.js';
import type { Rig } from './rig.js';
import { cleanRun, type Scope } from './scope.js';

// Scenario 3: a share (10 %) of the Kakao requests (API and OAuth) fail transiently — 5xx, -603,
// 429, -9798, connections dropped before or after processing, latency spikes — through a first
// sync (with every access token expired, so each user's refresh goes through the faults too) and an
// update-and-delete sync. Then the faults stop: the daemon must converge, both sides agree, and no
// user is marked needs_reauth (or paused) by a transient error.

export interface FaultsPlan {
  users: number;
  eventsPerUser: number;
  /** Share of requests that get a fault. */
  share: number;
  /** A second faulted sync after an update-and-delete change of every feed (the full run). */
  changes: boolean;
}

const kinds: { kind: string; fault: Omit<Fault, 'path' | 'times'> }[] = [
  { kind: '500', fault: { status: 500, code: -1, msg: 'internal error' } },
  { kind: '503 -9798', fault: { status: 503, code: -9798, msg: 'under maintenance' } },
  { kind: '-603', fault: { status: 400, code: -603, msg: 'timeout' } },
  { kind: '429', fault: { status: 429, code: -1, msg: 'too many requests' } },
  { kind: 'drop', fault: { drop: true } },
  { kind: 'drop after processing', fault: { drop: true, afterProcessing: true } },
  { kind: 'latency 2.5 s', fault: { latencyMs: 2500 } },
];
const paths = ['/v2/*', '/v1/*', '/oauth/*'];
const budget = 1_000_000;

interface User {
  id: string;
  feed: string;
  events: FeedEvent[];
}

/** Waits until every user has a run (of any outcome) that started at or after `since`; counts the clean ones. */
async function untilRan(scope: Scope, ids: string[], since: number, ms: number) {
  const deadline = Date.now() + ms;
  let runs: (LastRun | undefined)[] = [];
  while (Date.now() < deadline) {
    runs = (await Promise.all(ids.map((u) => scope.lastRun(u)))).filter(
      (r) => r && Date.parse(r.startedAt) >= since,
    );
    if (runs.length === ids.length) break;
    await sleep(250);
  }
  return { ran: runs.length, clean: runs.filter((r) => cleanRun(r, since)).length };
}

export async function faultsScenario(rig: Rig, plan: FaultsPlan): Promise<Omit<Row, 'seconds'>> {
  const scope = rig.scope('faults');
  const users: User[] = [];
  for (let u = 0; u < plan.users; u++) {
    const feed = `faults-u${u}`;
    const events = initialEvents(`f${u}`, plan.eventsPerUser);
    rig.feeds.set(feed, renderIcs(events));
    users.push({ id: await scope.addUser({ type: 'ics', url: rig.feeds.url(feed) }), feed, events });
  }
  const ids = users.map((u) => u.id);
  // Each kind draws on its own; together they hit `share` of the requests.
  const p = 1 - (1 - plan.share) ** (1 / kinds.length);
  const worker = await scope.startWorker();
  const mark = logMark(rig.emulator);
  let ranFaulted = 0;
  let cleanFaulted = 0;
  let states: Record<string, number> = {};
  let converged: Awaited<ReturnType<Scope['converge']>>;
  const live: { kind: string; fault: Fault }[] = [];
  let requests: number;
  try {
    // The emulator keeps the fault objects it was given copies of; `times` counts down as they fire.
    for (const { kind, fault } of kinds) {
      for (const path of paths) {
        rig.emulator.admin.addFault({ ...fault, path, times: budget, probability: p });
        live.push({ kind, fault: rig.emulator.state.faults.at(-1)! });
      }
    }
    for (const id of ids) rig.emulator.admin.expireTokens(id);
    const first = Date.now();
    await scope.trigger(ids);
    const a = await untilRan(scope, ids, first, 90_000);
    let b = { ran: 0, clean: 0 };
    if (plan.changes) {
      for (const [i, u] of users.entries()) {
        u.events = editEvents(u.events, 0.3, rig.rng, 1).events;
        u.events = deleteEvents(u.events, 0.1, 0.05, rig.rng, 1).events;
        rig.feeds.set(u.feed, renderIcs(u.events));
        if (i === 0) rig.emulator.admin.expireTokens(u.id);
      }
      const second = Date.now();
      await scope.trigger(ids);
      b = await untilRan(scope, ids, second, 90_000);
    }
    ranFaulted = a.ran + b.ran;
    cleanFaulted = a.clean + b.clean;
    requests = countSince(rig.emulator, mark, (e) => paths.some((p) => e.path.startsWith(p.slice(0, -1))));
    rig.emulator.admin.clearFaults();
    const calm = Date.now();
    converged = await scope.converge(ids, calm, 150_000);
    states = await scope.userStates(ids);
  } finally {
    rig.emulator.admin.clearFaults();
    await worker.stop();
  }
  const injected: Record<string, number> = {};
  for (const { kind, fault } of live) injected[kind] = (injected[kind] ?? 0) + budget - fault.times;
  const total = Object.values(injected).reduce((a, b) => a + b, 0);
  const share = requests > 0 ? total / requests : 0;
  const final = sumAgreements(await Promise.all(users.map((u) => scope.agreement(u.id, u.events))));
  return {
    id: '3',
    title: `${Math.round(plan.share * 100)} % injected Kakao faults (5xx, -603, 429, -9798, drops, latency)`,
    checks: [
      check(
        'faults hit 5–15 % of the requests',
        share >= 0.05 && share <= 0.15,
        `${(share * 100).toFixed(1)} % (${total} of ${requests})`,
      ),
      check(
        'converged once the faults stopped',
        converged.converged,
        converged.converged
          ? `${(converged.ms / 1000).toFixed(1)} s`
          : `${converged.pending.length} users pending`,
      ),
      check(
        'users marked needs_reauth = 0',
        (states['needs_reauth'] ?? 0) === 0,
        states['needs_reauth'] ?? 0,
      ),
      check('users paused = 0', (states['paused'] ?? 0) === 0, states['paused'] ?? 0),
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
      users: plan.users,
      eventsPerUser: plan.eventsPerUser,
      faultedRuns: ranFaulted,
      faultedRunsClean: cleanFaulted,
      oauthRequests: countSince(rig.emulator, mark, (e) => e.path.startsWith('/oauth/')),
      ...Object.fromEntries(Object.entries(injected).map(([k, v]) => [`fault ${k}`, v])),
      retriggers: converged.retriggers,
      ...(final.examples.length > 0 ? { examples: final.examples.join('; ') } : {}),
    },
  };
}
