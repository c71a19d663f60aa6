import { describe, expect, it } from 'vitest';
import { parseLink } from '../../../src/model/link.js';
import type { SourceItem } from '../../../src/sources/storage.js';
import { hashOf } from '../../../src/sync/events/hash.js';
import type { ItemMapping } from '../../../src/sync/store/mapping.js';
import { icsText } from '../../support/ics-text.js';
import { clearLog, requestLog } from '../kakao/harness.js';
import { useSyncEnv } from './harness.js';

// Recurring tasks now carry record_on (their completion history), which moves their mapping hash.
// An account synced before that change must cost no Kakao write after the upgrade: the hash is a
// local projection, migrated in place. Measured at the emulator's request log.

const env = useSyncEnv();

function vtodo(uid: string, summary: string, rrule?: string): SourceItem {
  const due = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
  const ics = icsText('VTODO', uid, [
    `DUE;VALUE=DATE:${due}`,
    `SUMMARY:${summary}`,
    ...(rrule ? [`RRULE:${rrule}`] : []),
  ]);
  return { uid, kind: 'todo', ics };
}

/** Rewrites a mapping as the release before record_on wrote it: task and hashes without it. */
function asBeforeRecordOn(m: ItemMapping): ItemMapping {
  const unit = m.units['task'];
  const recur = unit?.task?.due_info?.recur;
  if (!unit?.task || !recur) return m;
  const { record_on: _r, ...former } = recur;
  const task = { ...unit.task, due_info: { ...unit.task.due_info!, recur: former } };
  const hash = hashOf({ task, completed: unit.completed ?? false });
  return { ...m, sourceHash: hash, units: { task: { ...unit, task, desiredHash: hash, kakaoHash: hash } } };
}

describe('task hash migration (record_on)', () => {
  it('an unchanged account makes no Kakao write after the upgrade, even re-read in full', async () => {
    const { userId, port, t } = await env.newUser();
    const link = parseLink({
      id: 'todo',
      source: { type: 'caldav', url: 'https://dav.example.org/todo/', component: 'todo' },
      target: { kind: 'tasks' },
    });
    t.storage.set(vtodo('gym@test', 'Gym', 'FREQ=WEEKLY;BYDAY=MO,TH'));
    t.storage.set(vtodo('read@test', 'Read', 'FREQ=DAILY'));
    t.storage.set(vtodo('milk@test', 'Buy milk'));
    await t.run(userId, port, [link]);
    const made = env.emu.admin.tasks(userId);
    expect(
      made
        .filter((x) => x.due_info?.recur?.record_on === true)
        .map((x) => x.content)
        .sort(),
    ).toEqual(['Gym', 'Read']);

    // The state an earlier release left: same tasks, mapping hashes without record_on (written as
    // that release's plain JSON, which the store still reads).
    const key = env.r.keys.items(userId, 'todo');
    const stored = (await t.store.load(userId, 'todo')).items;
    const former = Object.fromEntries([...stored].map(([k, m]) => [k, JSON.stringify(asBeforeRecordOn(m))]));
    expect(Object.values(former).filter((v) => !v.includes('record_on'))).toHaveLength(3);
    await env.r.redis.hset(key, former);

    const writes = async () =>
      (await requestLog(env.emu)).filter((q) => q.path.includes('/api/calendar/') && q.method !== 'GET');
    await clearLog(env.emu);
    await t.run(userId, port, [link], { force: true });
    await t.run(userId, port, [link]);
    await t.run(userId, port, [link], { force: true });
    expect(await writes()).toEqual([]);
    // Migrated: the mapping holds the task as now translated (with record_on) and its new hash.
    const after = [...(await t.store.load(userId, 'todo')).items.values()];
    const recurring = after.filter((m) => m.units['task']?.task?.due_info?.recur);
    expect(recurring).toHaveLength(2);
    for (const m of recurring) expect(m.units['task']!.task!.due_info!.recur!.record_on).toBe(true);
  });
});
