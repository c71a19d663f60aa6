import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLink } from '../../../src/model/link.js';
import { LockLostError } from '../../../src/sync/errors.js';
import { countActions } from '../../../src/sync/events/plan-types.js';
import { kakaoPortFor } from '../../../src/sync/kakao-port.js';
import { createUser } from '../kakao/harness.js';
import {
  CrashError,
  crashingPort,
  feedLink,
  lockLostDuringCreate,
  modelRuns,
  rig,
  useSyncEnv,
  vevent,
} from './harness.js';

// Model test: random edits on both sides, random API faults (statuses, dropped connections, answers
// lost after processing) and random crash points between remote calls; then clean syncs, after
// which both sides must agree, a further sync must plan nothing, no item may appear twice and no
// item the user did not delete may be missing. Among the faults: a worker's lock expires while its
// create is in flight, a second worker syncs the user meanwhile, then the first create lands.
// Runs: TALKCAL_MODEL_RUNS (default 200); seed: TALKCAL_MODEL_SEED (default random).

const { runs, ...seed } = modelRuns();

const env = useSyncEnv({ retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } });
const r = env.r;

const uids = ['a', 'b', 'c', 'd'];
const paths = [
  '/v2/api/calendar/create/event',
  '/v2/api/calendar/update/event/host',
  '/v2/api/calendar/delete/event',
  '/v2/api/calendar/events',
  // The detail read: a two-way link's precondition read before an update or delete.
  '/v2/api/calendar/event',
];

type Cmd =
  | { k: 'set'; uid: string; title: number; day: number }
  | { k: 'set-rec'; title: number; count: number; exdate: boolean; override: boolean; moved: number }
  | { k: 'remove'; uid: string }
  | { k: 'kakao-delete'; pick: number }
  | { k: 'kakao-edit'; pick: number }
  | { k: 'remove-edited'; pick: number }
  /** A sync whose lock expires while its first create is in flight; another worker syncs meanwhile. */
  | { k: 'sync-lock-lost' }
  | {
      k: 'sync';
      fault: { path: number; times: number; kind: 'status' | 'drop' | 'lost' | 'invalid' } | null;
      crashAfter: number | null;
      crashAfterCreate: boolean;
    };

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      k: fc.constant('set' as const),
      uid: fc.constantFrom(...uids),
      title: fc.nat(2),
      day: fc.integer({ min: 1, max: 40 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('set-rec' as const),
      title: fc.nat(1),
      count: fc.integer({ min: 3, max: 5 }),
      exdate: fc.boolean(),
      override: fc.boolean(),
      moved: fc.nat(1),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ k: fc.constant('remove' as const), uid: fc.constantFrom(...uids, 'r') }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('kakao-delete' as const), pick: fc.nat(10) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('kakao-edit' as const), pick: fc.nat(10) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('remove-edited' as const), pick: fc.nat(10) }) },
  { weight: 1, arbitrary: fc.constant({ k: 'sync-lock-lost' as const }) },
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constant('sync' as const),
      fault: fc.option(
        fc.record({
          path: fc.nat(paths.length - 1),
          times: fc.integer({ min: 1, max: 3 }),
          kind: fc.constantFrom('status' as const, 'drop' as const, 'lost' as const, 'invalid' as const),
        }),
      ),
      crashAfter: fc.option(fc.nat(20)),
      crashAfterCreate: fc.boolean(),
    }),
  },
);

interface EmuEvent {
  id: string;
  title: string;
  foreign: boolean;
  rrule?: string;
  exdates: string[];
  overrides: Record<string, { title?: string }>;
  time: { start_at: string };
}

const day = (n: number) =>
  new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');

/** A weekly recurrence, optionally with an EXDATE (2nd instance) and an override (3rd instance). */
function recurring(c: Extract<Cmd, { k: 'set-rec' }>) {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//model//EN',
    'BEGIN:VEVENT',
    'UID:r@m',
    'DTSTAMP:20250101T000000Z',
  ];
  lines.push(`DTSTART:${day(3)}T010000Z`, `DTEND:${day(3)}T020000Z`, `RRULE:FREQ=WEEKLY;COUNT=${c.count}`);
  if (c.exdate) lines.push(`EXDATE:${day(10)}T010000Z`);
  lines.push(`SUMMARY:r-${c.title}`, 'END:VEVENT');
  if (c.override) {
    lines.push('BEGIN:VEVENT', 'UID:r@m', 'DTSTAMP:20250101T000000Z', `RECURRENCE-ID:${day(17)}T010000Z`);
    lines.push(
      `DTSTART:${day(17)}T030000Z`,
      `DTEND:${day(17)}T040000Z`,
      `SUMMARY:r-${c.title} moved ${c.moved}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR', '');
  return { uid: 'r@m', kind: 'event' as const, ics: lines.join('\r\n') };
}

/** The id Kakao wants for changing a whole event (a recurrence is addressed through its first instance). */
const wholeId = (e: EmuEvent) =>
  e.rrule ? `${e.id}_${e.time.start_at.replace(/[-:]/g, '').replace(/\.\d{3}/, '')}` : e.id;

/** The source UID behind a Kakao title such as "edited-edited-b-1" or "r-0". */
const uidOfTitle = (title: string) => `${title.replace(/^(edited-)+/, '').split('-')[0]}@m`;

async function runModel(cmds: Cmd[], twoWay: boolean): Promise<void> {
  const u = await createUser(env.emu);
  const port = kakaoPortFor(env.client.forUser(u.userId, u.store));
  const t = rig(r.redis, r.keys, !twoWay);
  const link = twoWay
    ? parseLink({
        id: 'dav',
        source: { type: 'caldav', url: 'https://dav.example.org/cal/', component: 'event' },
        target: { kind: 'primary' },
        direction: 'two-way',
      })
    : feedLink();
  const events = () => env.emu.admin.events(u.userId) as unknown as EmuEvent[];
  // A virtual clock 13 hours further at each sync, so verification reads come due during the run.
  let clock = Date.now();
  const now = () => new Date(clock);
  // What the user keeps in the source, and which UIDs were edited in Talk Calendar (a change that
  // may bring a source deletion back on a two-way link).
  const kept = new Set<string>();
  const editedInKakao = new Set<string>();
  for (const c of cmds) {
    if (c.k === 'set') {
      t.storage.set(vevent(`${c.uid}@m`, `${c.uid}-${c.title}`, c.day, 2 + c.title));
      kept.add(`${c.uid}@m`);
    } else if (c.k === 'set-rec') {
      t.storage.set(recurring(c));
      kept.add('r@m');
    } else if (c.k === 'remove') {
      t.storage.remove(`${c.uid}@m`);
      kept.delete(`${c.uid}@m`);
    } else if (c.k === 'remove-edited') {
      // The source deletes an item that was edited in Talk Calendar.
      const edited = t.storage.all().filter((s) => editedInKakao.has(s.uid));
      const victim = edited[c.pick % Math.max(1, edited.length)];
      if (!victim) continue;
      t.storage.remove(victim.uid);
      kept.delete(victim.uid);
    } else if (c.k === 'kakao-delete' || c.k === 'kakao-edit') {
      const ours = events().filter((e) => !e.foreign);
      const e = ours[c.pick % Math.max(1, ours.length)];
      if (!e) continue;
      const scope = e.rrule ? ('ALL' as const) : undefined;
      if (c.k === 'kakao-delete') await port.deleteEvent(wholeId(e), scope);
      else {
        await port.updateEvent(wholeId(e), { title: `edited-${e.title}` }, scope);
        editedInKakao.add(uidOfTitle(e.title));
      }
    } else if (c.k === 'sync-lock-lost') {
      env.emu.admin.clearFaults();
      clock += 13 * 3600_000;
      const second = new Date(clock + 1000); // the next worker takes the user a second later
      const meanwhile = () => t.run(u.userId, port, [link], {}, () => second);
      const first = lockLostDuringCreate(port, r.redis, r.keys.lock(u.userId), meanwhile);
      try {
        await t.run(u.userId, first, [link], {}, now);
      } catch (err) {
        if (!(err instanceof LockLostError)) throw err; // its commit after the create is refused
      }
    } else {
      env.emu.admin.clearFaults();
      if (c.fault) {
        const f = c.fault;
        env.emu.admin.addFault({
          path: paths[f.path]!,
          times: f.times,
          ...(f.kind === 'status' ? { status: 500 } : {}),
          ...(f.kind === 'invalid' ? { status: 400, code: -2, msg: 'invalid' } : {}),
          ...(f.kind === 'drop' ? { drop: true } : {}),
          ...(f.kind === 'lost' ? { drop: true, afterProcessing: true } : {}),
        });
      }
      const kakao =
        c.crashAfter === null
          ? port
          : crashingPort(port, { left: c.crashAfter, afterCreate: c.crashAfterCreate });
      clock += 13 * 3600_000;
      try {
        await t.run(u.userId, kakao, [link], {}, now);
      } catch (err) {
        if (!(err instanceof CrashError)) throw err;
      }
      env.emu.admin.clearFaults(); // unconsumed faults must not hit the "user's" own edits
    }
  }
  env.emu.admin.clearFaults();
  // Clean syncs: a forced one (full listing finds all drift, retries quarantined items), then normal.
  clock += 13 * 3600_000;
  await t.run(u.userId, port, [link], { force: true }, now);
  await t.run(u.userId, port, [link], {}, now);

  const source = t.storage.all();
  const ours = events().filter((e) => !e.foreign);
  const state = await t.store.load(u.userId, link.id);
  const mappedIds = new Set(
    [...state.items.values()].flatMap((m) => Object.values(m.units).map((x) => x.kakaoId)),
  );
  // Both sides agree, no item appears twice, nothing is lost: one mapped Kakao event per source
  // item, with its title. Besides them only Talk Calendar edits of items deleted in the source may
  // remain: a change beats a deletion, so such an edit seen by a sync is kept (unmapped).
  const wanted = source.map((s) => /SUMMARY:(.*)\r\n/.exec(s.ics)![1]!).sort();
  const mapped = ours.filter((e) => mappedIds.has(e.id));
  expect(mapped.map((e) => e.title).sort()).toEqual(wanted);
  // On a two-way link such an edit is written back to the source instead, so it stays mapped.
  expect(ours.filter((e) => !mappedIds.has(e.id) && (twoWay || !e.title.startsWith('edited-')))).toEqual([]);
  // A recurrence carries exactly the source's exceptions.
  const rec = source.find((s) => s.uid === 'r@m');
  if (rec) {
    const recEvent = mapped.find((e) => e.rrule);
    expect(recEvent?.exdates.length).toBe(rec.ics.includes('EXDATE') ? 1 : 0);
    const moved = /SUMMARY:(.* moved .*)\r\n/.exec(rec.ics)?.[1];
    expect(Object.values(recEvent?.overrides ?? {}).map((o) => o.title)).toEqual(moved ? [moved] : []);
  }
  // A further sync plans nothing (a forced dry run reads the whole horizon).
  const dry = await t.run(u.userId, port, [link], { force: true, dryRun: true }, now);
  expect(countActions(dry.links[0]!.plan!)).toBe(0);
  expect(state.intents).toEqual([]);
  expect(state.items.size).toBe(source.length);
  // Nothing lost the user did not delete; a source deletion only comes back if edited in Kakao.
  const sourceUids = new Set(source.map((s) => s.uid));
  for (const uid of kept) expect(sourceUids.has(uid)).toBe(true);
  for (const uid of sourceUids) expect(kept.has(uid) || (twoWay && editedInKakao.has(uid))).toBe(true);
  await t.store.dropLink(u.userId, link.id);
}

/** The lock lost while the first create is in flight, on a first sync (whose listing reads every window). */
const lockLostExample: [Cmd[]] = [
  [
    { k: 'set', uid: 'a', title: 0, day: 2 },
    { k: 'set', uid: 'b', title: 1, day: 5 },
    { k: 'sync-lock-lost' },
  ],
];

/** Cases the random runs rarely reach: a series' override or end changed alone; a found loss. */
const seriesExamples: [Cmd[]][] = [
  // An EXDATE's delete whose answer is lost twice, then the source undoes the EXDATE: Kakao may hold
  // the deleted instance, so the series is replaced (it kept the instance deleted before the fix).
  [
    [
      { k: 'set-rec', title: 0, count: 3, exdate: true, override: false, moved: 0 },
      { k: 'sync', fault: { path: 2, times: 2, kind: 'lost' }, crashAfter: null, crashAfterCreate: false },
      { k: 'set-rec', title: 0, count: 3, exdate: false, override: false, moved: 0 },
      { k: 'kakao-edit', pick: 0 },
    ],
  ],
  [
    [
      { k: 'set-rec', title: 0, count: 4, exdate: true, override: true, moved: 0 },
      { k: 'sync', fault: null, crashAfter: null, crashAfterCreate: false },
      { k: 'set-rec', title: 0, count: 4, exdate: true, override: true, moved: 1 },
      { k: 'sync', fault: null, crashAfter: null, crashAfterCreate: false },
    ],
  ],
  // Seed -1541621626 at writeConcurrency 4: both creates in flight when the process dies; the
  // recovery plans an item's adoption and its orphan's deletion, which must not run side by side.
  [
    [
      { k: 'set', uid: 'a', title: 0, day: 1 },
      { k: 'set', uid: 'b', title: 0, day: 1 },
      { k: 'sync', fault: null, crashAfter: 15, crashAfterCreate: true },
      { k: 'set', uid: 'a', title: 0, day: 5 },
    ],
  ],
  [
    [
      { k: 'set-rec', title: 1, count: 5, exdate: true, override: true, moved: 0 },
      { k: 'sync', fault: null, crashAfter: null, crashAfterCreate: false },
      { k: 'set-rec', title: 1, count: 3, exdate: true, override: true, moved: 0 },
      { k: 'sync', fault: null, crashAfter: null, crashAfterCreate: false },
    ],
  ],
];

describe('sync model (fast-check, emulator, Redis)', () => {
  it(`one-way feed: converges without duplicates or losses (${runs} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 1, maxLength: 8 }), (cmds) => runModel(cmds, false)),
      { ...seed, numRuns: runs, examples: [...seriesExamples, lockLostExample] },
    );
  }, 600_000);

  it(`two-way CalDAV: converges without duplicates or losses (${Math.ceil(runs / 2)} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 1, maxLength: 8 }), (cmds) => runModel(cmds, true)),
      { ...seed, numRuns: Math.ceil(runs / 2), examples: [lockLostExample] },
    );
  }, 600_000);
});
