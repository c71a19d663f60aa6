import { setTimeout as sleep } from 'node:timers/promises';
import { agrees, sumAgreements } from './agreement.js';
import { logMark, writesSince } from './emulator-log.js';
import { deleteEvents, editEvents, type FeedEvent, initialEvents, renderIcs } from './feed-model.js';
import { check, type Row } from './report.js';
import type { Rig } from './rig.js';
import type { Scope } from './scope.js';
import type { ChaosWorker } from './worker.js';

// Scenario 2: the run's redis-server (append-only file) is SIGKILLed mid-sync and started again on
// the same port and data directory; the worker process lives through it (a supervisor would restart
// it if it died: counted). A sync that ends after the restart must end ok, and both sides agree.

export interface RedisPlan {
  users: number;
  eventsPerUser: number;
  /** One Redis kill per sync: the first, then update-heavy and delete-heavy ones. */
  kills: number;
}

interface User {
  id: string;
  feed: string;
  events: FeedEvent[];
}

interface Outage {
  kind: string;
  writesAtKill: number;
  downMs: number;
  converged: boolean;
  convergeMs: number;
  agreed: boolean;
}

function changeFeeds(rig: Rig, users: User[], kind: string, rev: number): number {
  let expected = 0;
  for (const u of users) {
    if (kind === 'update') {
      const next = editEvents(u.events, 0.4, rig.rng, rev);
      u.events = next.events;
      expected += next.edited;
    } else if (kind === 'delete') {
      const next = deleteEvents(u.events, 0.3, 0.1, rig.rng, rev);
      u.events = next.events;
      expected += next.deleted + next.added;
    } else expected += u.events.length;
    rig.feeds.set(u.feed, renderIcs(u.events));
  }
  return expected;
}

async function untilWrites(rig: Rig, mark: number, target: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && writesSince(rig.emulator, mark) < target) await sleep(5);
}

export async function redisScenario(rig: Rig, plan: RedisPlan): Promise<Omit<Row, 'seconds'>> {
  const scope: Scope = rig.scope('redis');
  const users: User[] = [];
  for (let u = 0; u < plan.users; u++) {
    const feed = `redis-u${u}`;
    const events = initialEvents(`r${u}`, plan.eventsPerUser);
    users.push({ id: await scope.addUser({ type: 'ics', url: rig.feeds.url(feed) }), feed, events });
  }
  const ids = users.map((u) => u.id);
  let worker: ChaosWorker = await scope.startWorker();
  let workerRestarts = 0;
  const outages: Outage[] = [];
  try {
    for (let k = 0; k < plan.kills; k++) {
      const kind = ['first', 'update', 'delete'][k % 3]!;
      const mark = logMark(rig.emulator);
      const expected = changeFeeds(rig, users, kind, k);
      const since = Date.now();
      await scope.trigger(ids);
      // Somewhere in the middle third of the sync's writes.
      const writesAtKill = rig.rng.int(Math.ceil(expected / 3), Math.ceil((2 * expected) / 3));
      await untilWrites(rig, mark, writesAtKill);
      await rig.redis.kill9();
      const downMs = rig.rng.int(500, 2000);
      await sleep(downMs);
      await rig.redis.restart();
      const restartedAt = Date.now();
      if (!worker.alive()) {
        workerRestarts++;
        worker = await scope.startWorker();
      }
      const c = await scope.converge(ids, since, 120_000, restartedAt);
      if (!worker.alive()) workerRestarts++;
      const agreement = sumAgreements(await Promise.all(users.map((u) => scope.agreement(u.id, u.events))));
      outages.push({
        kind,
        writesAtKill,
        downMs,
        converged: c.converged,
        convergeMs: c.ms,
        agreed: agrees(agreement),
      });
      console.log(
        `  redis kill ${k + 1}/${plan.kills} (${kind}) at write ${writesAtKill}, down ${downMs} ms: ` +
          `${c.converged ? `converged in ${c.ms} ms` : `not converged (${c.pending.length} users)`}; ` +
          `dup ${agreement.duplicates} lost ${agreement.losses} extra ${agreement.extras}`,
      );
    }
  } finally {
    await worker.stop();
  }
  const final = sumAgreements(await Promise.all(users.map((u) => scope.agreement(u.id, u.events))));
  return {
    id: '2',
    title: `Redis SIGKILLed mid-sync ${plan.kills}× and restarted (same port, append-only file)`,
    checks: [
      check(
        'a sync ending after each restart ended ok',
        outages.every((o) => o.converged),
        outages.filter((o) => o.converged).length,
      ),
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
      maxConvergeS: Math.max(...outages.map((o) => o.convergeMs)) / 1000,
      workerRestarts,
      ...(final.examples.length > 0 ? { examples: final.examples.join('; ') } : {}),
    },
  };
}
