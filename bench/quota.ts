// Quota benchmark (issue #11): what one user costs in Kakao calls per day, counted where Kakao
// counts them. The daemon's own scheduler, quota governor and worker (runDaemon, as `talkcal worker`
// builds them) on a scaled clock, over real HTTP against the emulator in its own process (its clock
// moved in step), a private redis-server, and local ICS feeds: ≥ 100 users × 200 events spread over
// the horizon, 15-minute polls, 1 % of events changed per day at random instants. First syncs run on
// simulated day 0; day 1 (a whole Korean day, as Kakao counts it) is measured from the emulator's
// request log and cross-checked against the governor's own count. Probe users (not counted) have a
// near and a far event deleted in Talk Calendar to see when the daemon notices.
// Run: npm run bench -- quota [--users 100 --events 200 --days 1 --rate 450]   (needs redis-server)
import { Redis } from 'ioredis';
import { ScaledClock } from '../src/clock.js';
import { deepMerge } from '../src/config/load.js';
import { runDaemon } from '../src/daemon/run.js';
import { addUser } from '../src/daemon/user-service.js';
import type { RequestLogEntry } from '../src/emulator/state.js';
import { createLogger } from '../src/log.js';
import { nextKoreanMidnight } from '../src/queue/korean-day.js';
import { QuotaGovernor, type QuotaStatus } from '../src/queue/quota-governor.js';
import { killChildrenOnExit } from './chaos/children.js';
import { startFeedHost } from './chaos/feed-host.js';
import { startAofRedis } from './chaos/redis-server.js';
import { seededRng } from './chaos/rng.js';
import { configFor, daemonOverrides } from './chaos/settings.js';
import { startEmulatorProcess } from './quota/emulator-process.js';
import { editsBetween, type FeedPlan, planFeed, renderFeed } from './quota/feeds.js';
import { parseQuotaOptions, usage } from './quota/options.js';
import { type DriftProbe, printReport } from './quota/report.js';

const dayMs = 86_400_000;
/** Kakao's free tier: Talk Calendar calls per day for the whole app. */
const referenceBudget = 30_000;
const options = parseQuotaOptions(process.argv.slice(2));
if (typeof options === 'string') {
  console.error(`bench quota: ${options}\n${usage}`);
  process.exit(2);
}
const o = options;
killChildrenOnExit();
const startedReal = Date.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rng = seededRng(o.seed);

// Day 0 starts at a Korean midnight (Kakao's quota day): first syncs; day 1 … days are measured.
const day0 = nextKoreanMidnight(new Date()).getTime();
const day1 = day0 + dayMs;
const end = day1 + o.days * dayMs;
const clock = new ScaledClock(new Date(day0 + 60_000), o.rate);

const redis = await startAofRedis();
const emulator = await startEmulatorProcess(5);
const feeds = await startFeedHost();
/** Both clocks read `at` as of the same real instant. */
const moveClocks = async (at: number) => {
  const realAt = Date.now();
  clock.set(new Date(at), realAt);
  await emulator.setClock(new Date(at), o.rate, realAt);
};
await moveClocks(day0 + 60_000);

// The users' feeds: events over the horizon as it stands on day 1 (30 days back, 365 ahead), edits
// on the measured days only.
const prefix = 'quota-bench';
const overrides = deepMerge(daemonOverrides({ redisUrl: redis.url, emulatorUrl: emulator.url }, false), {
  // Pacing per real second is not what is measured (at 450× it would be 450 times stricter).
  // The app's budget is the default 30,000 unless day 0's first syncs need more (the figures are
  // per user; users per 30,000 is derived from them).
  quota: {
    perSecond: 1000,
    dailyBudget: Math.max(referenceBudget, Math.ceil(((o.users + o.probes) * (o.events + 20)) / 0.8)),
  },
  sync: { intervalMinutes: o.pollMinutes, jitterSeconds: 300, lockTtlMs: 30_000 },
  worker: { admissionConcurrency: Math.max(2, o.concurrency) },
});
const config = configFor(overrides, prefix);
const span = {
  from: day1 - config.sync.horizonPastDays * dayMs + dayMs,
  to: day1 + config.sync.horizonFutureDays * dayMs - dayMs,
};
const plans = new Map<string, FeedPlan>();
const feedOf = (name: string, edits: boolean) => {
  const plan = planFeed(rng, o.events, span, { from: day1, days: o.days, share: edits ? o.changeShare : 0 });
  feeds.handle(name, (_req, res) => {
    const body = Buffer.from(renderFeed(name, plan, clock.now().getTime()), 'utf8');
    res.writeHead(200, { 'content-type': 'text/calendar; charset=utf-8', 'content-length': body.length });
    res.end(body);
  });
  return plan;
};

const daemon = await runDaemon(config, {
  api: false,
  worker: true,
  clock,
  concurrency: o.concurrency,
  holidaySchedule: false,
  logger: createLogger({ level: 'error' }),
});
const { ctx } = daemon;

console.log(
  `quota: ${o.users} users × ${o.events} events (+ ${o.probes} drift probes), ${o.pollMinutes}-minute polls, ` +
    `${(o.changeShare * 100).toFixed(1)} % of events changed per day, clock ${o.rate}× (a day in ${Math.round(dayMs / o.rate / 1000)} s), ` +
    `worker concurrency ${o.concurrency}`,
);

// Users connect as through the connect flow (link first, then tokens: schedule + admission queue),
// spread over the first 80 % of day 0 as sign-ups come, so their verification phases differ as
// they would in a real population.
const measured: string[] = [];
const probes: string[] = [];
const connect = async (probe: boolean) => {
  const res = await fetch(`${emulator.url}/_emulator/users`, {
    method: 'POST',
    body: '{}',
    headers: { 'content-type': 'application/json' },
  });
  const k = (await res.json()) as {
    userId: string;
    accessToken: string;
    refreshToken: string;
    expiresIn: number;
  };
  plans.set(k.userId, feedOf(k.userId, !probe));
  (probe ? probes : measured).push(k.userId);
  await ctx.registry.users.upsert({ id: k.userId, timeZone: 'Asia/Seoul' });
  await ctx.registry.links.put(k.userId, {
    id: 'feed',
    source: { type: 'ics', url: feeds.url(k.userId) },
    target: { kind: 'primary' },
  });
  await addUser(ctx, {
    id: k.userId,
    tokens: { accessToken: k.accessToken, refreshToken: k.refreshToken, expiresIn: k.expiresIn },
  });
};
const arrivals = o.users + o.probes;
for (let i = 0; i < arrivals; i++) {
  const at = day0 + 60_000 + (i / arrivals) * 0.8 * dayMs;
  while (clock.now().getTime() < at) await sleep(20);
  await connect(i >= o.users);
}

// Day 0: every first sync, through the admission queue, then the rest of the day. On a machine
// too slow for the rate, both clocks are held late on day 0 until the last first sync is done (no
// verification falls due while the clock stands), so none spills into a measured day.
const all = [...measured, ...probes];
const holdAt = day0 + 0.9 * dayMs;
let heldMs = 0;
for (;;) {
  let done = 0;
  for (const u of all) if ((await ctx.redis.exists(ctx.registry.keys.lastRun(u))) === 1) done++;
  if (done === all.length) break;
  if (clock.now().getTime() >= holdAt) {
    await moveClocks(holdAt);
    heldMs += 250;
  }
  await sleep(250);
}
console.log(
  `  day 0: ${all.length} first syncs done by ${clock.now().toISOString()} (clock)` +
    (heldMs > 0 ? `; the clocks were held ${Math.round(heldMs / 1000)} s real for the last of them` : ''),
);
while (clock.now().getTime() < day1) await sleep(100);

// Day 1: the probes' Talk Calendar events are deleted as it begins.
const drift: DriftProbe[] = [];
// One deletion per probe (a found deletion makes the daemon list everything, which would find a
// second one at once): even probes in the next 31 days, odd ones months ahead.
for (const [i, u] of probes.entries()) {
  const region = i % 2 === 0 ? 'next 31 days' : 'elsewhere';
  const [fromDays, toDays] = i % 2 === 0 ? [3, 28] : [120, 300];
  const event = (await emulator.events(u)).find((e) => {
    const at = Date.parse(e.time.start_at);
    return at >= day1 + fromDays * dayMs && at < day1 + toDays * dayMs;
  });
  if (!event) continue;
  await emulator.deleteEvent(u, event.id);
  drift.push({ userId: u, region, start: Date.parse(event.time.start_at), deletedAt: clock.now().getTime() });
}
let nextReport = day1;
// A few clock minutes beyond the last day, so its last requests are answered and logged.
while (clock.now().getTime() < end + 5 * 60_000) {
  if (clock.now().getTime() >= nextReport) {
    console.log(
      `  clock ${clock.now().toISOString()}  (${Math.round((Date.now() - startedReal) / 1000)} s real)`,
    );
    nextReport += 6 * 3_600_000;
  }
  await sleep(500);
}

// The governor's own count of each measured day, read before the daemon stops.
const counts = new Redis(redis.url);
const governorDays: QuotaStatus[] = [];
for (let d = 0; d <= o.days; d++) {
  const noon = new Date(day0 + d * dayMs + dayMs / 2);
  governorDays.push(await new QuotaGovernor(counts, config.quota, prefix, { now: () => noon }).status());
}
counts.disconnect();
await daemon.stop();
const log: RequestLogEntry[] = await emulator.requests();
await emulator.stop();
await feeds.close();
await redis.stop();

printReport({
  options: o,
  log,
  measured,
  probes,
  day0,
  day1,
  governorDays,
  drift,
  editsPerUser: measured.reduce((n, u) => n + editsBetween(plans.get(u)!, day1, end), 0) / measured.length,
  budget: referenceBudget,
  writeReserve: config.quota.writeReserve,
  wallSeconds: (Date.now() - startedReal) / 1000,
});
process.exit(0);
