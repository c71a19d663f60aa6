// Big calendars under the image's heap cap: `npm run bench -- big-calendar [-- --users N --events M
// --heap-mb H]` (defaults 2 × 20,000 events, limits.maxItemsPerSource, and 256 MB, as the Dockerfile
// sets NODE_OPTIONS). N users whose feeds each hold M events (3 MB at 20,000) are first-synced at
// once by one `talkcal worker` process with that main-heap cap, against the Kakao emulator over HTTP,
// with a daily budget large enough for every create. It prints the time to converge, whether the
// worker survived, its peak resident memory (/proc, translation threads included), and how many
// events each user's Talk Calendar holds, and the agreement of each with its feed.
import { parseArgs } from 'node:util';
import { killChildrenOnExit } from './chaos/children.js';
import { initialEvents, renderIcs } from './chaos/feed-model.js';
import { startRig } from './chaos/rig.js';
import { seededRng } from './chaos/rng.js';

const { values: args } = parseArgs({
  options: {
    users: { type: 'string', default: '2' },
    events: { type: 'string', default: '20000' },
    'heap-mb': { type: 'string', default: '256' },
  },
});
const users = Number(args.users);
const events = Number(args.events);
const heapMb = Number(args['heap-mb']);
for (const [name, n] of Object.entries({ users, events, 'heap-mb': heapMb }))
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);

killChildrenOnExit();
const rig = await startRig(seededRng(7), false);
const scope = rig.scope('big', {
  // Every create fits the day: the figure is the memory of the sync, not the quota's pacing.
  quota: { dailyBudget: 10_000_000, perSecond: 5000 },
  sync: { jitterSeconds: 0 },
  worker: { admissionConcurrency: users, manualConcurrency: users },
});
const feed = initialEvents('b', events);
const body = renderIcs(feed);
rig.feeds.handle('big', (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/calendar' });
  res.end(body);
});
const ids: string[] = [];
for (let i = 0; i < users; i++) ids.push(await scope.addUser({ type: 'ics', url: rig.feeds.url('big') }));
const worker = await scope.startWorker({
  concurrency: users,
  env: { NODE_OPTIONS: `--max-old-space-size=${heapMb}` },
});
console.log(
  `big-calendar: ${users} users × ${events} events (feed ${(body.length / 1e6).toFixed(1)} MB), first-synced at once by one worker with a ${heapMb} MB main heap`,
);
const since = Date.now();
await scope.trigger(ids);
const result = await scope.converge(ids, since, 30 * 60_000);
const survived = worker.alive();
console.log(
  `  converged: ${result.converged} in ${(result.ms / 1000).toFixed(0)} s; worker alive: ${survived}; peak RSS ${worker.rss.peakMb().toFixed(0)} MB`,
);
for (const id of ids) {
  const agreement = await scope.agreement(id, feed);
  console.log(
    `  user ${id}: ${scope.kakaoEvents(id).length} events in Talk Calendar; ${JSON.stringify(agreement)}`,
  );
}
await worker.stop();
await rig.close();
process.exit(result.converged && survived ? 0 : 1);
