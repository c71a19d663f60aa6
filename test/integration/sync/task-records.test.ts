import { describe, expect, it } from 'vitest';
import { parseLink } from '../../../src/model/link.js';
import { buildFeed } from '../../../src/publish/feed-content.js';
import type { SourceItem } from '../../../src/sources/storage.js';
import { icsText } from '../../support/ics-text.js';
import { clearLog, requestLog } from '../kakao/harness.js';
import { run } from '../publish/harness.js';
import { settings, useSyncEnv } from './harness.js';

// Task records against the emulator: a recurring task completed in Talk Calendar has its
// completion history read (one task/records call per recurring task, at most every
// taskRecordsEveryHours), kept per link, and published in the tasks feed as COMPLETED instances.

const env = useSyncEnv();
const hours = (h: number) => new Date(Date.now() + h * 3600_000);

function vtodo(uid: string, summary: string, rrule?: string): SourceItem {
  const due = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
  const ics = icsText('VTODO', uid, [
    `DUE;VALUE=DATE:${due}`,
    `SUMMARY:${summary}`,
    ...(rrule ? [`RRULE:${rrule}`] : []),
  ]);
  return { uid, kind: 'todo', ics };
}

describe('task records', () => {
  it('reads the history of recurring tasks on its cadence and publishes completed days', async () => {
    const { userId, port, t } = await env.newUser();
    const link = parseLink({
      id: 'todo',
      source: { type: 'caldav', url: 'https://dav.example.org/todo/', component: 'todo' },
      target: { kind: 'tasks' },
    });
    const deps = (now: Date) => ({
      ...t.deps(port, () => now),
      settings: { ...settings, taskRecordsEveryHours: 24 },
    });
    const sync = async (now: Date) => {
      const { syncUser } = await import('../../../src/sync/sync-user.js');
      return syncUser({ userId, timeZone: 'Asia/Seoul', links: [link] }, deps(now));
    };
    const recordsCalls = async () =>
      (await requestLog(env.emu)).filter((q) => q.path === '/v1/api/calendar/task/records');
    const stored = async () => await env.r.redis.hgetall(env.r.keys.taskRecords(userId, 'todo'));
    t.storage.set(vtodo('gym@test', 'Gym', 'FREQ=DAILY'));
    t.storage.set(vtodo('milk@test', 'Buy milk'));
    await clearLog(env.emu);
    await sync(new Date());
    // Read once as soon as the recurring task exists (nothing done yet); the plain task never.
    expect(await recordsCalls()).toHaveLength(1);
    const gym = env.emu.admin.tasks(userId).find((x) => x.content === 'Gym')!;
    expect(Object.keys(await stored())).toEqual([gym.task_id]);
    const firstDue = gym.due_info!.due_date;
    // Done in Talk Calendar: the day is recorded and the task moves to its next occurrence.
    await port.completeTask(gym.task_id, true);

    // Within taskRecordsEveryHours: not read again; after it, read once more.
    await clearLog(env.emu);
    await sync(hours(5));
    expect(await recordsCalls()).toHaveLength(0);
    await sync(hours(25));
    await sync(hours(30));
    expect(await recordsCalls()).toHaveLength(1);
    expect(JSON.parse((await stored())[gym.task_id]!).records).toEqual([{ date: firstDue, complete: true }]);

    const built = buildFeed(
      { id: 'f', userId, kind: 'tasks', tokenHash: 'x', createdAt: new Date().toISOString() },
      {
        userId,
        zone: 'Asia/Seoul',
        snapshot: {},
        windows: {},
        links: [
          {
            id: 'todo',
            calendarId: 'primary',
            tasks: true,
            items: await env.r.redis.hgetall(env.r.keys.items(userId, 'todo')),
            taskRecords: await env.r.redis.hgetall(env.r.keys.taskRecords(userId, 'todo')),
          },
        ],
      },
      { refreshMinutes: 60, otherAppEvents: 'hide', horizon: { from: hours(-24 * 30), to: hours(24 * 365) } },
      new Map(),
      new Date(),
    );
    // A real iCalendar reader sees the completed day as an instance of the recurring task.
    const script = `
import sys, json, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.read())
out = []
for t in cal.walk('VTODO'):
    rid = t.get('RECURRENCE-ID')
    out.append([str(t['SUMMARY']), rid.dt.strftime('%Y%m%d') if rid else None, str(t.get('STATUS'))])
print(json.dumps(sorted(out, key=lambda x: (x[0], x[1] or ''))))`;
    const child = run('/usr/bin/python3', ['-c', script]);
    child.child.stdin?.end(built.body);
    expect(JSON.parse((await child).stdout)).toEqual([
      ['Buy milk', null, 'NEEDS-ACTION'],
      ['Gym', null, 'NEEDS-ACTION'],
      ['Gym', firstDue, 'COMPLETED'],
    ]);
  });
});
