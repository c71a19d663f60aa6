// Two-way link cost of a source edit: Kakao calls per edited event (and per edited to-do on a task link), counted at the emulator's
// request log over HTTP. Between two-way reads (twoWayReadEveryMinutes) an event is read before it
// is updated (Kakao has no ETag: the precondition read); in a run that lists the event's window
// anyway, it is not. Also: edits met by a Talk Calendar edit (policy manual: conflicts, no write).
// Real Redis (private prefix), the emulator over loopback HTTP, an in-memory CalDAV-like source.
// Run: npx tsx bench/two-way.ts [--events 200] [--edits 20]
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { startEmulator } from '../src/emulator/server.js';
import { KakaoClient } from '../src/kakao/client.js';
import type { UserTokens } from '../src/kakao/tokens.js';
import { parseLink } from '../src/model/link.js';
import { unlimitedQuota } from '../src/model/quota.js';
import { MemoryStorage } from '../src/sources/memory/storage.js';
import type { SourceItem } from '../src/sources/storage.js';
import { type KakaoPort, kakaoPortFor } from '../src/sync/kakao-port.js';
import { syncKeys } from '../src/sync/store/keys.js';
import { RedisMappingStore } from '../src/sync/store/redis-mapping-store.js';
import { syncUser } from '../src/sync/sync-user.js';

const { values } = parseArgs({
  options: { events: { type: 'string', default: '200' }, edits: { type: 'string', default: '20' } },
});
const eventCount = Number(values.events);
const editCount = Number(values.edits);

const settings = {
  horizonPastDays: 30,
  horizonFutureDays: 365,
  massDeleteShare: 0.5,
  massDeleteMinItems: 5,
  verify: { nearDays: 31, nearEveryHours: 24, farEveryHours: 168, perRun: 1 },
  twoWayReadEveryMinutes: 60,
  detailBudgetPerRun: 0,
  oneWayDetailReadsPerDay: 0,
};

const stamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
type Kind = 'event' | 'todo';
/** Event (to-do) n: within the next 30 days (the near region), so the hourly two-way read lists it. */
function item(kind: Kind, n: number, title: string): SourceItem {
  const start = new Date(Date.now() + ((n % 28) + 1) * 86_400_000);
  start.setUTCHours(n % 12, 0, 0, 0);
  const end = new Date(start.getTime() + 3600_000);
  const uid = `${n}@bench`;
  const body =
    kind === 'event'
      ? `BEGIN:VEVENT\r\nUID:${uid}\r\nDTSTAMP:20250101T000000Z\r\nDTSTART:${stamp(start)}\r\nDTEND:${stamp(end)}\r\nSUMMARY:${title}\r\nEND:VEVENT`
      : `BEGIN:VTODO\r\nUID:${uid}\r\nDTSTAMP:20250101T000000Z\r\nDUE;VALUE=DATE:${stamp(start).slice(0, 8)}\r\nSUMMARY:${title}\r\nEND:VTODO`;
  return {
    uid,
    kind,
    ics: `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\n${body}\r\nEND:VCALENDAR\r\n`,
  };
}

const emu = await startEmulator({ port: 0, host: '127.0.0.1' });
const redis = new Redis('redis://127.0.0.1:6379');
const prefix = `bench-${randomUUID()}`;
const keys = syncKeys(prefix);
const store = new RedisMappingStore(redis, keys);

/**
 * Kakao calendar requests by endpoint since the last call, read from the emulator over HTTP; a
 * task list by task_id is the task GET (`tasks.get`).
 */
async function requestsByEndpoint(): Promise<Record<string, number>> {
  const res = await fetch(`${emu.url}/_emulator/requests`);
  const log = (await res.json()) as { endpoint: string; query?: Record<string, string> }[];
  await fetch(`${emu.url}/_emulator/requests`, { method: 'DELETE' });
  const out: Record<string, number> = {};
  for (const { endpoint, query } of log) {
    const name = endpoint === 'tasks.list' && query?.['task_id'] ? 'tasks.get' : endpoint;
    out[name] = (out[name] ?? 0) + 1;
  }
  return out;
}

async function scenario(kind: Kind, policy: 'source-wins' | 'manual', kakaoEdits: number) {
  const made = emu.admin.createUser();
  let tokens: UserTokens = {
    accessToken: made.accessToken,
    refreshToken: made.refreshToken,
    accessTokenExpiresAt: Date.now() + made.expiresIn * 1000,
  };
  const client = new KakaoClient({
    apiBaseUrl: emu.url,
    authBaseUrl: emu.url,
    restApiKey: 'emulator-rest-api-key',
    clientSecret: '',
    adminKey: 'emulator-admin-key',
    timeoutMs: 5000,
    retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20 },
    tokenRefreshMarginSeconds: 300,
  });
  const port = kakaoPortFor(
    client.forUser(made.userId, {
      get: async () => tokens,
      save: async (t) => {
        tokens = t;
      },
    }),
  );
  const storage = new MemoryStorage(false, 'dav');
  for (let n = 0; n < eventCount; n++) storage.set(item(kind, n, `Event ${n}`));
  const link = parseLink({
    id: 'dav',
    source: { type: 'caldav', url: 'https://dav.example.org/cal/', component: kind },
    target: { kind: kind === 'event' ? 'primary' : 'tasks' },
    direction: 'two-way',
    conflict: policy,
  });
  const run = (minutes: number) =>
    syncUser(
      { userId: made.userId, timeZone: 'Asia/Seoul', links: [link] },
      {
        redis,
        keys,
        store,
        kakao: port,
        storageFor: () => storage,
        quota: unlimitedQuota,
        settings,
        lockTtlMs: 10_000,
        now: () => new Date(Date.now() + minutes * 60_000),
      },
    );
  await run(0);
  await run(1); // a task link's first verification listing (a first sync creates without listing tasks)
  await requestsByEndpoint();
  const rows: { phase: string; calls: Record<string, number>; conflicts: number }[] = [];
  for (const [phase, minutes, round] of [
    ['edits between two-way reads (+10 min)', 10, 1],
    ['edits in a run with the two-way read (+90 min)', 90, 2],
  ] as const) {
    // Some of the edited events were edited in Talk Calendar first.
    for (let n = 0; n < kakaoEdits; n++) await editInTalkCalendar(kind, made.userId, port, n, round);
    await requestsByEndpoint();
    for (let n = 0; n < editCount; n++) storage.set(item(kind, n, `Event ${n} v${round}`));
    const result = await run(minutes);
    rows.push({ phase, calls: await requestsByEndpoint(), conflicts: result.links[0]!.conflicts.length });
  }
  await store.dropLink(made.userId, link.id);
  return rows;
}

/** Talk Calendar renames the item n (its event or task). */
async function editInTalkCalendar(kind: Kind, userId: string, port: KakaoPort, n: number, round: number) {
  const named = (title: string) => title === `Event ${n}` || title.startsWith(`Event ${n} `);
  const title = `Event ${n} (phone ${round})`;
  if (kind === 'event') {
    const e = emu.admin.events(userId).find((x) => named(x.title));
    if (e) await port.updateEvent(e.id, { title });
    return;
  }
  const t = emu.admin.tasks(userId).find((x) => named(x.content));
  if (t)
    await port.updateTask(t.task_id, { content: title, ...(t.due_info ? { due_info: t.due_info } : {}) });
}

for (const kind of ['event', 'todo'] as const) {
  const api = kind === 'event' ? 'events' : 'tasks';
  console.log(
    `\ntwo-way ${kind} link, ${eventCount} items in the near region, ${editCount} of them edited in the source`,
  );
  for (const [policy, kakaoEdits] of [
    ['source-wins', 0],
    ['manual', Math.min(5, editCount)],
  ] as const) {
    console.log(`policy ${policy}, ${kakaoEdits} of the edited items also edited in Talk Calendar first`);
    for (const row of await scenario(kind, policy, kakaoEdits)) {
      const c = row.calls;
      const per = (n = 0) => (n / editCount).toFixed(2);
      console.log(
        `  ${row.phase.padEnd(48)} reads ${c[`${api}.get`] ?? 0} (${per(c[`${api}.get`])}/edit), ` +
          `updates ${c[`${api}.update`] ?? 0}, lists ${c[`${api}.list`] ?? 0}, open conflicts ${row.conflicts}`,
      );
    }
  }
}

await emu.close();
let cursor = '0';
do {
  const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
  cursor = next;
  if (found.length > 0) await redis.del(...found);
} while (cursor !== '0');
redis.disconnect();
